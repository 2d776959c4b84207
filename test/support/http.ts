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
