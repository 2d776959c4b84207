import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IdentityProviderResponse } from '../tenants/identity-provider.response';

/** The Admin API's answers, as admin-views.ts builds them: never a hash, a secret or a private key. */
export class TenantResponse {
  @ApiProperty({ example: 'acme' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty() plan!: string;
  @ApiProperty({ type: IdentityProviderResponse, nullable: true }) identityProvider!: IdentityProviderResponse | null;
  @ApiProperty({ type: [String], nullable: true, description: "null: the platform's default" }) allowedScopes!: string[] | null;
  @ApiProperty({ description: 'Users sign in only once their email address is verified' }) requireEmailVerification!: boolean;
  @ApiProperty({ enum: ['off', 'admins', 'all'], description: 'Who must sign in with a second factor' }) mfaRequired!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ClientResponse {
  @ApiProperty() clientId!: string;
  @ApiProperty({ description: "The tenant's id" }) tenant!: string;
  @ApiProperty() confidential!: boolean;
  @ApiProperty() public!: boolean;
  @ApiProperty({ type: [String] }) grantTypes!: string[];
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ type: [String] }) redirectUris!: string[];
  @ApiProperty({ type: [String] }) postLogoutRedirectUris!: string[];
  @ApiProperty({ type: [String] }) allowedOrigins!: string[];
  @ApiProperty({ type: String, nullable: true }) audience!: string | null;
  @ApiProperty() firstParty!: boolean;
  @ApiProperty({ description: 'May introspect any token, not only its own' }) introspect!: boolean;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) secretRotatedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ClientWithSecretResponse extends ClientResponse {
  @ApiPropertyOptional({ description: 'A confidential client: its secret, in this answer only' }) clientSecret?: string;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The tenant's id" }) tenant!: string;
  @ApiProperty() username!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class KeyResponse {
  @ApiProperty() kid!: string;
  @ApiProperty() alg!: string;
  @ApiProperty({ enum: ['next', 'active', 'retired'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) activatesAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) retiredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) unpublishAt!: string | null;
}

export class KeyRotationResponse {
  @ApiProperty() kid!: string;
  @ApiProperty({ format: 'date-time', description: 'When the new key starts signing' }) activatesAt!: string;
}
