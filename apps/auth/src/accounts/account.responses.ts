import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A new account, as `POST /auth/register` answers it: never its password. */
export class RegisteredAccountResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The tenant's id" }) tenant!: string;
  @ApiProperty() username!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ description: 'False until the mailed link is used (tenants that require verification mail one)' }) emailVerified!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** Who an access token speaks for. */
export class MeResponse {
  @ApiProperty() sub!: string;
  @ApiPropertyOptional() tenantId?: string;
  @ApiProperty() clientId!: string;
  @ApiPropertyOptional() email?: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [String] }) scopes!: string[];
}
