import { RevocationList } from '../revocation/revocation-list';
import { externalPrincipal } from './external-principal';

const claims = { iss: 'https://idp.test', sub: 'u-1', azp: 'spa', jti: 'j-1', iat: 2000, exp: 2600, scope: 'profile' };

describe('externalPrincipal and revocation watermarks', () => {
  it("carries the token's iat, so a tenant's suspension covers only tokens issued before it", () => {
    const list = new RevocationList(30);
    list.apply({ seq: 1, kind: 'tenant', value: 'acme', before: 1999, until: 2600 });
    expect(externalPrincipal(claims, 'acme', 'roles', 'token').issuedAt).toBe(2000);
    expect(list.revoking(externalPrincipal(claims, 'acme', 'roles', 'token'))).toBeUndefined();
    expect(list.revoking(externalPrincipal({ ...claims, iat: 1999 }, 'acme', 'roles', 'token'))).toBe('tenant');
  });

  it('without iat, counts as issued before any watermark', () => {
    const list = new RevocationList(30);
    list.apply({ seq: 1, kind: 'tenant', value: 'acme', before: 1999, until: 2600 });
    expect(list.revoking(externalPrincipal({ ...claims, iat: undefined }, 'acme', 'roles', 'token'))).toBe('tenant');
  });
});
