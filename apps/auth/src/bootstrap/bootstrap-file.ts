import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateBy,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { parseYaml, readSettingFile, StartupError } from '@gatehouse/config';
import { GRANT_TYPES, type GrantType } from '../clients/client.entity';
import { IsOrigins, IsRedirectUris } from '../clients/client-uris';
import { IdentityProviderDto } from '../tenants/identity-provider.dto';
import { IsTenantScopes } from '../tenants/tenant-scopes';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class BootstrapTenant {
  @Matches(SLUG) id!: string;
  @IsString() @MinLength(1) name!: string;
  @IsOptional() @IsString() plan?: string;
  @IsOptional() @IsIn(['active', 'suspended']) status?: 'active' | 'suspended';
  @IsOptional() @ValidateNested() @Type(() => IdentityProviderDto) identityProvider?: IdentityProviderDto;
  /** The scopes its clients may hold; unset: `TENANT_CLIENT_SCOPES`. */
  @IsOptional() @IsTenantScopes() allowedScopes?: string[];
  /** Its users sign in only once their email address is verified; unset: false. */
  @IsOptional() @IsBoolean() requireEmailVerification?: boolean;
}

export class BootstrapClient {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/) clientId!: string;
  @IsOptional() @Matches(SLUG) tenant?: string;
  @IsOptional() @IsString() @MinLength(32, { message: 'client secrets need at least 32 characters' }) secret?: string;
  @IsArray() @ArrayUnique() @IsIn(GRANT_TYPES, { each: true }) grantTypes!: GrantType[];
  @IsArray() @IsString({ each: true }) scopes!: string[];
  /** A public client (a browser or native app) has no secret: declaring one is refused. */
  @IsOptional()
  @IsBoolean()
  @ValidateBy({
    name: 'publicWithoutSecret',
    validator: {
      validate: (value: unknown, args) => value !== true || (args?.object as BootstrapClient).secret === undefined,
      defaultMessage: () => 'a public client must not declare a secret',
    },
  })
  public?: boolean;
  @IsOptional() @IsRedirectUris() redirectUris?: string[];
  @IsOptional() @IsRedirectUris() postLogoutRedirectUris?: string[];
  @IsOptional() @IsOrigins() allowedOrigins?: string[];
  @IsOptional() @IsString() audience?: string;
  @IsOptional() @IsBoolean() firstParty?: boolean;
  @IsOptional() @IsBoolean() introspect?: boolean;
}

export class BootstrapUser {
  @Matches(SLUG) tenant!: string;
  @IsString() @MinLength(2) username!: string;
  @IsEmail() email!: string;
  @IsString() @MinLength(12) password!: string;
  @IsOptional() @IsArray() @IsString({ each: true }) roles?: string[];
}

export class BootstrapDocument {
  @IsOptional() @ValidateNested({ each: true }) @Type(() => BootstrapTenant) tenants: BootstrapTenant[] = [];
  @IsOptional() @ValidateNested({ each: true }) @Type(() => BootstrapClient) clients: BootstrapClient[] = [];
  @IsOptional() @ValidateNested({ each: true }) @Type(() => BootstrapUser) users: BootstrapUser[] = [];
}

// `${NAME}` becomes a placeholder before parsing (a bare `${` is not valid YAML inside `{ }`),
// and the placeholder becomes the value after: a secret holding `,` or `: ` can never rewrite the
// document's structure, as it could if it were pasted into the text.
const REFERENCE = /\$\{([A-Z0-9_]+)\}/g;
const PLACEHOLDER = /__GATEHOUSE_ENV_([A-Z0-9_]+?)__/g;

function substitute(value: unknown, env: Readonly<Record<string, string | undefined>>, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_match, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') missing.add(name);
      return found ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, env, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, env, missing)]));
  }
  return value;
}

/** Reads and validates a bootstrap file; every problem is listed in one error. */
export function readBootstrapFile(path: string, env: Readonly<Record<string, string | undefined>>): BootstrapDocument {
  const missing = new Set<string>();
  const text = readSettingFile('BOOTSTRAP_FILE', path).replace(REFERENCE, (_match, name: string) => `__GATEHOUSE_ENV_${name}__`);
  const raw = substitute(parseYaml('BOOTSTRAP_FILE', path, text), env, missing);
  if (missing.size > 0) {
    const names = [...missing];
    throw StartupError.of(
      `BOOTSTRAP_FILE ${path} uses variables that are not set`,
      names.map((name) => `\${${name}}`),
      `set ${names.join(', ')} in the environment or .env`,
    );
  }
  const document = plainToInstance(BootstrapDocument, raw ?? {});
  const errors = validateSync(document, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const flatten = (list: typeof errors, at: string): string[] =>
      list.flatMap((e) => [
        ...Object.values(e.constraints ?? {}).map((text) => `${at}${e.property}: ${text}`),
        ...flatten(e.children ?? [], `${at}${e.property}.`),
      ]);
    throw StartupError.of(`BOOTSTRAP_FILE ${path} is invalid`, flatten(errors, ''), `correct these entries of ${path}`);
  }
  return document;
}
