import { randomBytes } from 'node:crypto';
import type { ScanCase, ScanContext } from '../case';
import { MALFORMED_REFUSED, TOKEN_REFUSED } from '../expectations';
import { bearer, withPayload } from '../forge';
import { b64url, segment } from '../jose';

/** A JWE compact serialization (RFC 7516 section 7.1) around the token's claims, under `header`. */
function jwe(context: ScanContext, header: Record<string, unknown>): string {
  const protectedHeader = segment({ kid: context.token.header.kid, typ: context.token.header.typ, ...header });
  return [protectedHeader, b64url(randomBytes(16)), b64url(randomBytes(12)), context.token.raw[1], b64url(randomBytes(16))].join('.');
}

// A refusal must not depend on the work the header asks for: a p2c this size costs minutes.
const P2C_BOMB = 2_147_483_647;
const FAST_MS = 1_000;

/** The claims with one member written twice: the value that is signed first, another after it. */
function duplicated(context: ScanContext, claim: string, second: string): string {
  const json = JSON.stringify(context.token.payload);
  return `${context.token.raw[0]}.${b64url(`${json.slice(0, -1)},${JSON.stringify(claim)}:${JSON.stringify(second)}}`)}.${context.token.raw[2]}`;
}

export const SERIALIZATION_CASES: ScanCase[] = [
  {
    id: 'jwe-compact',
    title: 'a JWE (five parts) instead of a JWS',
    source: 'RFC 7516 9, RFC 8725 3.12',
    probes: (context) => [{ headers: [bearer(jwe(context, { alg: 'RSA-OAEP-256', enc: 'A256GCM' }))], expect: MALFORMED_REFUSED, attacked: ['encoding'] }],
  },
  {
    id: 'jws-json-serialization',
    title: 'the token in JWS JSON serialization',
    source: 'RFC 7515 7.2',
    probes: (context) => {
      const [protectedHeader, payload, signature] = context.token.raw;
      const json = JSON.stringify({ payload, signatures: [{ protected: protectedHeader, signature }] });
      return [
        { variant: 'JSON', headers: [bearer(json)], expect: MALFORMED_REFUSED, attacked: ['encoding'] },
        { variant: 'JSON, base64url', headers: [bearer(b64url(json))], expect: MALFORMED_REFUSED, attacked: ['encoding'] },
      ];
    },
  },
  {
    id: 'pbes2-p2c-bomb',
    title: `PBES2 with p2c = ${P2C_BOMB}, refused within ${FAST_MS} ms`,
    source: 'RFC 7518 4.8.1.2, CVE-2022-36083',
    probes: (context) => [
      {
        headers: [bearer(jwe(context, { alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: P2C_BOMB, p2s: b64url(randomBytes(16)) }))],
        expect: MALFORMED_REFUSED,
        attacked: ['encoding'],
        maxMs: FAST_MS,
      },
    ],
  },
  {
    id: 'duplicate-claims',
    title: 'a claim written twice (sub, then iss)',
    source: 'RFC 7519 4, RFC 8725 2.6',
    probes: (context) => [
      {
        variant: 'sub',
        headers: [bearer(duplicated(context, 'sub', 'gatehouse-scan-forged-subject'))],
        expect: TOKEN_REFUSED,
        attacked: ['payload.sub', 'signature'],
      },
      {
        variant: 'iss',
        headers: [bearer(duplicated(context, 'iss', 'https://gatehouse-scan.invalid'))],
        expect: TOKEN_REFUSED,
        attacked: ['payload.iss', 'signature'],
      },
    ],
  },
  {
    id: 'oversize-token',
    title: 'a 10 KiB token, over the usual limits but within HTTP header limits',
    source: 'RFC 6750 2.1, RFC 9110 5.4',
    probes: (context) => [
      {
        headers: [bearer(withPayload(context, { 'gatehouse-scan-pad': 'x'.repeat(7_168) }))],
        // Refused by the token check, or earlier by a header-size limit.
        expect: { ...MALFORMED_REFUSED, label: '401 invalid_token | 400 | 431', statuses: [400, 401, 431], errors: undefined },
        attacked: ['payload.gatehouse-scan-pad', 'signature'],
      },
    ],
  },
];
