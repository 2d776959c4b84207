import { Injectable } from '@nestjs/common';
import { HEADER } from '@gatehouse/contracts';
import { withoutCookie } from '../authn/session-cookie';
import type { Exchange } from '../exchange';
import { GatewaySettings } from '../gateway.settings';
import { InternalTokenMinter } from './internal-token.minter';

/**
 * Pipeline step 9: how an authenticated caller's identity reaches the upstream, by the route's
 * propagation mode. `internal-token` replaces `Authorization` with a gateway-signed internal token;
 * `headers` removes it and sets the `X-User-*` family; `pass-through` forwards the caller's token.
 * The incoming identity headers are already gone (step 2), so what arrives is only what is set here.
 * A public route forwards what the client sent (the auth app reads its own credentials). A
 * `session` route forwards the client's other cookies but never the session cookie: no upstream
 * needs the session secret, and one that logged its headers would leak a live session.
 */
@Injectable()
export class IdentityPropagation {
  constructor(
    private readonly minter: InternalTokenMinter,
    private readonly settings: GatewaySettings,
  ) {}

  apply(headers: Record<string, string | string[]>, exchange: Exchange, requestId: string): void {
    const { principal, route } = exchange;
    if (route.auth === 'session') this.dropSessionCookie(headers);
    if (!principal) return;
    switch (route.propagation) {
      case 'pass-through':
        return;
      case 'internal-token':
        headers.authorization = `Bearer ${this.minter.mint(principal, route.audience, requestId)}`;
        return;
      case 'headers':
        delete headers.authorization;
        headers[HEADER.userId] = principal.subject;
        if (principal.email) headers[HEADER.userEmail] = principal.email;
        if (principal.username) headers[HEADER.userName] = principal.username;
        headers[HEADER.userRoles] = principal.roles.join(',');
        if (principal.tenantId) headers[HEADER.tenantId] = principal.tenantId;
        headers[HEADER.clientId] = principal.clientId;
        headers[HEADER.tokenScopes] = principal.scopes.join(' ');
        headers[HEADER.subjectType] = principal.kind;
        return;
    }
  }

  private dropSessionCookie(headers: Record<string, string | string[]>): void {
    const cookie = headers.cookie;
    if (typeof cookie !== 'string') return;
    const others = withoutCookie(cookie, this.settings.SESSION_COOKIE_NAME);
    if (others === undefined) delete headers.cookie;
    else headers.cookie = others;
  }
}
