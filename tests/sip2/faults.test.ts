// What the floor sends: a client that says nothing, garbage, half messages, a megabyte without a
// line end, 200 connections at once, a disconnect mid-message. None of it may stall another
// connection or the desk; idle connections are closed; each connection is answered in order.
import { afterEach, describe, expect, it } from 'vitest';
import { patronCard } from '../support/station';
import * as m from './client';
import { SipClient } from './client';
import { addTitle, patronWithPin, SELF_CHECK, sipStation, type SipStation } from './support';

let st: SipStation;
afterEach(async () => st?.close());

/** A logged-in client's 99 round trip, ms: what another self-check notices. */
async function roundTrip(c: SipClient): Promise<number> {
  const start = performance.now();
  const r = await c.send(m.scStatus());
  expect(r.code).toBe('98');
  return performance.now() - start;
}

describe('SIP2 under what the floor sends', () => {
  it('answers garbage with 96 and goes on; other connections never notice', async () => {
    st = await sipStation();
    const good = await st.client();
    const bad = await SipClient.open(st.port);
    bad.write('\u0000\u0001hello there\r');
    expect(await bad.next()).toBe('96\r');
    bad.write(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0d]));
    expect(await bad.next()).toBe('96\r');
    expect(await roundTrip(good)).toBeLessThan(200);
    // The garbled connection can still log in and work.
    expect((await bad.send(m.login(SELF_CHECK.login, SELF_CHECK.password))).raw).toBe('941\r');
    bad.close();
  });

  it('takes a message that arrives in pieces, and loses only the half message of a client that hangs up', async () => {
    st = await sipStation();
    const c = await SipClient.open(st.port);
    const text = m.login(SELF_CHECK.login, SELF_CHECK.password);
    for (const piece of [text.slice(0, 3), text.slice(3, 10), text.slice(10), '\r']) {
      c.write(piece);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await c.next()).toBe('941\r');
    const quitter = await SipClient.open(st.port);
    quitter.write('9300CNselfch');
    quitter.close();
    expect(await roundTrip(c)).toBeLessThan(200);
    c.close();
  });

  it('closes a connection that sends 1 MB without a CR, and keeps answering the others meanwhile', async () => {
    st = await sipStation();
    const good = await st.client();
    const flood = await SipClient.open(st.port);
    const chunk = Buffer.alloc(64 * 1024, 'A');
    for (let i = 0; i < 16; i++) flood.write(chunk);
    expect(await roundTrip(good)).toBeLessThan(500);
    await flood.whenClosed();
    expect(await roundTrip(good)).toBeLessThan(200);
  });

  it('slows a client that sends without reading its answers to its own pace, instead of buffering for it', async () => {
    st = await sipStation();
    const good = await st.client();
    const flood = await SipClient.open(st.port);
    // It never reads: every 99 it sends has a 98 of about a hundred bytes waiting for it.
    flood.socket.pause();
    const burst = Buffer.from(m.scStatus().concat('\r').repeat(20_000));
    for (let i = 0; i < 100; i++) flood.write(burst); // 22 MB of messages, 200 MB of answers
    await new Promise((r) => setTimeout(r, 2000));
    // The station stopped taking its messages: most of them are still on the client's side.
    expect(flood.socket.writableLength).toBeGreaterThan(10 * 1024 * 1024);
    // And everyone else is answered meanwhile.
    expect(await roundTrip(good)).toBeLessThan(500);
    flood.close();
    expect(await roundTrip(good)).toBeLessThan(200);
  }, 30_000);

  it('serves 200 connections at once, each logged in and answered', async () => {
    st = await sipStation();
    const clients = await Promise.all(Array.from({ length: 200 }, () => SipClient.open(st.port)));
    const logins = await Promise.all(clients.map((c) => c.send(m.login(SELF_CHECK.login, SELF_CHECK.password))));
    expect(logins.every((r) => r.raw === '941\r')).toBe(true);
    const statuses = await Promise.all(clients.map((c) => c.send(m.scStatus())));
    expect(statuses.every((r) => r.code === '98' && r.get('AO') === 'MAIN')).toBe(true);
    for (const c of clients) c.close();
  }, 60_000);

  it('closes idle connections, refuses connections past the limit, and a silent client stalls nobody', async () => {
    st = await sipStation({ server: { idleTimeoutMs: 300, maxConnections: 3 } });
    const silent = await SipClient.open(st.port);
    const c = await st.client();
    expect(await roundTrip(c)).toBeLessThan(200);
    // The desk works while a client says nothing.
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Desk Work', 1, 1);
    expect(
      st.t.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: barcodes[0]! }, st.t.staff).title,
    ).toBe('Desk Work');
    const third = await SipClient.open(st.port);
    const fourth = await SipClient.open(st.port);
    await fourth.whenClosed(2000);
    await silent.whenClosed(2000);
    await third.whenClosed(2000);
  });

  it('answers a burst of pipelined messages in the order they came', async () => {
    st = await sipStation();
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'In Order', 5, 1);
    const c = await st.client();
    const burst = [
      ...barcodes.map((b) => m.checkout('MAIN', patronCard(1), b)),
      ...barcodes.map((b) => m.checkin('MAIN', b, m.BLANK_DATE)),
    ];
    c.write(burst.map((x) => `${x}\r`).join(''));
    const replies = [];
    for (let i = 0; i < burst.length; i++) replies.push(m.parseReply(await c.next()));
    expect(replies.map((r) => `${r.code}${r.fixed.ok}:${r.get('AB')}`)).toEqual([
      ...barcodes.map((b) => `121:${b}`),
      ...barcodes.map((b) => `101:${b}`),
    ]);
  });
});
