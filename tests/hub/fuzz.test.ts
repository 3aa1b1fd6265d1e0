// The hub's sync protocol fuzzed over real HTTP, on PGlite: random and hostile bodies, headers,
// query strings and ids for every route a station uses (enrol, push, changes, snapshot,
// exceptions, resolve), some built from a valid request with a field or two replaced. Whatever
// arrives, the hub answers below 500, stays up, and a refusal (4xx) changes nothing in any of
// its tables. Bounded in runs and in time: it runs with the rest of the suite.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolResponse } from '../../src/api/sync-protocol';
import { migrateHub, openHubDb, type HubDb } from '../../src/hub/db';
import { Hub } from '../../src/hub/hub';
import { createHubServer } from '../../src/hub/server';
import { item, Journals, loan, patron } from './fixtures';

let db: HubDb;
let hub: Hub;
let server: FastifyInstance;
let base: string;
let station: EnrolResponse;
let exceptionId: string;

/** Everything a refusal must leave as it was: each table's rows, the feeds' cursors, the stations' clocks and last pushes. */
async function fingerprint(): Promise<string> {
  const [row] = await db.query(`SELECT
    (SELECT count(*) FROM rows) AS rows, (SELECT coalesce(max(change_seq), 0) FROM rows) AS rows_seq,
    (SELECT count(*) FROM library) AS library, (SELECT count(*) FROM branches) AS branches,
    (SELECT count(*) FROM stations) AS stations,
    (SELECT string_agg(id || ':' || coalesce(last_seen_at::text, '-') || ':' || coalesce(clock_offset_ms::text, '-'), ',' ORDER BY id) FROM stations) AS clocks,
    (SELECT count(*) FROM enrolment_codes) AS codes, (SELECT count(*) FROM enrolment_codes WHERE used_at IS NOT NULL) AS codes_used,
    (SELECT count(*) FROM received) AS received,
    (SELECT count(*) FROM exceptions) AS exceptions, (SELECT count(*) FROM exceptions WHERE resolved_at IS NOT NULL) AS resolved,
    (SELECT coalesce(max(change_seq), 0) FROM exceptions) AS exceptions_seq,
    (SELECT count(*) FROM loan_clocks) AS loan_clocks`);
  return JSON.stringify(row);
}

/** A body, or one made for the seq the hub expects next from the station (known only when it is sent). */
type Body = string | ((nextSeq: number) => string);

interface Sent {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: Body;
}

async function nextSeq(): Promise<number> {
  const [r] = await db.query<{ max: string | null }>('SELECT max(seq) AS max FROM received WHERE station_id = $1', [
    station.stationId,
  ]);
  return Number(r?.max ?? 0) + 1;
}

async function send(sent: Sent): Promise<{ status: number; text: string; contentType: string }> {
  const req = { ...sent, body: typeof sent.body === 'function' ? sent.body(await nextSeq()) : sent.body };
  return new Promise((resolve, reject) => {
    const r = http.request(
      `${base}${req.path}`,
      {
        method: req.method,
        agent: false,
        headers: {
          ...req.headers,
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            contentType: String(res.headers['content-type'] ?? ''),
          }),
        );
        res.on('error', reject);
      },
    );
    r.setTimeout(20_000, () => r.destroy(new Error('the hub did not answer')));
    r.on('error', reject);
    r.end(req.body);
  });
}

