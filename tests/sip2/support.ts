// A real station (SQLite file, the real services) with its SIP2 listener on a real loopback port,
// a self-check account and a small library: what every SIP2 test starts from.
import { addPatron, addTitle, createTestStation, DESK_RULE, type TestStation } from '../support/station';
import { startSip2Listener, type Sip2Listener } from '../../src/transports/sip2/listener';
import type { Sip2Capability } from '../../src/domain/sip2-capabilities';
import type { Sip2ServerOptions } from '../../src/transports/sip2/server';
import { SipClient, login } from './client';

export interface SipStation {
  t: TestStation;
  listener: Sip2Listener;
  port: number;
  /** A connected client already logged in as the self-check. */
  client(): Promise<SipClient>;
  close(): Promise<void>;
}

export const SELF_CHECK = { login: 'selfcheck1', password: 'sc-secret-1' };
export const ALL: Sip2Capability[] = [
  'checkout',
  'checkin',
  'renew',
  'fees',
  'hold',
  'patron_info',
  'block',
  'status_before_login',
];

export async function sipStation(
  opts: { allowed?: Sip2Capability[]; requirePin?: boolean; errorDetection?: boolean; server?: Sip2ServerOptions } = {},
): Promise<SipStation> {
  const t = createTestStation();
  t.s.admin.saveRule(DESK_RULE, t.staff);
  t.s.sip2.save(
    {
      login: SELF_CHECK.login,
      password: SELF_CHECK.password,
      branchId: t.branchId,
      allowed: opts.allowed ?? ALL,
      requirePin: opts.requirePin ?? false,
      errorDetection: opts.errorDetection ?? false,
    },
    t.staff,
  );
  const listener = await startSip2Listener(t.s, { port: 0, host: '127.0.0.1', ...opts.server });
  const port = listener.port();
  if (port === null) throw new Error('the SIP2 listener did not open');
  const clients: SipClient[] = [];
  return {
    t,
    listener,
    port,
    async client() {
      const c = await SipClient.open(port);
      clients.push(c);
      const r = await c.send(login(SELF_CHECK.login, SELF_CHECK.password));
      if (!r.raw.startsWith('941')) throw new Error(`login failed: ${JSON.stringify(r.raw)}`);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await listener.close();
      t.close();
    },
  };
}

/** Patron n with PIN 1234, "Pat<n> Reader". */
export const patronWithPin = (t: TestStation, n: number, names: { firstName?: string; lastName?: string } = {}) =>
  addPatron(t, n, { pin: '1234', ...names });
export { addTitle };
