import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/** The form of a registry request: the client may authenticate in the body (client_secret_post). */
export class RegistryFormDto {
  @IsOptional() @IsString() @Length(1, 200) client_id?: string;
  @IsOptional() @IsString() @Length(1, 500) client_secret?: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The one audit event the gateway reports: a token of one tenant used on another's request. */
export class CrossTenantReportDto extends RegistryFormDto {
  @IsIn(['cross_tenant_attempt']) type!: 'cross_tenant_attempt';
  @Matches(SLUG) resolved_tenant!: string;
  /** Empty when the token belongs to no tenant (a platform client). */
  @IsOptional() @Matches(SLUG) token_tenant?: string;
  @IsString() @Length(1, 200) subject!: string;
  @IsString() @Length(1, 200) client!: string;
  @IsString() @Length(1, 200) request_id!: string;
  @IsOptional() @IsString() @Length(1, 100) ip?: string;
}
