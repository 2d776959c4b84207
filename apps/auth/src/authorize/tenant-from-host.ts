import { createParamDecorator, type ExecutionContext, Injectable, type PipeTransform } from '@nestjs/common';
import { TrustedProxies } from '@gatehouse/throttling';
import type { FastifyRequest } from 'fastify';
import { AuthSettings } from '../auth.settings';

/**
 * The tenant a host names as `<tenant>.<baseHost>` (the gateway's `subdomain` source), or
 * undefined: no base host, another host, or a label that is no tenant id.
 */
export function tenantFromHost(host: string | undefined, baseHost: string | undefined): string | undefined {
  if (!host || !baseHost) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${baseHost.toLowerCase()}`;
  const label = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
  return label && /^[a-z0-9][a-z0-9-]{0,62}$/.test(label) ? label : undefined;
}

interface HostSource {
  peer: string | undefined;
  host: string | undefined;
  forwardedHost: string | string[] | undefined;
}

const Source = createParamDecorator((_data: unknown, context: ExecutionContext): HostSource => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { peer: request.socket.remoteAddress, host: request.headers.host, forwardedHost: request.headers['x-forwarded-host'] };
});

/** The tenant of the host the browser asked for; `X-Forwarded-Host` believed only from `AUTH_TRUSTED_PROXIES`. */
@Injectable()
export class HostTenantPipe implements PipeTransform<HostSource, string | undefined> {
  private readonly proxies: TrustedProxies;

  constructor(private readonly settings: AuthSettings) {
    this.proxies = new TrustedProxies(settings.trustedProxies);
  }

  transform({ peer, host, forwardedHost }: HostSource): string | undefined {
    const forwarded = typeof forwardedHost === 'string' && this.proxies.trusts(peer) ? forwardedHost.split(',')[0].trim() : undefined;
    return tenantFromHost(forwarded ?? host, this.settings.TENANT_BASE_HOST);
  }
}

/** The tenant named by the request's host under `TENANT_BASE_HOST`, if any. */
export const HostTenant = (): ParameterDecorator => Source(undefined, HostTenantPipe);
