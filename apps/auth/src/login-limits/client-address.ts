import { createParamDecorator, type ExecutionContext, Injectable, type PipeTransform } from '@nestjs/common';
import { TrustedProxies } from '@gatehouse/throttling';
import type { FastifyRequest } from 'fastify';
import { AuthSettings } from '../auth.settings';

/** What a client address is worked out from: the connection's peer and its `X-Forwarded-For`. */
export interface RequestOrigin {
  peer: string | undefined;
  forwardedFor: string | string[] | undefined;
}

const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): RequestOrigin => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { peer: request.socket.remoteAddress, forwardedFor: request.headers['x-forwarded-for'] };
});

/** Believes `X-Forwarded-For` only from `AUTH_TRUSTED_PROXIES`: anyone else could pick their own limits. */
@Injectable()
export class ClientAddressPipe implements PipeTransform<RequestOrigin, string> {
  private readonly proxies: TrustedProxies;

  constructor(settings: AuthSettings) {
    this.proxies = new TrustedProxies(settings.trustedProxies);
  }

  transform(origin: RequestOrigin): string {
    return this.proxies.clientAddress(origin.peer, origin.forwardedFor);
  }
}

/** The client's address, for login limits and the audit trail. */
export const ClientAddress = (): ParameterDecorator => Origin(undefined, ClientAddressPipe);
