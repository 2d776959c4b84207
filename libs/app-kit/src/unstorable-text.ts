// PostgreSQL stores neither U+0000 nor a lone UTF-16 surrogate (it has no UTF-8 form) in text or
// jsonb: a value carrying one fails at the database, as a 500, after the request got that far.
// Input is refused before, by name of the field, never quoting the value.
const MAX_DEPTH = 32;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnstorableKind = 'NUL characters' | 'unpaired surrogates';

export interface UnstorableText {
  /** Where: a dotted path, `(value)` for a bare string, `<path>: a key` for a key. */
  field: string;
  kind: UnstorableKind;
}

/** What keeps `text` out of the database, or undefined when it can be stored. */
export function unstorableIn(text: string): UnstorableKind | undefined {
  if (text.includes('\u0000')) return 'NUL characters';
  return UNPAIRED_SURROGATE.test(text) ? 'unpaired surrogates' : undefined;
}

/** The first string (or key) in `value` that the database cannot store, or undefined. */
export function findUnstorableText(value: unknown, path = '', depth = 0): UnstorableText | undefined {
  if (typeof value === 'string') {
    const kind = unstorableIn(value);
    return kind ? { field: path || '(value)', kind } : undefined;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const keyKind = unstorableIn(key);
    if (keyKind) return { field: `${path || '(body)'}: a key`, kind: keyKind };
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const found = findUnstorableText(child, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}
