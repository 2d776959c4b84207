/** One message to one person: plain text, the form every mail client shows as written. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * The mail port: the rest of auth says what to send, an adapter says how (SMTP in deployments, an
 * outbox folder in development). Resolves once the message is handed over; rejects with
 * `MailUnavailable` when it could not be, within the adapter's deadline.
 */
export abstract class Mailer {
  abstract send(message: MailMessage): Promise<void>;
  /** Closes connections the adapter holds. */
  abstract close(): Promise<void>;
}

/** The message could not be handed to the mail system (down, refused, or past the deadline). */
export class MailUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MailUnavailable';
  }
}
