// PostgreSQL stores no U+0000 in text or jsonb: a value carrying one fails at the database, as a
// 500, after the request got that far. Input is refused before, by name of the field.
const MAX_DEPTH = 32;

/** The path of the first string (or key) in `value` that holds U+0000, or undefined. */
export function findNulCharacter(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : undefined;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return `${path || '(body)'}: a key`;
    const found = findNulCharacter(child, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}
