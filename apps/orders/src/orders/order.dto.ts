import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const ORDER_LIMITS = {
  items: 100,
  quantity: 1000,
  unitPriceMinor: 1_000_000_000,
  page: 100,
} as const;

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class OrderItemDto {
  @ApiProperty({ example: 'A-1', pattern: SKU.source })
  @Matches(SKU)
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: ORDER_LIMITS.quantity })
  @IsInt()
  @Min(1)
  @Max(ORDER_LIMITS.quantity)
  quantity!: number;

  @ApiProperty({ example: 1250, minimum: 0, maximum: ORDER_LIMITS.unitPriceMinor, description: 'Integer minor units of the currency (cents for EUR)' })
  @IsInt()
  @Min(0)
  @Max(ORDER_LIMITS.unitPriceMinor)
  unitPriceMinor!: number;
}

export class CreateOrderDto {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code, upper case' })
  // The ISO check alone accepts lower case; the stored code is always the canonical upper case.
  @Matches(/^[A-Z]{3}$/)
  @IsISO4217CurrencyCode()
  currency!: string;

  @ApiProperty({ type: [OrderItemDto], minItems: 1, maxItems: ORDER_LIMITS.items })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ORDER_LIMITS.items)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: ORDER_LIMITS.page, default: ORDER_LIMITS.page })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ORDER_LIMITS.page)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The id of the last order of the previous page: the next page starts after it' })
  @IsOptional()
  @IsUUID()
  before?: string;
}

export class GetOrderQuery {
  /** `owner`: the owner's profile is required; without it, users being down marks the owner unavailable. */
  @IsOptional() @IsIn(['owner']) include?: 'owner';
}
