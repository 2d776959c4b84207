import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBootstrapFile } from './bootstrap-file';

describe('readBootstrapFile', () => {
  let folder: string;
  const write = (text: string) => {
    const file = join(folder, 'bootstrap.yaml');
    writeFileSync(file, text);
    return file;
  };
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'gatehouse-bootstrap-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('resolves references inside flow and block style, keeping hostile values as plain data', () => {
    const file = write(`
tenants: [{ id: acme, name: Acme }]
clients:
  - clientId: ops
    secret: \${OPS_SECRET}
    grantTypes: [client_credentials]
    scopes: [admin]
users:
  - { tenant: acme, username: alice, email: a@acme.test, password: \${ALICE_PASSWORD} }
`);
    const hostile = 'x, roles: [admin], y: }{ 12345';
    const document = readBootstrapFile(file, { OPS_SECRET: 's'.repeat(40), ALICE_PASSWORD: hostile });
    expect(document.users[0]).toMatchObject({ password: hostile });
    expect(document.users[0].roles).toBeUndefined();
    expect(document.clients[0].secret).toBe('s'.repeat(40));
  });

  it('names every unset variable instead of using an empty secret', () => {
    const file = write('clients:\n  - { clientId: ops, secret: ${A_SECRET}, grantTypes: [], scopes: [${SCOPE}] }\n');
    expect(() => readBootstrapFile(file, {})).toThrow('Fix: set A_SECRET, SCOPE in the environment or .env');
  });

  it('refuses unknown fields and short secrets, listing them all', () => {
    const file = write('clients:\n  - { clientId: ops, secret: short, grantTypes: [telepathy], scopes: [], colour: blue }\n');
    expect(() => readBootstrapFile(file, {})).toThrow(/secret[\s\S]*grantTypes[\s\S]*colour|colour[\s\S]*secret/);
  });

  describe("a tenant's identity provider", () => {
    const tenantWith = (provider: string) => write(`tenants:\n  - id: acme\n    name: Acme\n    identityProvider: ${provider}\n`);

    it('reads a valid one, http allowed outside production, rolesClaim a dot path', () => {
      const file = tenantWith(
        '{ issuer: "https://login.acme.test/realms/acme", jwksUri: "http://127.0.0.1:4100/certs", audience: gatehouse-api, rolesClaim: realm_access.roles }',
      );
      expect(readBootstrapFile(file, {}).tenants[0].identityProvider).toEqual({
        issuer: 'https://login.acme.test/realms/acme',
        jwksUri: 'http://127.0.0.1:4100/certs',
        audience: 'gatehouse-api',
        rolesClaim: 'realm_access.roles',
      });
    });

    it('leaves rolesClaim to its default and the provider absent when not declared', () => {
      const file = write(`tenants:
  - { id: acme, name: Acme, identityProvider: { issuer: "https://idp.test", jwksUri: "https://idp.test/jwks", audience: api } }
  - { id: globex, name: Globex }
`);
      const [acme, globex] = readBootstrapFile(file, {}).tenants;
      expect(acme.identityProvider?.rolesClaim).toBeUndefined();
      expect(globex.identityProvider).toBeUndefined();
    });

    it('refuses URLs that are not http(s), naming the field', () => {
      const file = tenantWith('{ issuer: "not a url", jwksUri: "ftp://idp.test/jwks", audience: api }');
      expect(() => readBootstrapFile(file, {})).toThrow(
        /tenants\.0\.identityProvider\.issuer: issuer must be an http\(s\) URL[\s\S]*identityProvider\.jwksUri: jwksUri must be an http\(s\) URL/,
      );
    });

    it('refuses a rolesClaim that is not a dot path, an empty audience and unknown fields', () => {
      const file = tenantWith('{ issuer: "https://idp.test", jwksUri: "https://idp.test/jwks", audience: "", rolesClaim: "realm_access..roles", scope: x }');
      const read = () => readBootstrapFile(file, {});
      expect(read).toThrow(/identityProvider\.rolesClaim: rolesClaim must be a claim name or a dot path/);
      expect(read).toThrow(/identityProvider\.audience:/);
      expect(read).toThrow(/identityProvider\.scope: property scope should not exist/);
    });

    it('refuses a provider that is not an object', () => {
      expect(() => readBootstrapFile(tenantWith('https://idp.test'), {})).toThrow(/tenants\.0\.identityProvider:/);
    });
  });

  it('takes whether a tenant requires verified email addresses, as a boolean only', () => {
    const required = readBootstrapFile(write('tenants:\n  - { id: acme, name: Acme, requireEmailVerification: true }\n'), {});
    expect(required.tenants[0].requireEmailVerification).toBe(true);
    expect(() => readBootstrapFile(write('tenants:\n  - { id: acme, name: Acme, requireEmailVerification: sometimes }\n'), {})).toThrow(
      /tenants\.0\.requireEmailVerification/,
    );
  });

  it("takes a tenant's allowed scopes, and refuses a platform-only one among them", () => {
    const allowed = readBootstrapFile(write('tenants:\n  - { id: acme, name: Acme, allowedScopes: [profile, orders:read] }\n'), {});
    expect(allowed.tenants[0].allowedScopes).toEqual(['profile', 'orders:read']);
    const file = write('tenants:\n  - { id: acme, name: Acme, allowedScopes: [profile, users:read] }\n');
    expect(() => readBootstrapFile(file, {})).toThrow(/tenants\.0\.allowedScopes: .*users:read/);
  });
});
