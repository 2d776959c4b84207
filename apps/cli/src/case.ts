import type { KeyObject } from 'node:crypto';
import type { DecodedJws, JsonObject } from './jose';
import type { Loopback } from './loopback';

/** One request of a case, and what the target must answer to it. */
export interface Probe {
  /** Tells probes of one case apart in the report (e.g. the key encoding). */
  variant?: string;
  /** Path and query on the target; the scanned route when absent. */
  path?: string;
  /** Header lines in order; a name may repeat. */
  headers: [string, string][];
  expect: Expectation;
  /** What the forged token changes from the valid one: `header.alg`, `payload.exp`, `signature`, `encoding`. */
  attacked?: string[];
  /** A refusal slower than this is a finding (work an attacker can make the target do). */
  maxMs?: number;
  /** A further finding, read from the answer or from what the scan saw meanwhile. */
  check?: (answer: Answer) => string | undefined;
}

export interface Expectation {
  /** As printed in the report's "expected" column. */
  label: string;
  statuses: readonly number[];
  /** Accepted `error` codes of the JSON body; any when absent. */
  errors?: readonly string[];
  /** The WWW-Authenticate the answer must carry; `bare` is a challenge without an error attribute. */
  challenge?: 'invalid_token' | 'invalid_request' | 'bare';
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: unknown;
  ms: number;
}

/** A public key of the target's JWKS. */
export interface Jwk extends JsonObject {
  kty: string;
  kid?: string;
}

export interface ScanContext {
  route: string;
  /** The valid token, decoded. */
  token: DecodedJws & { value: string };
  /** The target's keys (`/.well-known/jwks.json`), the one of the token's kid first. */
  jwks: Jwk[];
  /** The key that signed the valid token, when the operator gave it (`--issuer-key`). */
  issuerKey?: KeyObject;
  /** The target's own issuer, from its discovery document, when it serves one. */
  platformIssuer?: string;
  echoRoute?: string;
  otherTenant?: string;
  loopback: Loopback;
  /** A key pair of the scan's own, the key an attacker would slip in. */
  attacker: { privateKey: KeyObject; jwk: Jwk; alg: string };
  nowSeconds: number;
}

export type Requirement = 'jwks' | 'issuer-key' | 'echo-route' | 'other-tenant' | 'platform-issuer';

/** One attack of the catalogue, with where it is described. */
export interface ScanCase {
  id: string;
  title: string;
  /** RFC section or CVE. */
  source: string;
  needs?: Requirement[];
  probes(context: ScanContext): Probe[];
}
