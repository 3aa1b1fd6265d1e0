// A SIP2 client written from the 3M SIP2 2.00 specification (not from another project's code):
// it frames requests, adds error detection when asked, and reads responses up to their CR.
// Responses are parsed with the spec's response layouts, so a test reads fields by name.
import { connect, type Socket } from 'node:net';

/** The two's complement of the low 16 bits of the byte sum (the spec's checksum). */
export function sipChecksum(text: string): string {
  let sum = 0;
  for (const b of Buffer.from(text, 'utf8')) sum = (sum + b) & 0xffff;
  return (-sum & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

/** The fixed part of each response, as [name, width]. */
const RESPONSE_LAYOUTS: Record<string, [string, number][]> = {
  '94': [['ok', 1]],
  '98': [
    ['online', 1],
    ['checkinOk', 1],
    ['checkoutOk', 1],
    ['renewalPolicy', 1],
    ['statusUpdateOk', 1],
    ['offlineOk', 1],
    ['timeout', 3],
    ['retries', 3],
    ['date', 18],
    ['version', 4],
  ],
  '24': [
    ['patronStatus', 14],
    ['language', 3],
    ['date', 18],
  ],
  '26': [
    ['patronStatus', 14],
    ['language', 3],
    ['date', 18],
  ],
  '64': [
    ['patronStatus', 14],
    ['language', 3],
    ['date', 18],
    ['holdCount', 4],
    ['overdueCount', 4],
    ['chargedCount', 4],
    ['fineCount', 4],
    ['recallCount', 4],
    ['unavailableHoldsCount', 4],
  ],
  '12': [
    ['ok', 1],
    ['renewalOk', 1],
    ['magneticMedia', 1],
    ['desensitize', 1],
    ['date', 18],
  ],
  '10': [
    ['ok', 1],
    ['resensitize', 1],
    ['magneticMedia', 1],
    ['alert', 1],
    ['date', 18],
  ],
  '30': [
    ['ok', 1],
    ['renewalOk', 1],
    ['magneticMedia', 1],
    ['desensitize', 1],
    ['date', 18],
  ],
  '66': [
    ['ok', 1],
    ['renewedCount', 4],
    ['unrenewedCount', 4],
    ['date', 18],
  ],
  '18': [
    ['circulationStatus', 2],
    ['securityMarker', 2],
    ['feeType', 2],
    ['date', 18],
  ],
  '20': [
    ['itemPropertiesOk', 1],
    ['date', 18],
  ],
  '16': [
    ['ok', 1],
    ['available', 1],
    ['date', 18],
  ],
  '38': [
    ['paymentAccepted', 1],
    ['date', 18],
  ],
  '36': [
    ['endSession', 1],
    ['date', 18],
  ],
  '96': [],
};

export interface SipReply {
  raw: string;
  code: string;
  fixed: Record<string, string>;
  /** Every value of each tag, in order. */
  all: Map<string, string[]>;
  /** The first value of a tag, or undefined. */
  get(tag: string): string | undefined;
}

export function parseReply(raw: string): SipReply {
  const text = raw.replace(/\r$/, '');
  const code = text.slice(0, 2);
  const fixed: Record<string, string> = {};
  let at = 2;
  for (const [name, width] of RESPONSE_LAYOUTS[code] ?? []) {
    fixed[name] = text.slice(at, at + width);
    at += width;
  }
  const all = new Map<string, string[]>();
  let body = text.slice(at);
  const trailer = /AY\dAZ[0-9A-F]{4}$|AZ[0-9A-F]{4}$/.exec(body);
  if (trailer) body = body.slice(0, trailer.index);
  for (const piece of body.split('|')) {
    if (piece.length < 2) continue;
    const tag = piece.slice(0, 2);
    all.set(tag, [...(all.get(tag) ?? []), piece.slice(2)]);
  }
  return { raw, code, fixed, all, get: (tag) => all.get(tag)?.[0] };
}

/** An 18-character SIP2 date (local time, blank zone) for the fixed fields of a request. */
export const SIP_NOW = '20261116    100000';
export const BLANK_DATE = '                  ';

export class SipClient {
  private buffer = '';
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  private seq = 0;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\r')) >= 0) {
        const line = this.buffer.slice(0, i + 1);
        this.buffer = this.buffer.slice(i + 1);
        const w = this.waiting.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  /** A connection to the station; from `localAddress` when given (another loopback address: another machine). */
  static open(port: number, host = '127.0.0.1', localAddress?: string): Promise<SipClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () =>
        resolve(new SipClient(socket)),
      );
      socket.once('error', reject);
    });
  }

  /** The next response line (with its CR), or rejects after `ms`. */
  next(ms = 5000): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        reject(new Error(`no SIP2 response within ${ms} ms`));
      }, ms);
      const done = (line: string) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiting.push(done);
    });
  }

  /** Bytes as they are, no framing added. */
  write(raw: string | Buffer): void {
    this.socket.write(raw);
  }

  /** One request and its response. `checksum`: add AY/AZ (AY counting 0-9). `end`: the line end. */
  async send(message: string, opts: { checksum?: boolean; end?: string } = {}): Promise<SipReply> {
    let text = message;
    if (opts.checksum) {
      text = `${text}AY${this.seq}AZ`;
      this.seq = (this.seq + 1) % 10;
      text += sipChecksum(text);
    }
    this.socket.write(text + (opts.end ?? '\r'));
    return parseReply(await this.next());
  }

  close(): void {
    this.socket.destroy();
  }

  /** Resolves when the server has closed this connection. */
  whenClosed(ms = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the connection stayed open')), ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

// --- request builders (the spec's request layouts) -------------------------------------------------

export const login = (user: string, password: string) => `9300CN${user}|CO${password}|CPMAIN|`;
export const scStatus = () => '9900802.00';
export const patronStatus = (ao: string, card: string, pin?: string, language = '001') =>
  `23${language}${SIP_NOW}AO${ao}|AA${card}|AC|${pin !== undefined ? `AD${pin}|` : ''}`;
export const patronInformation = (ao: string, card: string, summary = '          ', extra = '', language = '001') =>
  `63${language}${SIP_NOW}${summary}AO${ao}|AA${card}|${extra}`;
export const checkout = (ao: string, card: string, item: string, extra = '') =>
  `11YN${SIP_NOW}${BLANK_DATE}AO${ao}|AA${card}|AB${item}|AC|${extra}`;
export const checkin = (ao: string, item: string, returnDate = SIP_NOW, extra = '') =>
  `09N${SIP_NOW}${returnDate}AP${ao}|AO${ao}|AB${item}|AC|${extra}`;
export const renew = (ao: string, card: string, item: string, extra = '') =>
  `29NN${SIP_NOW}${BLANK_DATE}AO${ao}|AA${card}|AB${item}|${extra}`;
export const renewAll = (ao: string, card: string, extra = '') => `65${SIP_NOW}AO${ao}|AA${card}|${extra}`;
export const itemInformation = (ao: string, item: string) => `17${SIP_NOW}AO${ao}|AB${item}|AC|`;
export const itemStatusUpdate = (ao: string, item: string) => `19${SIP_NOW}AO${ao}|AB${item}|AC|CHsecurity=1|`;
export const hold = (mode: '+' | '-' | '*', ao: string, card: string, item: string, extra = '') =>
  `15${mode}${SIP_NOW}AO${ao}|AA${card}|AB${item}|${extra}`;
export const feePaid = (ao: string, card: string, amount: string, extra = '', currency = 'USD') =>
  `37${SIP_NOW}0100${currency}BV${amount}|AO${ao}|AA${card}|${extra}`;
export const endSession = (ao: string, card: string) => `35${SIP_NOW}AO${ao}|AA${card}|`;
export const blockPatron = (ao: string, card: string, message: string, retained = 'N') =>
  `01${retained}${SIP_NOW}AO${ao}|ALblocked: ${message}|AA${card}|AC|`;
export const patronEnable = (ao: string, card: string) => `25${SIP_NOW}AO${ao}|AA${card}|AC|`;
