import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { GRANT_TYPES, type GrantType } from '../clients/client.entity';
import { IsOrigins, IsRedirectUris } from '../clients/client-uris';
import { IdentityProviderDto } from '../tenants/identity-provider.dto';
import { IsTenantScopes } from '../tenants/tenant-scopes';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export class CreateTenantDto {
  @ApiProperty({ example: 'acme' }) @Matches(SLUG) id!: string;
  @ApiProperty({ example: 'Acme' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiPropertyOptional({ example: 'pro' }) @IsOptional() @IsString() @MaxLength(64) plan?: string;
  @ApiPropertyOptional({ type: IdentityProviderDto, description: 'An external identity provider whose tokens authenticate this tenant only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityProviderDto)
  identityProvider?: IdentityProviderDto;
  @ApiPropertyOptional({
    example: ['profile', 'orders:read'],
    description: "The scopes the tenant's clients may hold; omitted: the platform's TENANT_CLIENT_SCOPES",
  })
  @IsOptional()
  @IsTenantScopes()
  allowedScopes?: string[];
  @ApiPropertyOptional({ default: false, description: 'Users sign in only once their email address is verified by a mailed link' })
  @IsOptional()
  @IsBoolean()
  requireEmailVerification?: boolean;
}

export class EmailVerificationSettingDto {
  @ApiProperty({ description: 'Users sign in only once their email address is verified by a mailed link' })
  @IsBoolean()
  requireEmailVerification!: boolean;
}

export class AllowedScopesDto {
  @ApiProperty({
    example: ['profile', 'orders:read'],
    nullable: true,
    description: "The scopes the tenant's clients may hold; null: the platform's TENANT_CLIENT_SCOPES",
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsTenantScopes()
  allowedScopes!: string[] | null;
}

export class CreateClientDto {
  @ApiProperty({ example: 'acme-web' }) @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/) clientId!: string;
  @ApiPropertyOptional({ description: 'Omitted by a tenant administrator (their own tenant); omitted by a platform administrator for a platform client' })
  @IsOptional()
  @Matches(SLUG)
  tenant?: string;
  @ApiPropertyOptional({ default: true, description: 'Confidential clients get a generated secret, shown once' })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean;
  @ApiProperty({ enum: GRANT_TYPES, isArray: true }) @IsArray() @ArrayUnique() @IsIn(GRANT_TYPES, { each: true }) grantTypes!: GrantType[];
  @ApiProperty({ example: ['orders:read'] }) @IsArray() @ArrayUnique() @Matches(SCOPE, { each: true }) scopes!: string[];
  @ApiPropertyOptional({ description: 'A browser or native app that keeps no secret: the opposite of confidential; PKCE is its only proof' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
  @ApiPropertyOptional({
    example: ['https://app.acme.test/callback'],
    description: 'Compared by exact string at /oauth/authorize; http only on a loopback address',
  })
  @IsOptional()
  @IsRedirectUris()
  redirectUris?: string[];
  @ApiPropertyOptional({ example: ['https://app.acme.test/'], description: 'Where RP-initiated logout may return to, compared by exact string' })
  @IsOptional()
  @IsRedirectUris()
  postLogoutRedirectUris?: string[];
  @ApiPropertyOptional({
    example: ['https://app.acme.test'],
    description: 'Browser origins answered with CORS at /oauth/token, /oauth/userinfo and /oauth/revoke',
  })
  @IsOptional()
  @IsOrigins()
  allowedOrigins?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) audience?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() firstParty?: boolean;
  @ApiPropertyOptional({ description: 'May introspect any token: platform administrators only' }) @IsOptional() @IsBoolean() introspect?: boolean;
}

export class CreateUserDto {
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG) tenant?: string;
  @ApiProperty() @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/) username!: string;
  @ApiProperty() @IsEmail() @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MaxLength(1024) password!: string;
  @ApiPropertyOptional({ example: ['admin'] }) @IsOptional() @IsArray() @ArrayUnique() @Matches(/^[a-z][a-z0-9:_-]{0,63}$/, { each: true }) roles?: string[];
}

export class TenantQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG) tenant?: string;
}
