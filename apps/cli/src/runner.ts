import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Jwk, Probe, Requirement, ScanCase, ScanContext } from './case';
import { describeAnswer, findingOf } from './evaluate';
import { resigned } from './forge';
import type { TargetClient } from './http-client';
import { decodeJws } from './jose';
import { Loopback } from './loopback';

export type Outcome = 'pass' | 'finding' | 'skipped' | 'not-run';

export interface CaseResult {
  case: string;
  variant?: string;
  title: string;
  source: string;
  expected: string;
  got: string;
  outcome: Outcome;
  detail?: string;
}

export interface ScanSettings {
  route: string;
  token: string;
  issuerKey?: string;
  echoRoute?: string;
  otherTenant?: string;
  skip: ReadonlySet<string>;
}

/** A scan that cannot tell anything: it stops before any case runs. */
export class ScanAborted extends Error {}

const UNMET: Record<Requirement, string> = {
  jwks: 'the target serves no usable /.well-known/jwks.json',
  'issuer-key': 'needs --issuer-key',
  'echo-route': 'needs --echo-route',
  'other-tenant': 'needs --other-tenant',
  'platform-issuer': "the target's discovery document names no issuer other than the token's",
};

/** The context every case forges from, after the controls that prove the token works. */
async function prepare(client: TargetClient, settings: ScanSettings, loopback: Loopback): Promise<ScanContext> {
  let token;
  try {
    token = { ...decodeJws(settings.token), value: settings.token };
  } catch (error) {
    throw new ScanAborted(`--token: ${(error as Error).message}`);
  }
  const control = await client.send(settings.route, [['authorization', `Bearer ${settings.token}`]]);
  if (control.status < 200 || control.status >= 300) {
    throw new ScanAborted(
      `the control request GET ${settings.route} with the token answered ${describeAnswer(control)}, not 2xx: check --token and --route; nothing was scanned`,
    );
  }
  const jwks = await client.send('/.well-known/jwks.json').then(
    (answer) => usableKeys(answer.body),
    () => [],
  );
  const kid = token.header.kid;
  jwks.sort((a, b) => Number(b.kid === kid) - Number(a.kid === kid));
  const discovery = await client.send('/.well-known/openid-configuration').then(
    (answer) => answer.body as { issuer?: unknown } | undefined,
    () => undefined,
  );
  const issuer = typeof discovery?.issuer === 'string' && discovery.issuer !== token.payload.iss ? discovery.issuer : undefined;
  const ec = String(token.header.alg).startsWith('ES');
  const pair = ec ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const attacker = {
    privateKey: pair.privateKey,
    jwk: { ...(pair.publicKey.export({ format: 'jwk' }) as Jwk), kid: typeof kid === 'string' ? kid : 'gatehouse-scan' },
    alg: ec ? 'ES256' : 'RS256',
  };
  const context: ScanContext = {
    route: settings.route,
    token,
    jwks,
    issuerKey: settings.issuerKey === undefined ? undefined : loadKey(settings.issuerKey),
    platformIssuer: issuer,
    echoRoute: settings.echoRoute,
    otherTenant: settings.otherTenant,
    loopback,
    attacker,
    nowSeconds: Math.floor(Date.now() / 1000),
  };
  if (context.issuerKey) {
    const again = await client.send(settings.route, [['authorization', `Bearer ${resigned(context, context.issuerKey)}`]]);
    if (again.status < 200 || again.status >= 300) {
      throw new ScanAborted(
        `the token signed anew with --issuer-key answered ${describeAnswer(again)}, not 2xx: the key did not sign this token; nothing was scanned`,
      );
    }
  }
  return context;
}

function loadKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new ScanAborted(`--issuer-key is not a private key in PEM: ${(error as Error).message}`);
  }
}

function usableKeys(body: unknown): Jwk[] {
  const keys = (body as { keys?: unknown } | undefined)?.keys;
  return Array.isArray(keys) ? keys.filter((key): key is Jwk => typeof key === 'object' && key !== null && typeof (key as Jwk).kty === 'string') : [];
}

function unmet(scanCase: ScanCase, context: ScanContext): string | undefined {
  const have: Record<Requirement, boolean> = {
    jwks: context.jwks.length > 0,
    'issuer-key': context.issuerKey !== undefined,
    'echo-route': context.echoRoute !== undefined,
    'other-tenant': context.otherTenant !== undefined,
    'platform-issuer': context.platformIssuer !== undefined,
  };
  const missing = (scanCase.needs ?? []).find((need) => !have[need]);
  return missing && UNMET[missing];
}

async function runProbe(client: TargetClient, scanCase: ScanCase, probe: Probe, route: string): Promise<CaseResult> {
  const row = { case: scanCase.id, variant: probe.variant, title: scanCase.title, source: scanCase.source, expected: probe.expect.label };
  try {
    const answer = await client.send(probe.path ?? route, probe.headers);
    const finding = findingOf(probe, answer);
    return { ...row, got: describeAnswer(answer), outcome: finding ? 'finding' : 'pass', ...(finding ? { detail: finding } : {}) };
  } catch (error) {
    return { ...row, got: 'no answer', outcome: 'finding', detail: (error as Error).message };
  }
}

/** Runs the catalogue against the target: one row per probe, plus a row per skipped or unrunnable case. */
export async function runScan(client: TargetClient, catalogue: readonly ScanCase[], settings: ScanSettings): Promise<CaseResult[]> {
  let attackerJwks = '{"keys":[]}';
  const loopback = new Loopback(() => attackerJwks);
  await loopback.start();
  try {
    const context = await prepare(client, settings, loopback);
    attackerJwks = JSON.stringify({ keys: [{ ...context.attacker.jwk, alg: context.attacker.alg, use: 'sig' }] });
    const results: CaseResult[] = [];
    for (const scanCase of catalogue) {
      const row = { case: scanCase.id, title: scanCase.title, source: scanCase.source, expected: '', got: '' };
      if (settings.skip.has(scanCase.id)) {
        results.push({ ...row, outcome: 'skipped', detail: 'skipped by --skip' });
        continue;
      }
      const reason = unmet(scanCase, context);
      const probes = reason ? [] : scanCase.probes(context);
      if (probes.length === 0) {
        results.push({ ...row, outcome: 'not-run', detail: reason ?? 'does not apply to this token' });
        continue;
      }
      for (const probe of probes) results.push(await runProbe(client, scanCase, probe, settings.route));
    }
    return results;
  } finally {
    await loopback.close();
  }
}
