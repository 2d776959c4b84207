import type { Probe, ScanCase } from '../case';
import { MALFORMED_REFUSED, TOKEN_REFUSED } from '../expectations';
import { bearer, withSignature } from '../forge';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes spelled another way: the last character of an unpadded base64url string carries
 * bits that decode to nothing, and a lenient decoder ignores them (RFC 4648 section 3.5). Undefined
 * when the length leaves no such bit.
 */
export function nonCanonical(encoded: string): string | undefined {
  const spare = (encoded.length * 6) % 8;
  if (spare === 0 || encoded.length === 0) return undefined;
  const last = ALPHABET.indexOf(encoded[encoded.length - 1]);
  return `${encoded.slice(0, -1)}${ALPHABET[last ^ 1]}`;
}

export const SIGNATURE_CASES: ScanCase[] = [
  {
    id: 'signature-null',
    title: 'empty signature, alg kept',
    source: 'RFC 7515 5.2, RFC 8725 3.1',
    probes: (context) => [{ headers: [bearer(withSignature(context, ''))], expect: TOKEN_REFUSED, attacked: ['signature'] }],
  },
  {
    id: 'signature-truncated',
    title: 'signature cut to half its length',
    source: 'RFC 7515 5.2',
    probes: (context) => {
      const signature = context.token.raw[2];
      return [
        { headers: [bearer(withSignature(context, signature.slice(0, Math.floor(signature.length / 2))))], expect: TOKEN_REFUSED, attacked: ['signature'] },
      ];
    },
  },
  {
    id: 'base64-padding',
    title: 'signature with "=" padding',
    source: 'RFC 7515 2, RFC 8725 2.6',
    probes: (context) => [{ headers: [bearer(withSignature(context, `${context.token.raw[2]}==`))], expect: MALFORMED_REFUSED, attacked: ['encoding'] }],
  },
  {
    id: 'base64-non-canonical',
    title: 'signature in a non-canonical base64url spelling (same bytes)',
    source: 'RFC 4648 3.5, RFC 7515 2, RFC 8725 2.6',
    probes: (context): Probe[] => {
      const spelled = nonCanonical(context.token.raw[2]);
      return spelled ? [{ headers: [bearer(withSignature(context, spelled))], expect: MALFORMED_REFUSED, attacked: ['encoding'] }] : [];
    },
  },
];