beforeAll(async () => {
  db = await openHubDb({});
  await migrateHub(db);
  hub = new Hub(db);
  await hub.addBranch({ code: 'N', name: 'North', timeZone: 'America/New_York' });
  await hub.addBranch({ code: 'S', name: 'South', timeZone: 'America/New_York' });
  await hub.init({ libraryName: 'County Library' });
  server = await createHubServer({ hub });
  await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  station = (await hub.enrol(await hub.createEnrolmentCode('N'), 'north desk')) as EnrolResponse;
  const south = await hub.enrol(await hub.createEnrolmentCode('S'), 'south desk');
  // Some library, and an exception to resolve (a copy lent at both desks while apart).
  const j = new Journals();
  const n = { stationId: station.stationId, branchId: station.branchId };
  const s = { stationId: south.stationId, branchId: south.branchId };
  const t0 = Date.now() - 60_000;
  await hub.push(
    n,
    [
      j.entry(n, 'patrons.register', [patron('ana', '21', n.branchId)], t0),
      j.entry(n, 'catalogue.addItem', [item('i1', 'available', n.branchId)], t0),
    ],
    Date.now(),
  );
  await hub.push(
    n,
    [
      j.entry(
        n,
        'circulation.checkout',
        [loan('L1', 'i1', 'ana', n.branchId, t0 + 1000), item('i1', 'on_loan', n.branchId)],
        t0 + 1000,
      ),
    ],
    Date.now(),
  );
  const lent = await hub.push(
    s,
    [
      j.entry(s, 'patrons.register', [patron('ben', '22', s.branchId)], t0),
      j.entry(
        s,
        'circulation.checkout',
        [loan('L2', 'i1', 'ben', s.branchId, t0 + 5000), item('i1', 'on_loan', s.branchId)],
        t0 + 5000,
      ),
    ],
    Date.now(),
  );
  exceptionId = lent.exceptions![0]!.id;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const TABLES = [
  'branches',
  'patrons',
  'items',
  'loans',
  'holds',
  'fees',
  'staff',
  'settings',
  'circulation_rules',
  'evil',
  '__proto__',
];
const ENTRY_KEYS = [
  'id',
  'stationId',
  'seq',
  'hlc',
  'wallTime',
  'staffId',
  'branchId',
  'command',
  'payload',
  'signature',
  '__proto__',
];

/** A desk's own patron registration: the hub applies it. */
const deskEffect = fc.tuple(fc.nat({ max: 9999 }), fc.string({ maxLength: 30 })).map(([n, name]) => {
  const p = patron(`fz-${n}`, String(29200000000000 + n), station.branchId);
  return { ...p, row: { ...p.row, firstName: name || 'x' } };
});

/** A row change nobody's desk writes: any table, op and fields, or not a row change at all. */
const hostileEffect = fc.oneof(
  fc.record({
    table: fc.constantFrom(...TABLES),
    op: fc.constantFrom('upsert', 'delete', 'drop'),
    row: fc
      .record({
        id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('ana', 'i1', 'L1', 'library')),
      })
      .chain((r) =>
        fc
          .dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
          .map((extra) => ({ ...extra, ...r })),
      ),
  }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** One thing changed in an otherwise valid push (or nothing: it is applied). */
const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      key: fc.constantFrom(...ENTRY_KEYS),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('effect' as const), effect: hostileEffect }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('input' as const), input: fc.jsonValue({ maxDepth: 4 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      value: fc.oneof(
        fc.constantFrom(
          -9e15,
          9e15,
          0,
          -1,
          Date.UTC(1999, 11, 31),
          Date.UTC(2200, 0, 1),
          1.5,
          Number.MAX_SAFE_INTEGER,
          '1',
        ),
        fc.integer(),
        fc.double(),
        fc.jsonValue({ maxDepth: 1 }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('seq' as const),
      value: fc.oneof(fc.integer({ min: -3, max: 30 }), fc.constantFrom(1e15, 2 ** 53, 0.5)),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'foreign' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('top' as const),
      key: fc.constantFrom('pad', 'entries', 'extra', '__proto__'),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
);

/** A push as a desk writes it, 0 to 3 entries numbered from the seq the hub expects, with one mutation. */
const deskPush = fc
  .record({
    entries: fc.array(
      fc.record({
        command: fc.constantFrom('patrons.register', 'patrons.update'),
        effects: fc.array(deskEffect, { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 3 },
    ),
    mutation,
    at: fc.nat({ max: 2 }),
  })
  .map(({ entries, mutation: m, at }) => (next: number) => {
    const built: Record<string, unknown>[] = entries.map((e, i) => ({
      id: `${station.stationId}-fuzz-${next + i}`,
      stationId: station.stationId,
      seq: next + i,
      hlc: `${new Date().toISOString()}-0000-${station.stationId}`,
      wallTime: Date.now(),
      staffId: null,
      branchId: station.branchId,
      command: e.command,
      payload: { input: {}, effects: e.effects },
    }));
    const body: Record<string, unknown> = { stationWallTime: Date.now(), entries: built };
    const target = built[Math.min(at, built.length - 1)];
    if (m.kind === 'clock') body.stationWallTime = m.value;
    else if (m.kind === 'top') Object.defineProperty(body, m.key, { value: m.value, enumerable: true });
    else if (target && m.kind === 'field') Object.defineProperty(target, m.key, { value: m.value, enumerable: true });
    else if (target && m.kind === 'effect') (target.payload as { effects: unknown[] }).effects.push(m.effect);
    else if (target && m.kind === 'input') (target.payload as { input: unknown }).input = m.input;
    else if (target && m.kind === 'seq') target.seq = m.value;
    else if (target && m.kind === 'foreign') target.stationId = 'another-station';
    return JSON.stringify(body);
  });

/** A push: a desk's with one thing changed, or any JSON, or not JSON, or nested thousands deep. */
const pushBody = fc.oneof(
  { weight: 10, arbitrary: deskPush },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60, max: 6000 })
      .map((n) => `{"stationWallTime":1,"entries":[${'['.repeat(n)}${']'.repeat(n)}]}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      'null',
      '{}',
      '[]',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '\u0000',
      '{"entries":'.repeat(50),
    ),
  },
);

const json = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 100 }),
  fc.constantFrom('', 'null', '{}', '{"code":"x"}', '{"staffId":"s","note":"n","x":1}'),
);

const credential = () =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${station.credential}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'Bearer',
        'Bearer a.b',
        `Bearer ${station.stationId}.wrong`,
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        `Bearer ${'x'.repeat(5000)}.y`,
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, '')}`) },
    { weight: 1, arbitrary: fc.constant(null) },
  );

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/json; charset=latin1',
      null,
    ),
  },
);

/** Query values a cursor or limit might be sent as; a few arrive twice. */
const queryValue = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '5000',
    '-1',
    'abc',
    '1.5',
    '1e400',
    '100000000000000000000',
    '9007199254740993',
    '',
    ' 1',
    '0x10',
  ),
  fc.string({ maxLength: 20 }),
  fc.nat().map(String),
);
const query = fc
  .record({
    after: fc.option(fc.array(queryValue, { minLength: 1, maxLength: 2 })),
    limit: fc.option(fc.array(queryValue, { minLength: 1, maxLength: 2 })),
  })
  .map(({ after, limit }) => {
    const parts = [
      ...(after ?? []).map((v) => `after=${encodeURIComponent(v)}`),
      ...(limit ?? []).map((v) => `limit=${encodeURIComponent(v)}`),
    ];
    return parts.length ? `?${parts.join('&')}` : '';
  });

