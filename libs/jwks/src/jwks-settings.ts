import { JWS_ALGS, type JwksCacheOptions, type JwksFetch, type JwksScheduler, type JwsAlg, type UnknownKidRefetch } from './jwks.types';

export interface JwksSettings {
  allowedAlgs: readonly JwsAlg[];
  ttlMs: number;
  refreshAheadRatio: number;
  unknownKidRefetch: UnknownKidRefetch;
  unknownKidCooldownMs: number;
  maxStaleMs: number;
  fetchTimeoutMs: number;
  maxBytes: number;
  failureBackoffMs: number;
  fetch: JwksFetch;
  clock: () => number;
  schedule: JwksScheduler;
}

/** The background timer must never keep a process alive on its own, hence `unref`. */
const unrefTimeout: JwksScheduler = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
};

/** Resolved at call time, so a test or an instrumentation that replaces the global is honoured. */
const globalFetch: JwksFetch = (url, init) => fetch(url, init);

function positive(name: string, value: number, { allowZero = false } = {}): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`JWKS cache: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return value;
}

/**
 * Applies the cache's defaults and refuses a configuration that would weaken the
 * cache (no algorithm, a non-http(s) or credential-bearing URL), at construction rather than at
 * the first request.
 */
export function resolveJwksSettings(options: JwksCacheOptions): JwksSettings {
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) {
    throw new Error('JWKS cache: issuer is required');
  }
  let url: URL;
  try {
    url = new URL(options.jwksUri);
  } catch {
    throw new Error(`JWKS cache: jwksUri of ${options.issuer} is not a URL`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new Error(`JWKS cache: jwksUri of ${options.issuer} must be http(s) without credentials`);
  }
  const algs = options.allowedAlgs;
  if (algs.length === 0 || algs.some((alg) => !(JWS_ALGS as readonly string[]).includes(alg))) {
    throw new Error(`JWKS cache: allowedAlgs must be a non-empty subset of ${JWS_ALGS.join(', ')}`);
  }
  const unknownKidRefetch = options.unknownKidRefetch ?? 'cooldown';
  if (unknownKidRefetch !== 'cooldown' && unknownKidRefetch !== 'on-demand') {
    throw new Error('JWKS cache: unknownKidRefetch must be cooldown or on-demand');
  }
  const ratio = options.refreshAheadRatio ?? 0.75;
  if (!(ratio > 0 && ratio <= 1)) throw new Error('JWKS cache: refreshAheadRatio must be in (0, 1]');
  return {
    allowedAlgs: [...algs],
    ttlMs: positive('ttlMs', options.ttlMs ?? 5 * 60_000),
    refreshAheadRatio: ratio,
    unknownKidRefetch,
    unknownKidCooldownMs: positive('unknownKidCooldownMs', options.unknownKidCooldownMs ?? (unknownKidRefetch === 'on-demand' ? 1_000 : 30_000)),
    maxStaleMs: positive('maxStaleMs', options.maxStaleMs ?? 60 * 60_000, { allowZero: true }),
    fetchTimeoutMs: positive('fetchTimeoutMs', options.fetchTimeoutMs ?? 2_000),
    maxBytes: positive('maxBytes', options.maxBytes ?? 64 * 1024),
    failureBackoffMs: positive('failureBackoffMs', options.failureBackoffMs ?? 5_000),
    fetch: options.fetch ?? globalFetch,
    clock: options.clock ?? Date.now,
    schedule: options.schedule ?? unrefTimeout,
  };
}
