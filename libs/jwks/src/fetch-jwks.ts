import type { JwksFetch } from './jwks.types';

/** The key set could not be fetched; the message is for the log and `status()`, never a client. */
export class JwksFetchError extends Error {
  override readonly name = 'JwksFetchError';
}

export interface FetchJwksOptions {
  fetch: JwksFetch;
  timeoutMs: number;
  maxBytes: number;
  /** Aborts the fetch when the cache closes. */
  signal: AbortSignal;
}

/** application/json or a structured `+json` type such as application/jwk-set+json (RFC 7517). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Duck-typed: errors from node's fetch may come from another realm (jest's vm), failing instanceof. */
function errorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}

function describe(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (error instanceof JwksFetchError) return error.message;
  if (signal.aborted) {
    return errorLike(signal.reason)?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'aborted';
  }
  // undici reports the interesting part (unexpected redirect, ECONNREFUSED...) as the cause.
  const cause = errorLike(errorLike(error)?.cause);
  const detail = cause?.message ?? errorLike(error)?.message ?? error;
  return `request failed: ${String(detail)}`;
}

/**
 * Reads the body while counting bytes, so a body without Content-Length (chunked) or a compressed
 * one (counted after decoding, which defuses a decompression bomb) still cannot exceed the cap.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) throw new JwksFetchError('empty body');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new JwksFetchError(`body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new JwksFetchError('body is not UTF-8');
  }
}

/** Frees the connection when the body will not be read. */
async function discard(response: Response): Promise<void> {
  if (response.body && !response.bodyUsed) await response.body.cancel().catch(() => undefined);
}

/**
 * Fetches a JWKS document, treating the answer as untrusted input: redirects are refused (a
 * redirect could point key discovery anywhere), one deadline covers connection and body, and the
 * size is capped twice (declared Content-Length, then counted bytes). Returns the parsed JSON.
 */
export async function fetchJwksDocument(url: string, options: FetchJwksOptions): Promise<unknown> {
  const { timeoutMs, maxBytes } = options;
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]);
  let text: string;
  try {
    const response = await options.fetch(url, {
      method: 'GET',
      redirect: 'error',
      signal,
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    if (response.status !== 200) {
      await discard(response);
      throw new JwksFetchError(`HTTP ${response.status}`);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!JSON_MEDIA_TYPE.test(type)) {
      await discard(response);
      throw new JwksFetchError(`content type ${JSON.stringify(type.slice(0, 100))} is not JSON`);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      await discard(response);
      throw new JwksFetchError(`Content-Length ${declared} exceeds ${maxBytes} bytes`);
    }
    text = await readCapped(response, maxBytes);
  } catch (error) {
    throw new JwksFetchError(describe(error, signal, timeoutMs));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new JwksFetchError('body is not valid JSON');
  }
}
