import type { AccountEntity } from '../accounts/account.entity';
import { checkEmailVerified, UNVERIFIED_EMAIL, UnverifiedEmail } from './check-email-verified';
import { resetMail, verificationMail } from './mail-texts';

const account = (emailVerifiedAt: Date | null) => ({ id: 'a-1', emailVerifiedAt }) as AccountEntity;

describe('checkEmailVerified', () => {
  it('holds an unverified account of a tenant that requires verification, with invalid_grant and the reason', () => {
    expect(() => checkEmailVerified({ requireEmailVerification: true }, account(null))).toThrow(UnverifiedEmail);
    try {
      checkEmailVerified({ requireEmailVerification: true }, account(null));
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_grant', description: UNVERIFIED_EMAIL });
    }
  });

  it('lets a verified account through, and any account of a tenant that does not require it', () => {
    expect(() => checkEmailVerified({ requireEmailVerification: true }, account(new Date()))).not.toThrow();
    expect(() => checkEmailVerified({ requireEmailVerification: false }, account(null))).not.toThrow();
    expect(() => checkEmailVerified(null, account(null))).not.toThrow();
  });
});

describe('mail texts', () => {
  it('say how long the link works, in minutes or hours', () => {
    expect(resetMail('a@b.test', 'ann', 'http://x/l', 900).text).toContain('for 15 minutes');
    expect(verificationMail('a@b.test', 'ann', 'http://x/l', 86_400).text).toContain('for 24 hours');
  });
});
