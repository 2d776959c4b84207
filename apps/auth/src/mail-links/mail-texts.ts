import type { MailMessage } from '../mail/mailer';

const minutes = (seconds: number) => Math.round(seconds / 60);
const lifetime = (seconds: number) => (seconds >= 7200 ? `${Math.round(seconds / 3600)} hours` : `${minutes(seconds)} minutes`);

/** The reset mail: the link, how long it works, and what to do when the person did not ask. */
export function resetMail(to: string, username: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    text: [
      `Hello ${username},`,
      '',
      'Someone asked to reset the password of your account. To choose a new password, open this link:',
      '',
      link,
      '',
      `The link works once, for ${lifetime(ttlSeconds)}. Setting a new password signs you out everywhere.`,
      '',
      'If you did not ask, ignore this message: your password stays as it is.',
    ].join('\n'),
  };
}

/** The verification mail, sent on registration (and again on request) when the tenant requires it. */
export function verificationMail(to: string, username: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Confirm your email address',
    text: [
      `Hello ${username},`,
      '',
      'To confirm that this address is yours, open this link:',
      '',
      link,
      '',
      `The link works once, for ${lifetime(ttlSeconds)}.`,
      '',
      'If you did not create an account, ignore this message.',
    ].join('\n'),
  };
}
