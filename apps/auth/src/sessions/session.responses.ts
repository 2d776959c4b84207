import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A session's state (RFC 7662 style); anything not active is exactly `{"active":false}`. */
export class SessionIntrospectionResponse {
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional() tenant_id?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional({ description: 'Space-separated' }) scope?: string;
  @ApiPropertyOptional({ type: [String] }) roles?: string[];
  @ApiPropertyOptional() sid?: string;
  @ApiPropertyOptional({ description: 'Seconds since the epoch: the idle expiry as just slid, or the absolute one if earlier' }) exp?: number;
  @ApiPropertyOptional({ description: 'Seconds since the epoch' }) iat?: number;
  @ApiPropertyOptional() email?: string;
}
