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
    expect(() => readBootstrapFile(file, {})).toThrow('unset variables A_SECRET, SCOPE');
  });

  it('refuses unknown fields and short secrets, listing them all', () => {
    const file = write('clients:\n  - { clientId: ops, secret: short, grantTypes: [telepathy], scopes: [], colour: blue }\n');
    expect(() => readBootstrapFile(file, {})).toThrow(/secret[\s\S]*grantTypes[\s\S]*colour|colour[\s\S]*secret/);
  });
});
