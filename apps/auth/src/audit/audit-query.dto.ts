import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const TYPE = /^[a-z][a-z0-9_.]{0,63}$/;

/** Filters of the audit trail, shared by the page and the export; every one optional. */
export class AuditFilterDto {
  @ApiPropertyOptional({ description: 'Platform administrators: one tenant. A tenant administrator sees their own tenant only.' })
  @IsOptional()
  @Matches(SLUG)
  tenant?: string;

  @ApiPropertyOptional({ example: 'cross_tenant_attempt' }) @IsOptional() @Matches(TYPE) type?: string;
  @ApiPropertyOptional({ description: 'The subject: `user:<id>`, `client:<id>`, or what the reporting app named' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subject?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) client?: string;
  @ApiPropertyOptional({ enum: ['success', 'failure'] }) @IsOptional() @IsIn(['success', 'failure']) outcome?: 'success' | 'failure';
  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AuditPageQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ description: 'From the previous page: `nextCursor`' }) @IsOptional() @IsString() @MaxLength(100) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;
}

export class AuditEventResponse {
  @ApiProperty({ description: 'Increasing with insertion' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'cross_tenant_attempt' }) type!: string;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome!: string;
  @ApiProperty({ description: '`auth`, or the client of the app that reported it' }) source!: string;
  @ApiProperty({ type: String, nullable: true }) tenant!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true }) client!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The client address' }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'W3C trace id' }) traceId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Never a token, a password or a secret' }) details!: Record<string, unknown>;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse], description: 'Newest first' }) events!: AuditEventResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}
