// `npm run bench:sip2`: what SIP2 adds to a check-out. In one run, on one real station (a
// SQLite file, durable commits) with its SIP2 server on loopback TCP:
//
//   a. the station's own check-out, in process (the service call a SIP2 check-out makes, and
//      the flush to the disk every confirmed answer waits for);
//   b. a bare TCP echo round trip over loopback (a 100-byte line and its answer): the floor;
//   c. SIP2 check-out round trips (11 -> 12), one self-check, one after the other;
//   d. 20 self-checks at once, each checking out in turn: the slowest round trip.
//
// The bar (issue #14): SIP2 check-out p99 <= in-process check-out p99 + 2 x echo p99, and no
// round trip over 50 ms with 20 clients. `--count <n>` check-outs per measurement (default 500),
// `--json` for a JSON last line. Exit code 1 when a bar is missed.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnCheckDigit } from '../../src/domain/barcode';
import { DEFAULT_RULE } from '../../src/domain/rules';
import type { Actor } from '../../src/services/command';
import { openStation } from '../../src/station/services';
import { STATION_WAL_RESERVE_MIB } from '../../src/store/open';
import { startSip2Listener } from '../../src/transports/sip2/listener';
import { SipClient, checkout, login } from '../sip2/client';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const json = args.includes('--json');
const COUNT = Number(option('count', '500'));
const CLIENTS = 20;
const PER_CLIENT = Math.max(10, Math.round(COUNT / 10));
const log = (...m: unknown[]) => {
  if (!json) console.log(...m);
};

const barcode = (kind: 2 | 3, n: number) => {
  const first13 = `${kind}0234${String(n).padStart(8, '0')}`;
  return `${first13}${luhnCheckDigit(first13)}`;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}
