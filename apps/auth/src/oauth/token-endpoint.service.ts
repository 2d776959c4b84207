import { Injectable } from '@nestjs/common';
import { authenticateClient } from '../clients/authenticate-client';
import type { GrantType } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { AuthMetrics } from '../metrics/auth-metrics';
import { checkGrantType } from './checks/check-grant-type';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant';
import { ClientCredentialsGrant } from './grants/client-credentials.grant';
import { PasswordGrant } from './grants/password.grant';
import { RefreshTokenGrant } from './grants/refresh-token.grant';
import type { TokenRequestDto, TokenResponse } from './token-request.dto';

export const SUPPORTED_GRANTS: readonly GrantType[] = ['authorization_code', 'password', 'client_credentials', 'refresh_token'];

/** `POST /oauth/token`, in this order: authenticate the client, check the grant, run it. */
@Injectable()
export class TokenEndpoint {
  constructor(
    private readonly clients: ClientLookup,
    private readonly clientCredentials: ClientCredentialsGrant,
    private readonly password: PasswordGrant,
    private readonly refresh: RefreshTokenGrant,
    private readonly authorizationCode: AuthorizationCodeGrant,
    private readonly metrics: AuthMetrics,
  ) {}

  /** Counted by grant type and outcome in `gatehouse_token_grants_total`. */
  async handle(form: TokenRequestDto, authorization: string | undefined, ip: string): Promise<TokenResponse> {
    try {
      const answer = await this.grant(form, authorization, ip);
      this.metrics.grant(form.grant_type, 'success');
      return answer;
    } catch (error) {
      this.metrics.grant(form.grant_type, 'failure');
      throw error;
    }
  }

  private async grant(form: TokenRequestDto, authorization: string | undefined, ip: string): Promise<TokenResponse> {
    const client = await authenticateClient(this.clients, {
      authorization,
      clientId: form.client_id,
      clientSecret: form.client_secret,
    });
    switch (checkGrantType(client, form.grant_type, SUPPORTED_GRANTS)) {
      case 'client_credentials':
        return this.clientCredentials.handle(client, form);
      case 'password':
        return this.password.handle(client, form, ip);
      case 'refresh_token':
        return this.refresh.handle(client, form);
      case 'authorization_code':
        return this.authorizationCode.handle(client, form);
    }
  }
}
