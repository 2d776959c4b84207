import type { BootstrapTenant } from './bootstrap-file';
import { declaredIdentityProviderProblems } from './declared-identity-providers';

const tenant = (id: string, issuer?: string, jwksUri = 'http://127.0.0.1:4100/jwks'): BootstrapTenant => ({
  id,
  name: id,
  ...(issuer ? { identityProvider: { issuer, jwksUri, audience: 'api' } } : {}),
});
const platform = { AUTH_ISSUER: 'https://gatehouse.test', isProduction: false };
const nobody = () => Promise.resolve(null);

describe('declaredIdentityProviderProblems', () => {
  it('accepts distinct issuers, and tenants without one', async () => {
    expect(
      await declaredIdentityProviderProblems([tenant('acme', 'https://a.test'), tenant('globex', 'https://b.test'), tenant('initech')], platform, nobody),
    ).toEqual([]);
  });

  it('refuses the platform issuer, a shared issuer (trailing slash ignored) and http keys in production', async () => {
    const problems = await declaredIdentityProviderProblems(
      [tenant('acme', 'https://gatehouse.test/'), tenant('globex', 'https://b.test'), tenant('initech', 'https://b.test/')],
      { ...platform, isProduction: true },
      nobody,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^acme: the issuer is this platform's own/),
      'globex: jwksUri must be an https URL in production',
      'initech: jwksUri must be an https URL in production',
      'initech: issuer https://b.test/ is already declared by globex',
    ]);
  });

  it('refuses an issuer another tenant holds, unless the file declares that tenant too', async () => {
    const holder = (issuer: string) => Promise.resolve(issuer === 'https://a.test' ? 'umbrella' : issuer === 'https://b.test' ? 'acme' : null);
    const problems = await declaredIdentityProviderProblems([tenant('acme', 'https://a.test'), tenant('globex', 'https://b.test')], platform, holder);
    expect(problems).toEqual(['acme: issuer https://a.test is the identity provider of tenant umbrella']);
  });
});