const exceptionPathId = () =>
  fc.oneof(
    fc.constant(exceptionId),
    fc.constantFrom('hub-1', '1', 'hub-99999999999999999999', 'hub-', '-1', 'hub-1.5'),
    fc.string({ minLength: 1, maxLength: 80 }),
  );

const request = (): fc.Arbitrary<Sent> =>
  fc.oneof(
    {
      weight: 1,
      arbitrary: fc
        .record({ body: fc.option(json), type: contentType, auth: credential() })
        .map(({ body, type, auth }) => sent('POST', '/enrol', body, type, auth)),
    },
    {
      weight: 4,
      arbitrary: fc
        .record({ body: fc.option(pushBody, { freq: 10 }), type: contentType, auth: credential() })
        .map(({ body, type, auth }) => sent('POST', '/sync/push', body, type, auth)),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          route: fc.constantFrom('/sync/changes', '/sync/snapshot', '/sync/exceptions'),
          q: query,
          auth: credential(),
          gzip: fc.boolean(),
        })
        .map(({ route, q, auth, gzip }) => ({
          ...sent('GET', `${route}${q}`, null, null, auth),
          ...(gzip ? { headers: { ...(auth ? { authorization: auth } : {}), 'accept-encoding': 'gzip' } } : {}),
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ id: exceptionPathId(), body: fc.option(json), type: contentType, auth: credential() })
        .map(({ id, body, type, auth }) =>
          sent('POST', `/sync/exceptions/${encodeURIComponent(id)}/resolve`, body, type, auth),
        ),
    },
  );

function sent(method: 'GET' | 'POST', path: string, body: Body | null, type: string | null, auth: string | null): Sent {
  return {
    method,
    path,
    headers: { ...(type ? { 'content-type': type } : {}), ...(auth ? { authorization: auth } : {}) },
    ...(body !== null ? { body } : {}),
  };
}

describe('the hub fed random and hostile requests', () => {
  it('answers every one below 500, stays up, and changes nothing when it refuses', async () => {
    let runs = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request(), async (req) => {
        runs++;
        const before = await fingerprint();
        const res = await send(req);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const what = `${req.method} ${req.path} ${JSON.stringify(req.headers)} -> ${res.status}: ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBeGreaterThanOrEqual(200);
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect(JSON.parse(res.text) as unknown, what).toMatchObject({
            code: expect.any(String),
            message: expect.any(String),
          });
          expect(await fingerprint(), what).toBe(before);
        }
      }),
      { numRuns: 400, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false },
    );
    if (process.env.FUZZ_REPORT) console.log(runs, 'runs;', Object.fromEntries(statuses));
    expect(runs).toBeGreaterThan(50);
    // Both kinds happened: refusals, and requests the hub took (a fuzzer refused everything would prove little).
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 200)).toBe(true);
    expect((await send({ method: 'GET', path: '/health', headers: {} })).status).toBe(200);
  }, 60_000);
});
