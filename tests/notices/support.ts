// A real SMTP server for the notice tests (the npm package smtp-server, on a loopback port),
// which keeps every message it accepts, raw, and reads them back: recipient, subject, body.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  raw: string;
  subject: string;
  body: string;
  messageId: string;
  contentLanguage: string;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** Messages the server has started to read (DATA), taken or not. */
  dataStarted: number;
  close(): Promise<void>;
}

export const SMTP_USER = 'circa-desk';
export const SMTP_PASSWORD = 'smtp-Secret-4471';

/**
 * Starts the server on `port` (0: any). `hangOnData`: the server reads the message and never
 * answers it, as a server that stalls after DATA (the moment a crash leaves a notice uncertain).
 */
export async function startSmtp(
  opts: { port?: number; hangOnData?: boolean; refuse?: string[] } = {},
): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const state = { dataStarted: 0 };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: SMTP_USER });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (opts.refuse?.includes(address.address))
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      state.dataStarted++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (opts.hangOnData) return; // never answers
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    get dataStarted() {
      return state.dataStarted;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers (unfolded, RFC 2047 words decoded) and the text body (quoted-printable or base64 decoded). */
export function parseMail(raw: string): Omit<ReceivedMail, 'to' | 'raw'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const bodyRaw = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const body =
    encoding === 'quoted-printable'
      ? Buffer.from(
          bodyRaw
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(bodyRaw, 'base64').toString('utf8')
        : bodyRaw;
  return {
    subject: decodeWords(header('Subject')),
    body: body.replace(/\r\n/g, '\n').trim(),
    messageId: header('Message-ID'),
    contentLanguage: header('Content-Language'),
  };
}

function decodeWords(s: string): string {
  return s.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}
