import type { Answer, ScanCase, ScanContext } from '../case';
import { TOKEN_REFUSED } from '../expectations';
import { bearer, resigned } from '../forge';

/** Signed by the scan's own key, with a header member telling where that key is. */
const attackerSigned = (context: ScanContext, header: Record<string, unknown>) =>
  resigned(context, context.attacker.privateKey, { alg: context.attacker.alg, ...header });

/** A finding when the target asked the scan's listener for anything at `path`. */
const fetched = (context: ScanContext, path: string) => (_answer: Answer) => {
  const asked = context.loopback.requests().filter((seen) => seen.startsWith(path));
  return asked.length > 0 ? `the target fetched ${context.loopback.url}${path} (${asked.length} request(s))` : undefined;
};

export const KEY_SOURCE_CASES: ScanCase[] = [
  {
    id: 'embedded-jwk',
    title: 'the signing key embedded in the header (jwk)',
    source: 'RFC 7515 4.1.3, RFC 8725 3.10, CVE-2018-0114',
    probes: (context) => [
      { headers: [bearer(attackerSigned(context, { jwk: context.attacker.jwk }))], expect: TOKEN_REFUSED, attacked: ['header.alg', 'header.jwk', 'signature'] },
    ],
  },
  {
    id: 'jku-loopback',
    title: 'jku pointing at a key set the scan serves',
    source: 'RFC 7515 4.1.2, RFC 8725 2.9 and 3.10',
    probes: (context) => [
      {
        headers: [bearer(attackerSigned(context, { jku: `${context.loopback.url}/jku/jwks.json` }))],
        expect: TOKEN_REFUSED,
        attacked: ['header.alg', 'header.jku', 'signature'],
        check: fetched(context, '/jku/'),
      },
    ],
  },
  {
    id: 'x5u-loopback',
    title: 'x5u pointing at a certificate URL the scan serves',
    source: 'RFC 7515 4.1.5, RFC 8725 2.9 and 3.10',
    probes: (context) => [
      {
        headers: [bearer(attackerSigned(context, { x5u: `${context.loopback.url}/x5u/cert.pem` }))],
        expect: TOKEN_REFUSED,
        attacked: ['header.alg', 'header.x5u', 'signature'],
        check: fetched(context, '/x5u/'),
      },
    ],
  },
];
