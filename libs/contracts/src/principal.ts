/** Who is calling, as every app sees it once a credential has been verified. */
export interface Principal {
  /** `user`: an account; `client`: a client acting for itself (client_credentials). */
  kind: 'user' | 'client';
  /** The token's `sub`: an account id, or `client:<client_id>`. */
  subject: string;
  clientId: string;
  /** Absent for platform clients, which belong to no tenant. */
  tenantId?: string;
  roles: readonly string[];
  scopes: readonly string[];
  email?: string;
  /** The account's username, where the credential says it (`preferred_username`). */
  username?: string;
  sessionId?: string;
  tokenId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** Seconds since the epoch (`iat`); unknown counts as issued before any revocation watermark. */
  issuedAt?: number;
  /** Seconds since the epoch the person last authenticated (`auth_time`), where the credential says it. */
  authTime?: number;
  /** How they authenticated (`acr`, see ACR_VALUES) and with what (`amr`, RFC 8176 values). */
  acr?: string;
  amr?: readonly string[];
}
