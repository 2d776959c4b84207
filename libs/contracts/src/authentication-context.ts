/**
 * Authentication context classes (`acr`) the platform issues, weakest first: a password alone, or
 * a password and a second factor. Step-up (RFC 9470) names these in `acr_values`.
 */
export const ACR_PASSWORD = 'urn:gatehouse:acr:pwd';
export const ACR_MFA = 'urn:gatehouse:acr:mfa';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA] as const;
export type AcrValue = (typeof ACR_VALUES)[number];

/** Authentication methods (RFC 8176): a password, a one-time code (TOTP or a recovery code). */
export type AuthenticationMethod = 'pwd' | 'otp';

/** The class a set of methods reaches: a second factor makes it `mfa`. */
export function acrOf(amr: readonly string[]): AcrValue {
  return amr.includes('otp') ? ACR_MFA : ACR_PASSWORD;
}

/** What every token minted for a person says about how and when they signed in. */
export interface AuthenticationContext {
  amr: AuthenticationMethod[];
  /** Seconds since the epoch. */
  authTime: number;
}
