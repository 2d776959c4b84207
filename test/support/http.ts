export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A plain fetch that never throws on a status and parses JSON when the answer is JSON. */
export async function http<T = unknown>(url: string, init: RequestInit = {}): Promise<HttpResult<T>> {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: (json && text ? JSON.parse(text) : text) as T, text };
}

/** Polls until `probe` holds or the deadline passes; returns whether it held. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}

/**
 * One request written byte for byte on a fresh connection, for what fetch refuses to send (two
 * Authorization headers, say), with an optional body sent as is. Answers the status and the parsed
 * JSON body.
 */
export async function rawHttp(
  url: string,
  method: string,
  path: string,
  headerLines: string[],
  body = '',
): Promise<{ status: number; body: Record<string, unknown>; head: string }> {
  const { connect } = await import('node:net');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, answer] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(head.split(' ')[1]), head, body: JSON.parse(answer || '{}') as Record<string, unknown> });
    });
    socket.write([`${method} ${path} HTTP/1.1`, `host: ${target.host}`, 'connection: close', ...headerLines, '', body].join('\r\n'));
  });
}
