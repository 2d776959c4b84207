import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');
const REPOSITORIES = ['apps/users/src/profiles/profiles.repository.ts', 'apps/orders/src/orders/orders.repository.ts'];

function carriesTenant(checker: ts.TypeChecker, parameter: ts.ParameterDeclaration): boolean {
  const type = checker.getTypeAtLocation(parameter);
  if (parameter.name.getText() === 'tenantId' && type.flags & ts.TypeFlags.String) return true;
  const tenant = type.getProperty('tenantId');
  if (!tenant || tenant.flags & ts.SymbolFlags.Optional) return false;
  return Boolean(checker.getTypeOfSymbolAtLocation(tenant, parameter).flags & ts.TypeFlags.String);
}

/** Every public method of every `*Repository` class in `source`, and whether it takes the tenant first. */
function methodsOf(checker: ts.TypeChecker, source: ts.SourceFile): Record<string, boolean> {
  const verdicts: Record<string, boolean> = {};
  source.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || !node.name?.text.endsWith('Repository')) return;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const hidden = (ts.getModifiers(member) ?? []).some(
        (modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword || modifier.kind === ts.SyntaxKind.ProtectedKeyword,
      );
      if (hidden) continue;
      const first = member.parameters[0];
      verdicts[`${node.name.text}.${member.name.getText()}`] = first !== undefined && carriesTenant(checker, first);
    }
  });
  return verdicts;
}

/**
 * Tenant scoping in the types: every public method of a service's repository takes the tenant
 * first, as a `tenantId: string` parameter or an object with a required `tenantId: string`, so a
 * query without a tenant does not compile. Walks the repositories with the type checker.
 */
describe("tenant scoping of the services' repositories", () => {
  it.each(REPOSITORIES)('%s: every public method takes the tenant first', (file) => {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const program = ts.createProgram([join(ROOT, file)], { ...config?.options, noEmit: true });
    const source = program.getSourceFile(join(ROOT, file));
    if (!source) throw new Error(`${file} not found`);
    const verdicts = methodsOf(program.getTypeChecker(), source);
    expect(Object.keys(verdicts).length).toBeGreaterThan(2);
    expect(
      Object.entries(verdicts)
        .filter(([, scoped]) => !scoped)
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('tells a scoped method from an unscoped one (the check itself can fail)', () => {
    const text =
      'class ProbeRepository { a(tenantId: string) {} b(id: string) {} c(scope: { tenantId?: string }) {} d(scope: { tenantId: string; id: string }) {} e() {} private f(id: string) {} }';
    const probe = ts.createSourceFile('probe.ts', text, ts.ScriptTarget.ES2022, true);
    const host = ts.createCompilerHost({});
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) => (name === 'probe.ts' ? probe : original(name, version));
    const program = ts.createProgram(['probe.ts'], { noEmit: true, types: [] }, host);
    expect(methodsOf(program.getTypeChecker(), program.getSourceFile('probe.ts')!)).toEqual({
      'ProbeRepository.a': true,
      'ProbeRepository.b': false,
      'ProbeRepository.c': false,
      'ProbeRepository.d': true,
      'ProbeRepository.e': false,
    });
  });
});
