import { DomainError, type Principal } from '@gatehouse/contracts';
import { checkAuthStrength } from './check-auth-strength';

const NOW = 1_800_000_000;
const MFA = 'urn:gatehouse:acr:mfa';
const person = (extra: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: 'u1',
  clientId: 'c1',
  roles: [],
  scopes: [],
  tokenId: 't1',
  expiresAt: NOW + 60,
  ...extra,
});

function refusal(principal: Principal, route: Parameters<typeof checkAuthStrength>[1]): DomainError {
  try {
    checkAuthStrength(principal, route, NOW);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('passed');
}

describe('checkAuthStrength', () => {
  it('refuses an acr the route does not accept, naming the acceptable ones', () => {
    const error = refusal(person({ acr: 'urn:gatehouse:acr:pwd', authTime: NOW }), { requireAcr: [MFA] });
    expect(error.code).toBe('insufficient_user_authentication');
    expect(error.headers['www-authenticate']).toBe(
      `Bearer realm="gatehouse", error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="${MFA}"`,
    );
  });

  it('refuses a credential that says no acr, or no auth_time when an age is asked', () => {
    expect(refusal(person(), { requireAcr: [MFA] }).code).toBe('insufficient_user_authentication');
    expect(refusal(person({ acr: MFA }), { requireAcr: [], maxAuthAge: 60 }).headers['www-authenticate']).toBe(
      'Bearer realm="gatehouse", error="insufficient_user_authentication", error_description="More recent authentication is required", max_age=60',
    );
  });

  it('refuses a sign-in older than maxAuthAge and names both requirements', () => {
    const error = refusal(person({ acr: MFA, authTime: NOW - 301 }), { requireAcr: [MFA], maxAuthAge: 300 });
    expect(error.headers['www-authenticate']).toBe(
      `Bearer realm="gatehouse", error="insufficient_user_authentication", error_description="More recent authentication is required", acr_values="${MFA}", max_age=300`,
    );
  });

  it('passes an acceptable, recent enough sign-in, a route asking nothing, and a client acting for itself', () => {
    expect(() => checkAuthStrength(person({ acr: MFA, authTime: NOW - 300 }), { requireAcr: [MFA], maxAuthAge: 300 }, NOW)).not.toThrow();
    expect(() => checkAuthStrength(person(), { requireAcr: [] }, NOW)).not.toThrow();
    expect(() => checkAuthStrength(person({ kind: 'client' }), { requireAcr: [MFA], maxAuthAge: 1 }, NOW)).not.toThrow();
  });
});
