// The self-checks of `npm run bench:sip2` (sip2-bench.ts), in a process of their own as real
// self-checks are on machines of their own: their socket work, their parsing and their garbage
// are not the station's. The station process says what to lend and where:
// - `turns`: for each sample, ask the station for its in-process check-out (a), then time a bare
//   echo round trip (b) and one SIP2 check-out (c) over loopback;
// - `concurrent`: 20 logged-in self-checks at once, each sending its next check-out as soon as
//   its last answer came back (d).
// Each answers with its timings.
import { SipClient, checkout, login } from '../sip2/client';

type Pair = { patronBarcode: string; itemBarcode: string };
export type ToSelfCheck =
  | { type: 'turns'; echoPort: number; sipPort: number; pairs: Pair[] }
  | { type: 'concurrent'; sipPort: number; perClient: Pair[][] }
  | { type: 'a-done'; i: number };
export type FromSelfCheck =
  | { type: 'a'; i: number }
  | { type: 'turns-done'; echoTimes: number[]; sipTimes: number[]; refused: number }
  | { type: 'concurrent-done'; times: number[]; wallMs: number; refused: number };

const send = (m: FromSelfCheck) => process.send!(m);
const aDone = new Map<number, () => void>();

process.on('message', (m: ToSelfCheck) => {
  if (m.type === 'a-done') aDone.get(m.i)?.();
  else if (m.type === 'turns') void turns(m.echoPort, m.sipPort, m.pairs);
  else void concurrent(m.sipPort, m.perClient);
});

async function loggedIn(port: number): Promise<SipClient> {
  const client = await SipClient.open(port);
  client.socket.setNoDelay(true);
  await client.send(login('bench', 'bench-sip-1'));
  return client;
}

async function turns(echoPort: number, sipPort: number, pairs: Pair[]): Promise<void> {
  const echo = await SipClient.open(echoPort);
  echo.socket.setNoDelay(true);
  const one = await loggedIn(sipPort);
  const line = `${'x'.repeat(99)}\r`;
  const echoTimes: number[] = [];
  const sipTimes: number[] = [];
  let refused = 0;
  for (let i = 0; i < pairs.length; i++) {
    // a, in the station's process: asked for and waited for, so that the three take turns.
    await new Promise<void>((resolve) => {
      aDone.set(i, resolve);
      send({ type: 'a', i });
    });
    aDone.delete(i);
    // b. a bare TCP echo over loopback
    let t = performance.now();
    echo.write(line);
    await echo.next();
    echoTimes.push(performance.now() - t);
    // c. a SIP2 check-out
    const pair = pairs[i]!;
    t = performance.now();
    const r = await one.send(checkout('MAIN', pair.patronBarcode, pair.itemBarcode));
    sipTimes.push(performance.now() - t);
    if (r.fixed.ok !== '1') refused++;
  }
  echo.close();
  one.close();
  send({ type: 'turns-done', echoTimes, sipTimes, refused });
}

async function concurrent(sipPort: number, perClient: Pair[][]): Promise<void> {
  const clients = await Promise.all(perClient.map(() => loggedIn(sipPort)));
  const times: number[] = [];
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, k) => {
      for (const pair of perClient[k]!) {
        const t = performance.now();
        const r = await client.send(checkout('MAIN', pair.patronBarcode, pair.itemBarcode));
        times.push(performance.now() - t);
        if (r.fixed.ok !== '1') refused++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  for (const client of clients) client.close();
  send({ type: 'concurrent-done', times, wallMs, refused });
  process.disconnect();
}
