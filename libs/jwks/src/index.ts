/**
 * JWKS cache: per-issuer key sets served from memory, refreshed ahead of
 * their TTL, refetched on an unknown `kid` at most once per cooldown, kept bounded-stale when the
 * issuer is down, and never letting a request through without a key.
 *
 * For the verifier built on it: keys come only from the configured `jwksUri` of the issuer the
 * token claims (`JwksRegistry.keyFor(iss, kid)`). The token header members `jku`, `x5u`, `x5c` and
 * `jwk` are never used to find or build a key (they would let the token choose its own key), and
 * the header `alg` must equal the `alg` of the key returned here.
 */
export * from './fetch-jwks';
export * from './jwks-cache';
export * from './jwks-registry';
export * from './jwks.types';
export * from './parse-jwks';
