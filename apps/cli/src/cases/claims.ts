import type { JsonObject } from '../jose';
import type { Probe, ScanCase, ScanContext } from '../case';
import { CLAIMS_REFUSED, TOKEN_REFUSED } from '../expectations';
import { bearer, resigned } from '../forge';

const HOUR = 3_600;

/** The valid claims with `changes`, signed by the issuer's own key: only the claim is wrong. */
const claimProbe = (context: ScanContext, variant: string, changes: JsonObject): Probe => ({
  variant,
  headers: [bearer(resigned(context, context.issuerKey as NonNullable<ScanContext['issuerKey']>, {}, changes))],
  expect: CLAIMS_REFUSED,
  attacked: [...Object.keys(changes).map((name) => `payload.${name}`), 'signature'],
});

const claimCase = (id: string, title: string, source: string, changes: (context: ScanContext) => JsonObject): ScanCase => ({
  id,
  title,
  source,
  needs: ['issuer-key'],
  probes: (context) => [claimProbe(context, title, changes(context))],
});

export const CLAIM_CASES: ScanCase[] = [
  claimCase('claim-expired', 'exp an hour ago', 'RFC 7519 4.1.4, RFC 9068 4', ({ nowSeconds }) => ({
    exp: nowSeconds - HOUR,
    iat: nowSeconds - 2 * HOUR,
    nbf: nowSeconds - 2 * HOUR,
  })),
  claimCase('claim-not-yet-valid', 'nbf in an hour', 'RFC 7519 4.1.5', ({ nowSeconds }) => ({ nbf: nowSeconds + HOUR })),
  claimCase('claim-wrong-iss', 'iss of nobody the target trusts', 'RFC 7519 4.1.1, RFC 9068 4, RFC 8725 3.8', () => ({
    iss: 'https://gatehouse-scan.invalid',
  })),
  claimCase('claim-wrong-aud', 'aud of another resource', 'RFC 7519 4.1.3, RFC 9068 4, RFC 8725 3.9', () => ({ aud: 'gatehouse-scan-other-audience' })),
  claimCase('claim-missing-exp', 'no exp', 'RFC 9068 2.2', () => ({ exp: undefined })),
  claimCase('claim-missing-sub', 'no sub', 'RFC 9068 2.2', () => ({ sub: undefined })),
  claimCase('claim-exp-string', 'exp as a string', 'RFC 7519 2 (NumericDate), 4.1.4', ({ nowSeconds }) => ({ exp: String(nowSeconds + HOUR) })),
  {
    id: 'claim-other-issuer',
    title: "signed by the trusted issuer's key, claiming the platform's issuer",
    source: 'RFC 8725 2.7 and 3.8, RFC 9068 4',
    needs: ['issuer-key', 'platform-issuer'],
    probes: (context) => [{ ...claimProbe(context, 'platform issuer', { iss: context.platformIssuer }), expect: TOKEN_REFUSED }],
  },
];