const ms = (x: number) => `${x.toFixed(2)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'circa-sip2-bench-'));
const clock = { now: Date.UTC(2026, 10, 16, 15) };
// As the station opens its store (src/station/core.ts): a WAL given its working size.
const s = openStation(join(dir, 'station.db'), { now: () => clock.now, walReserveMiB: STATION_WAL_RESERVE_MIB });
try {
  const setup = s.admin.initialize({
    libraryName: 'Bench Library',
    branchCode: 'MAIN',
    branchName: 'Main',
    timeZone: 'America/New_York',
    currency: 'USD',
    locale: 'en-US',
    admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' },
  });
  const staff: Actor = { kind: 'staff', staffId: setup.adminId };
  // No loan limits: the bench measures the path, not the rules' refusals.
  s.admin.saveRule({ ...DEFAULT_RULE, branchId: '*', categoryCode: '*', itemTypeCode: '*', maxLoans: null }, staff);
  const itemsNeeded = COUNT * 2 + CLIENTS * PER_CLIENT + 50;
  const patrons = Math.ceil(itemsNeeded / 5) + CLIENTS;
  log(`setting up ${itemsNeeded} copies and ${patrons} patrons...`);
  const record = s.catalogue.addRecord(
    { title: 'Bench Title', author: null, isbn: null, issn: null, publisher: null, year: 2020, callNumber: null },
    staff,
  );
  for (let i = 0; i < itemsNeeded; i++)
    s.catalogue.addItem({ barcode: barcode(3, i + 1), recordId: record.id, itemTypeCode: 'BOOK' }, staff);
  for (let i = 0; i < patrons; i++)
    s.patrons.register(
      { cardBarcode: barcode(2, i + 1), firstName: 'Bench', lastName: `Reader ${i}`, categoryCode: 'ADULT' },
      staff,
    );
  const account = s.sip2.save(
    {
      login: 'bench',
      password: 'bench-sip-1',
      branchId: setup.branchId,
      allowed: ['checkout', 'checkin', 'patron_info'],
    },
    staff,
  );
  const sipActor: Actor = { kind: 'sip', staffId: null, sip: { accountId: account.id, login: account.login } };
  let nextItem = 1;
  let nextLoan = 0;
  // Five loans per card, then the next card.
  const nextPair = () => ({
    patronBarcode: barcode(2, Math.floor(nextLoan++ / 5) + 1),
    itemBarcode: barcode(3, nextItem++),
  });

  // Warm up as the station would have by mid-morning: statements prepared, pages cached, the WAL
  // copied back. PASSIVE, as the station's quiet-time checkpoint (src/store/checkpoint.ts): a
  // TRUNCATE would throw away the WAL's reserved space, and every measured commit would then grow
  // the file and make its flush journal the new size too (wal-reserve.ts).
  for (let i = 0; i < 50; i++) {
    const pair = nextPair();
    s.circulation.checkout(pair, sipActor);
    s.circulation.checkin({ itemBarcode: pair.itemBarcode }, sipActor);
  }
  s.store.db.pragma('wal_checkpoint(PASSIVE)');

  // a, b and c are measured in turns, blocks of 50, so that all three see the machine (and its
  // disk) at about the same moments: a busy neighbour then slows all three, not one. Half of each
  // echo block runs before a and half before c, so that a and c both begin after the same pause
  // of the disk: on the development machine the first flush after a millisecond or two without
  // one is often slow (1.5 to 8 ms), and with the whole echo block before c that landed in c alone.
  const echo = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (d) => socket.write(d));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  const echoClient = await SipClient.open((echo.address() as AddressInfo).port);
  echoClient.socket.setNoDelay(true);
  const line = `${'x'.repeat(99)}\r`;
  const listener = await startSip2Listener(s, { port: 0, host: '127.0.0.1' });
  const port = listener.port()!;
  const one = await SipClient.open(port);
  one.socket.setNoDelay(true);
  await one.send(login('bench', 'bench-sip-1'));
  const inProcess: number[] = [];
  const echoTimes: number[] = [];
  const sipTimes: number[] = [];
  let refused = 0;
  const BLOCK = 50;
  for (let done = 0; done < COUNT; done += BLOCK) {
    const n = Math.min(BLOCK, COUNT - done);
    const echoes = async (k: number) => {
      for (let i = 0; i < k; i++) {
        const t = performance.now();
        echoClient.write(line);
        await echoClient.next();
        echoTimes.push(performance.now() - t);
      }
    };
    // b. a bare TCP echo over loopback, first half
    await echoes(Math.floor(n / 2));
    // a. the station's own check-out, in process
    for (let i = 0; i < n; i++) {
      const pair = nextPair();
      const t = performance.now();
      s.circulation.checkout(pair, sipActor);
      // Confirmed, as every answer is: on the disk (src/store/durability.ts).
      await s.store.durable();
      inProcess.push(performance.now() - t);
    }
    // b. the echo's second half
    await echoes(n - Math.floor(n / 2));
    // c. SIP2 check-outs, one self-check
    for (let i = 0; i < n; i++) {
      const pair = nextPair();
      const t = performance.now();
      const r = await one.send(checkout('MAIN', pair.patronBarcode, pair.itemBarcode));
      sipTimes.push(performance.now() - t);
      if (r.fixed.ok !== '1') refused++;
    }
  }
  echoClient.close();
  echo.close();
  one.close();

  // The quiet second between the two parts, when the station copies the WAL back (src/store/checkpoint.ts);
  // without it the 2,000th commit or so meets SQLite's backstop checkpoint, a pause of its own.
  s.store.db.pragma('wal_checkpoint(PASSIVE)');

  // d. 20 self-checks at once
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => SipClient.open(port)));
  for (const c of clients) {
    c.socket.setNoDelay(true);
    await c.send(login('bench', 'bench-sip-1'));
  }
  const concurrent: number[] = [];
  const work = clients.map((c, k) => async () => {
    for (let i = 0; i < PER_CLIENT; i++) {
      // Each self-check its own card and copies.
      const itemBarcode = barcode(3, nextItem++);
      const patronBarcode = barcode(2, patrons - k);
      const t = performance.now();
      const r = await c.send(checkout('MAIN', patronBarcode, itemBarcode));
      concurrent.push(performance.now() - t);
      if (r.fixed.ok !== '1') refused++;
    }
  });
  const started = performance.now();
  await Promise.all(work.map((w) => w()));
  const wall = performance.now() - started;
  for (const c of clients) c.close();
  await listener.close();

  const a = stats(inProcess);
  const b = stats(echoTimes);
  const c = stats(sipTimes);
  const d = stats(concurrent);
  const bar = a.p99 + 2 * b.p99;
  const passC = c.p99 <= bar;
  const passD = d.max <= 50;
  log('');
  log(`a. check-out in process (${a.n}):     p50 ${ms(a.p50)}   p99 ${ms(a.p99)}`);
  log(`b. TCP echo round trip (${b.n}):      p50 ${ms(b.p50)}   p99 ${ms(b.p99)}`);
  log(
    `c. SIP2 check-out round trip (${c.n}): p50 ${ms(c.p50)}   p99 ${ms(c.p99)}   bar: p99 <= ${ms(bar)} (a.p99 + 2 x b.p99)  ${passC ? 'PASS' : 'MISS'}`,
  );
  log(
    `d. ${CLIENTS} self-checks at once (${d.n}): p50 ${ms(d.p50)}   p99 ${ms(d.p99)}   max ${ms(d.max)}   bar: max <= 50 ms  ${passD ? 'PASS' : 'MISS'}   (${((d.n / wall) * 1000).toFixed(0)} check-outs/s)`,
  );
  if (refused > 0) log(`(${refused} SIP2 check-outs were refused: the bench library is misconfigured)`);
  if (json) {
    console.log(
      JSON.stringify({
        inProcess: a,
        echo: b,
        sip2: c,
        concurrent: { ...d, clients: CLIENTS, perSecond: (d.n / wall) * 1000 },
        bar,
        pass: passC && passD && refused === 0,
      }),
    );
  }
  process.exitCode = passC && passD && refused === 0 ? 0 : 1;
} finally {
  s.close();
  rmSync(dir, { recursive: true, force: true });
}
