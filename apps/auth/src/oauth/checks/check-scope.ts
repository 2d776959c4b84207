import { OAuthError } from '@gatehouse/contracts';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function parseScope(scope: string | undefined): string[] {
  if (scope === undefined) return [];
  const parts = scope.split(' ').filter((part) => part.length > 0);
  if (parts.some((part) => !SCOPE_TOKEN.test(part))) throw new OAuthError('invalid_scope', 'The scope is malformed.');
  return [...new Set(parts)];
}

/**
 * check-scope: what is asked must be within what is allowed (the client's scopes, or what a
 * refresh token was originally granted); asking nothing grants everything allowed.
 */
export function checkScope(requested: string | undefined, allowed: readonly string[]): string {
  const asked = parseScope(requested);
  if (asked.length === 0) return allowed.join(' ');
  const refused = asked.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) {
    throw new OAuthError('invalid_scope', 'The requested scope exceeds what is allowed.', `refused: ${refused.join(' ')}`);
  }
  return asked.join(' ');
}
