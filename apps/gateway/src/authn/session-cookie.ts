/**
 * The Cookie header as the gateway reads it for `session` routes (RFC 6265 section 5.4: `name=value`
 * pairs joined by `; `; Node joins several Cookie headers the same way).
 */

function pairs(header: string): { name: string; value: string; text: string }[] {
  return header
    .split(';')
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => {
      const equals = text.indexOf('=');
      return equals < 0 ? { name: '', value: text, text } : { name: text.slice(0, equals).trim(), value: text.slice(equals + 1).trim(), text };
    });
}

/** Every value of cookie `name`: several when a browser holds it for several paths or domains. */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  return pairs(header)
    .filter((pair) => pair.name === name)
    .map((pair) => pair.value);
}

/** The header without any `name` cookie, the others as they were; undefined when none is left. */
export function withoutCookie(header: string, name: string): string | undefined {
  const kept = pairs(header).filter((pair) => pair.name !== name);
  return kept.length > 0 ? kept.map((pair) => pair.text).join('; ') : undefined;
}
