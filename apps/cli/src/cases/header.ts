import type { Probe, ScanCase, ScanContext } from '../case';
import { TOKEN_REFUSED } from '../expectations';
import { bearer, headerAttack, resigned } from '../forge';

const kidProbe = (context: ScanContext, variant: string, kid: string, hmacKey?: Buffer): Probe => ({
  variant,
  headers: [bearer(hmacKey ? resigned(context, hmacKey, { alg: 'HS256', kid }) : headerAttack(context, { kid }))],
  expect: TOKEN_REFUSED,
  attacked: hmacKey ? ['header.kid', 'header.alg', 'signature'] : ['header.kid', 'signature'],
});

/** Another key id of the target's set, or one that names no key at all. */
function otherKid(context: ScanContext): string {
  return (
    context.jwks.map((jwk) => jwk.kid).find((kid): kid is string => typeof kid === 'string' && kid !== context.token.header.kid) ??
    `${String(context.token.header.kid)}-other`
  );
}

export const HEADER_CASES: ScanCase[] = [
  {
    id: 'kid-injection',
    title: 'kid as a path, SQL, a command, another key id',
    source: 'RFC 7515 4.1.4, RFC 8725 3.10',
    probes: (context) => [
      // The classic: a kid naming /dev/null makes a file-based key lookup answer an empty HMAC key.
      kidProbe(context, 'path traversal', '../../../../../../dev/null', Buffer.alloc(0)),
      kidProbe(context, 'SQL', "x' UNION SELECT 'gatehouse-scan' -- ", Buffer.from('gatehouse-scan')),
      kidProbe(context, 'SQL, kid kept', `${String(context.token.header.kid)}' OR '1'='1`),
      kidProbe(context, 'command', `${String(context.token.header.kid)}|id;$(id)\`id\``),
      kidProbe(context, 'another key id', otherKid(context)),
    ],
  },
  {
    id: 'crit-unknown',
    title: 'crit naming an extension nobody understands',
    source: 'RFC 7515 4.1.11',
    probes: (context) => [
      {
        headers: [bearer(headerAttack(context, { crit: ['urn:gatehouse:scan'], 'urn:gatehouse:scan': true }))],
        expect: TOKEN_REFUSED,
        attacked: ['header.crit', 'header.urn:gatehouse:scan', 'signature'],
      },
    ],
  },
  {
    id: 'typ-confusion',
    title: 'another kind of JWT: ID-token style, internal token, DPoP proof',
    source: 'RFC 9068 4, RFC 8725 3.11 and 3.12',
    probes: (context) => {
      const typ = typeof context.token.header.typ === 'string' ? context.token.header.typ.toLowerCase() : '';
      // A tenant's own identity provider may type its access tokens `JWT`; only an `at+jwt`
      // token is told apart from an ID token by its typ.
      const others = [...(typ === 'at+jwt' ? ['JWT'] : []), 'gh-internal+jwt', 'dpop+jwt'];
      return others.map((other) => ({
        variant: other,
        headers: [bearer(headerAttack(context, { typ: other }))],
        expect: TOKEN_REFUSED,
        attacked: ['header.typ', 'signature'],
      }));
    },
  },
];
