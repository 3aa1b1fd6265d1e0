// One email notice over the library's SMTP server (nodemailer). What the outbox needs to know of
// a failure is only which of three it was: the server never took the message (try again later),
// the server refused it for good (a 5xx: the address is wrong; print it instead), or the
// conversation broke after the message was handed over and before the server answered, when no
// one can tell whether it was accepted (uncertain: never sent again by itself).
import { createTransport } from 'nodemailer';
import type { SmtpSettings } from '../domain/notices';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** `<notice-...@host>`: the same for every try of one notice. */
  messageId: string;
  language: string;
}

export type SendOutcome =
  { ok: true; response: string } | { ok: false; kind: 'transient' | 'permanent' | 'uncertain'; error: string };

export interface MailSender {
  send(mail: OutgoingMail): Promise<SendOutcome>;
}

/** How long the station waits on a server that does not answer, ms: a pass never hangs the desk's process. */
const TIMEOUT_MS = 15_000;

export function smtpSender(smtp: SmtpSettings, password: string | null): MailSender {
  return {
    async send(mail) {
      const transport = createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
        // Never write the conversation (it carries the AUTH exchange) to any log.
        logger: false,
        debug: false,
      });
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
        });
        return { ok: true, response: String(info.response ?? '') };
      } catch (error) {
        return { ok: false, ...classify(error) };
      } finally {
        transport.close();
      }
    },
  };
}

/** Which kind of failure, and a message for staff that names the server's answer but never the credentials. */
export function classify(error: unknown): { kind: 'transient' | 'permanent' | 'uncertain'; error: string } {
  const e = (error ?? {}) as { responseCode?: number; command?: string; code?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const message = String(e.message ?? error)
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 300);
  // 5xx to the sender, a recipient or the message: refused for good. Authentication failures
  // (535) are 5xx too but are the library's settings, not the patron's address: try again once fixed.
  if (code !== null && code >= 500)
    return { kind: code === 535 || code === 530 ? 'transient' : 'permanent', error: message };
  // The message was being handed over (DATA) when the line broke, with no answer: it may have arrived.
  if (code === null && e.command === 'DATA' && e.code !== 'ECONNECTION') return { kind: 'uncertain', error: message };
  // The server went quiet mid-conversation (nodemailer's socket timeout names no phase): it may
  // have been in the middle of taking the message, so it is not tried again by itself.
  if (code === null && e.code === 'ETIMEDOUT' && e.message === 'Timeout') return { kind: 'uncertain', error: message };
  return { kind: 'transient', error: message };
}
