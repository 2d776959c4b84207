import { mfaDemand } from './mfa-policy';
import { hashRecoveryCode, newRecoveryCode, normaliseRecoveryCode } from './recovery-codes';

describe('mfaDemand', () => {
  it('asks nothing of a person not enrolled when the tenant requires nothing of them', () => {
    expect(mfaDemand('off', ['admin'], false)).toBe('none');
    expect(mfaDemand('admins', ['user'], false)).toBe('none');
  });

  it('sends to enrolment whom the tenant requires it of, and asks the code of everyone enrolled', () => {
    expect(mfaDemand('admins', ['admin'], false)).toBe('enrol');
    expect(mfaDemand('all', [], false)).toBe('enrol');
    expect(mfaDemand('off', [], true)).toBe('code');
  });
});

describe('recovery codes', () => {
  it('are 16 base32 characters in four groups, read back however typed, hashed per account', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(normaliseRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code.replace(/-/g, ''));
    expect(normaliseRecoveryCode('123456')).toBeNull();
    expect(hashRecoveryCode('a1', 'X')).not.toBe(hashRecoveryCode('a2', 'X'));
  });
});
