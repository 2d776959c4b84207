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
  @ApiPropertyOptional({ description: 'urn:gatehouse:acr:pwd or urn:gatehouse:acr:mfa' }) acr?: string;
  @ApiPropertyOptional({ type: [String], description: 'RFC 8176: pwd, otp' }) amr?: string[];
  @ApiPropertyOptional({ description: 'Seconds since the epoch: when the person authenticated' }) auth_time?: number;
}

/** A password login of an enrolled account waiting for its second factor (`POST /auth/session/mfa`). */
export class MfaChallengeResponse {
  @ApiProperty({ enum: [true] }) mfa_required!: true;
  @ApiProperty({ description: 'Signed, short-lived: send it back with the code; not a session' }) mfa_token!: string;
  @ApiProperty({ description: 'Seconds the token lasts' }) expires_in!: number;
  @ApiProperty({ type: [String], example: ['otp', 'recovery_code'] }) methods!: string[];
}
