import type { Answer, Expectation, Probe } from './case';

/** What the target answered, as the report's "got" column shows it. */
export function describeAnswer(answer: Answer): string {
  const body = answer.body as { error?: unknown } | undefined;
  const code = body && typeof body === 'object' && typeof body.error === 'string' ? ` ${body.error}` : '';
  return `${answer.status}${code}`;
}

function challengeProblem(answer: Answer, expected: Expectation['challenge']): string | undefined {
  if (!expected) return undefined;
  const header = answer.headers['www-authenticate'];
  const challenge = Array.isArray(header) ? header.join(', ') : (header ?? '');
  if (!/^Bearer\b/i.test(challenge)) return 'no Bearer WWW-Authenticate challenge';
  if (expected === 'bare') return /error=/.test(challenge) ? `challenge names an error without a credential: ${challenge}` : undefined;
  return challenge.includes(`error="${expected}"`) ? undefined : `challenge is not error="${expected}": ${challenge}`;
}

/**
 * check-answer: the finding a probe's answer makes, or undefined when it is the expected one. Any
 * 2xx to a refused attack is the worst kind (the attack worked); a 5xx means a client's mistake
 * broke the target; anything else off the contract is a finding too.
 */
export function findingOf(probe: Probe, answer: Answer): string | undefined {
  const { expect } = probe;
  const success = answer.status >= 200 && answer.status < 300;
  if (success && !expect.statuses.includes(answer.status)) return 'accepted: the attack got through';
  if (answer.status >= 500) return 'a server error for a client request';
  if (!expect.statuses.includes(answer.status)) return `status ${answer.status} is not ${expect.statuses.join(' or ')}`;
  const code = (answer.body as { error?: unknown } | undefined)?.error;
  if (expect.errors && !expect.errors.includes(String(code))) return `error code ${String(code)} is not ${expect.errors.join(' or ')}`;
  const challenge = challengeProblem(answer, expect.challenge);
  if (challenge) return challenge;
  if (probe.maxMs !== undefined && answer.ms > probe.maxMs) return `answered after ${answer.ms} ms (limit ${probe.maxMs} ms)`;
  return probe.check?.(answer);
}
