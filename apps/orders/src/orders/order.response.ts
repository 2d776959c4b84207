import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OrderItemResponse {
  @ApiProperty() sku!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'In the minor unit of the currency (cents)' }) unitPriceMinor!: number;
}

/** The owner as an order shows it: the profile, or `unavailable` (users did not answer) or `unknown` (no profile). */
export class OrderOwnerResponse {
  @ApiProperty() id!: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional() displayName?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) avatarUrl?: string | null;
  @ApiPropertyOptional({ enum: [true], description: 'users did not answer; the order is still shown' }) unavailable?: boolean;
  @ApiPropertyOptional({ enum: [true], description: 'No profile: a client owns the order, or the account has none yet' }) unknown?: boolean;
}

/** An order as the API shows it: never its idempotency key or fingerprint. */
export class OrderResponse {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ enum: ['placed', 'cancelled'] }) status!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [OrderItemResponse] }) items!: OrderItemResponse[];
  @ApiProperty({ description: 'In the minor unit of the currency (cents)' }) totalMinor!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: OrderOwnerResponse }) owner!: OrderOwnerResponse;
}
