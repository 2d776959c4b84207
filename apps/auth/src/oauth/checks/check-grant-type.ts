import { OAuthError } from '@gatehouse/contracts';
import { type ClientEntity, GRANT_TYPES, type GrantType } from '../../clients/client.entity';

/** check-grant-type: the server knows the grant, and this client may use it. */
export function checkGrantType(client: ClientEntity, grantType: string, supported: readonly GrantType[]): GrantType {
  if (!(GRANT_TYPES as readonly string[]).includes(grantType) || !supported.includes(grantType as GrantType)) {
    throw new OAuthError('unsupported_grant_type', `The grant type ${grantType.slice(0, 64)} is not supported.`);
  }
  const grant = grantType as GrantType;
  if (!client.grantTypes.includes(grant)) {
    throw new OAuthError('unauthorized_client', `This client may not use the ${grant} grant.`);
  }
  if (grant === 'client_credentials' && !client.confidential) {
    throw new OAuthError('unauthorized_client', 'Only confidential clients may use client_credentials.');
  }
  if (grant === 'password' && !client.firstParty) {
    throw new OAuthError('unauthorized_client', 'Only first-party clients may use the password grant.');
  }
  return grant;
}
