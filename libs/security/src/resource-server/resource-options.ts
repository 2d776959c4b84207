import { loadSettings } from '@gatehouse/config';
import { APP_NAMES } from '@gatehouse/contracts';
import { type IdentityPropagation, ResourceServerSettings } from './resource-server.settings';

/** A service's name: the `aud` the gateway's internal tokens and other services' tokens name. */
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * How a service outside this repository reaches the platform. Every address has the default of a
 * platform started with `npm start` on this machine; an invalid value refuses the start, naming it.
 */
export interface GatehouseResourceOptions {
  /** This service's name, e.g. `billing`: the audience of what it accepts, and its client `billing-service`. */
  service: string;
  /** The gateway's `IDENTITY_PROPAGATION`; default `internal-token`. */
  identityPropagation?: IdentityPropagation;
  /** Where the gateway publishes its internal keys; default `http://127.0.0.1:3000/.well-known/internal-jwks.json`. */
  gatewayJwksUrl?: string;
  /** `iss` of the gateway's internal tokens; default `gatehouse-gateway`. */
  gatewayIssuer?: string;
  /** The auth server as this service reaches it (its JWKS, its token endpoint); default `http://127.0.0.1:3001`. */
  authUrl?: string;
  /** `iss` of the auth server's tokens (its public address); default `http://127.0.0.1:3000`. */
  authIssuer?: string;
  /** `aud` of access tokens, read in `pass-through` mode; default `gatehouse-api`. */
  apiAudience?: string;
  /** This service's client at the auth server, for its own calls; default `<service>-service`. */
  clientId?: string;
  /** Its secret; unset, the service calls no one (a call fails with 503 service_unavailable). */
  clientSecret?: string;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`; default 30. */
  clockLeewaySeconds?: number;
}

/**
 * The options as the settings the platform's own services read, validated the same way: one
 * implementation of key sets, verifiers and defaults, whoever runs it.
 */
export function resourceSettingsOf(options: GatehouseResourceOptions): ResourceServerSettings {
  if (!SERVICE_NAME_PATTERN.test(options.service)) {
    throw new Error(`GatehouseResourceModule: service ${JSON.stringify(options.service)} must be lower-case letters, digits and dashes`);
  }
  // It would accept the tokens minted for that app, and the gateway routes no URL under its name.
  if ((APP_NAMES as readonly string[]).includes(options.service)) {
    throw new Error(`GatehouseResourceModule: service ${options.service} is a platform app's name; choose your service's own`);
  }
  const env: Record<string, string | undefined> = {
    IDENTITY_PROPAGATION: options.identityPropagation,
    GATEWAY_INTERNAL_JWKS_URL: options.gatewayJwksUrl,
    GATEWAY_INTERNAL_ISSUER: options.gatewayIssuer,
    AUTH_INTERNAL_URL: options.authUrl,
    AUTH_ISSUER: options.authIssuer,
    API_AUDIENCE: options.apiAudience,
    JWT_CLOCK_LEEWAY: options.clockLeewaySeconds?.toString(),
  };
  return loadSettings(ResourceServerSettings, env).settings;
}
