import { ValidateBy, type ValidationOptions } from 'class-validator';

const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

function parsed(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** http is accepted only where nothing leaves the machine: the loopback interface. */
const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);

/**
 * Why `value` cannot be a registered (post-logout) redirect URI, or undefined when it can: an
 * absolute https URL, http on a loopback address (RFC 8252 section 7.3), or a private-use scheme
 * of a native app (`com.example.app:/callback`, section 7.1); never a fragment (RFC 6749 section
 * 3.1.2), never credentials, never a wildcard.
 */
export function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return 'must be a URL of at most 2000 characters';
  const url = parsed(value);
  if (!url) return `${value.slice(0, 100)} is not an absolute URL`;
  if (url.hash || value.includes('#')) return `${value} must not have a fragment`;
  if (url.username || url.password) return `${value} must not carry credentials`;
  if (value.includes('*')) return `${value} must not hold a wildcard`;
  if (url.protocol === 'https:' || isLoopbackHttp(url)) return undefined;
  if (url.protocol === 'http:') return `${value} must be https (http only on a loopback address)`;
  // A private-use scheme names the app by a reversed domain, so one app cannot claim another's.
  if (!/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return `${value} must be https or a reversed-domain private-use scheme`;
  return undefined;
}

/**
 * Why `value` cannot be an allowed CORS origin, or undefined when it can: exactly an origin
 * (scheme, host, port; no path, no wildcard), https or http on a loopback address.
 */
export function originProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 300) return 'must be an origin of at most 300 characters';
  const url = parsed(value);
  if (!url || url.origin !== value) return `${value.slice(0, 100)} is not an origin (scheme://host[:port], nothing after)`;
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) return `${value} must be https (http only on a loopback address)`;
  return undefined;
}

function listValidator(name: string, problem: (value: unknown) => string | undefined, options?: ValidationOptions): PropertyDecorator {
  const first = (value: unknown) => (Array.isArray(value) ? value.map(problem).find(Boolean) : 'must be a list');
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => first(value) === undefined && new Set(value as string[]).size === (value as string[]).length,
        defaultMessage: (args) => `${args?.property ?? name}: ${first(args?.value) ?? 'must not repeat an entry'}`,
      },
    },
    options,
  );
}

/** A list of redirect URIs (redirectUriProblem), for the Admin API and the bootstrap file. */
export const IsRedirectUris = (options?: ValidationOptions) => listValidator('isRedirectUris', redirectUriProblem, options);
/** A list of CORS origins (originProblem), for the Admin API and the bootstrap file. */
export const IsOrigins = (options?: ValidationOptions) => listValidator('isOrigins', originProblem, options);
