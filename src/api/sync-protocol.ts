// What stations and the hub say to each other, as zod schemas: the hub validates every request
// (a corrupt batch is refused whole, with the reason, and changes nothing), and the station
// validates every answer.
import { z } from 'zod';
import { SYNCED_TABLES } from '../domain/journal';
import { EARLIEST_WALL_TIME_MS, LATEST_WALL_TIME_MS } from '../domain/plausible-clock';

/**
 * A row as it travels. Only its table and id are checked here: before applying an entry the hub
 * checks each row against its table's columns and what the station may write
 * (src/hub/row-schemas.ts, src/hub/policy.ts), so a malformed row rejects its entry, not the batch.
 */
export const RowChangeSchema = z.object({
  table: z.enum(SYNCED_TABLES),
  op: z.enum(['upsert', 'delete']),
  row: z.object({ id: z.string().min(1) }).passthrough(),
});

export const JournalEntrySchema = z.object({
  id: z.string().min(1).max(64),
  stationId: z.string().min(1),
  seq: z.number().int().positive(),
  hlc: z.string().min(1).max(120),
  wallTime: z
    .number()
    .int()
    .min(EARLIEST_WALL_TIME_MS)
    .max(LATEST_WALL_TIME_MS - 1), // not a clock: the batch is refused
  staffId: z.string().nullable(),
  branchId: z.string().min(1),
  command: z.string().min(1).max(80),
  payload: z.object({
    input: z.unknown(),
    effects: z.array(RowChangeSchema),
    overrides: z.array(z.object({ code: z.string(), grantedBy: z.string() })).optional(),
    actor: z
      .object({ kind: z.literal('sip'), sipAccountId: z.string().min(1).max(200) })
      .strict()
      .optional(),
  }),
  /** Ed25519, base64 (src/shared/signing.ts): the hub rejects an entry without a valid one. */
  signature: z.string().max(200).optional(),
});

/** An Ed25519 public key as SPKI DER in base64 (44 bytes: 60 characters). */
export const PublicKeyText = z
  .string()
  .min(40)
  .max(200)
  .regex(/^[A-Za-z0-9+/]+=*$/);

/**
 * stationPublicKey: the key the station signs its kiosk and housekeeping entries with. The hub
 * records it at enrolment, or at the first push of a station enrolled before keys existed, and
 * refuses a batch that names another.
 */
/**
 * The station's clock as it measured it from its last round trip with the hub (NTP-style, see
 * src/sync/clock.ts): its wall clock minus the hub's, and how far off that can be (half the round
 * trip's network time). The hub orders loans of one copy lent twice by it (src/hub/apply.ts).
 */
export const StationClock = z
  .object({
    offsetMs: z.number().int(),
    uncertaintyMs: z
      .number()
      .int()
      .min(0)
      .max(10 * 60_000),
  })
  .strict();

export const PushRequest = z
  .object({
    stationWallTime: z.number().int(),
    /** Absent from stations older than round-trip measurement: the hub then measures one way, uncertainty unknown. */
    clock: StationClock.optional(),
    entries: z.array(JournalEntrySchema).max(1000),
    stationPublicKey: PublicKeyText.optional(),
    /** The secrets the entries' rows refer to, by digest (src/shared/secret-refs.ts): never in an entry itself. */
    secrets: z
      .record(z.string().regex(/^[0-9a-f]{64}$/), z.string().min(1).max(1000))
      .refine((r) => Object.keys(r).length <= 2000, 'at most 2,000 secrets in a push')
      .optional(),
  })
  .strict();

export const Outcome = z.enum(['applied', 'applied_with_warning', 'conflict', 'rejected']);

/**
 * An exception's facts beyond its kind, for the desk to word in its own language (the English
 * `message` is kept for older desks and the hub's CLI): e.g. a copy lent twice at check-outs too
 * close to tell apart carries `decidedBy: 'too_close'`, `apartMs`, `uncertaintyMs` and `rule`.
 */
export const ExceptionParams = z.record(
  z.string().max(60),
  z.union([z.string().max(500), z.number(), z.boolean(), z.null()]),
);

/** Something the hub resolved with circulation sense that staff should look at (lent twice, duplicate card...). */
export const ExceptionNotice = z.object({
  id: z.string(),
  kind: z.string(),
  message: z.string(),
  params: ExceptionParams.optional(),
  patronId: z.string().nullable().optional(),
  /** Every patron concerned (both borrowers of a copy lent twice). */
  patronIds: z.array(z.string()).optional(),
  itemId: z.string().nullable().optional(),
  entryIds: z.array(z.string()),
  createdAt: z.number(),
  /** Set once staff resolved it, at a station or at the hub: every branch concerned learns it from GET /sync/exceptions. */
  resolvedAt: z.number().nullable().optional(),
  resolvedBy: z.string().nullable().optional(),
  resolutionNote: z.string().nullable().optional(),
});

export const PushResponse = z.object({
  outcomes: z.array(z.object({ id: z.string(), outcome: Outcome, reason: z.string().optional() })),
  /** The next seq the hub expects from this station (it stops at a gap). */
  expectedSeq: z.number().int(),
  /** stationWallTime minus the hub's clock when the push arrived: the station warns past two minutes. */
  clockOffsetMs: z.number().int(),
  /** The hub's clock when the request arrived (t1) and when it answered (t2): with its own send and receive times the station measures its offset from the round trip. */
  hubReceivedAt: z.number().int().optional(),
  hubAnsweredAt: z.number().int().optional(),
  /** Exceptions this push created; those other stations created for this branch come from GET /sync/exceptions. */
  exceptions: z.array(ExceptionNotice).optional(),
});

export const ExceptionsResponse = z.object({ exceptions: z.array(ExceptionNotice), nextCursor: z.string() });

/** POST /sync/exceptions/:id/resolve: who dealt with it (a staff account of the station's library) and how. */
export const ResolveExceptionRequest = z
  .object({
    staffId: z.string().min(1).max(64).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();
export const ResolveExceptionResponse = z.object({ exception: ExceptionNotice, alreadyResolved: z.boolean() });

export const ChangesResponse = z.object({
  changes: z.array(RowChangeSchema),
  nextCursor: z.string(),
  more: z.boolean(),
});

/**
 * GET /sync/snapshot?after=<cursor>: a new station's first load, as NDJSON (gzip when asked).
 * First line a SnapshotStart, then one SnapshotRow per row in cursor order, last a SnapshotEnd.
 * Cut anywhere, it resumes with after = the cursor of the last row kept. A stream without its
 * end line was cut. After the end, the station follows GET /sync/changes from its cursor.
 */
export const SnapshotStart = z.object({ start: z.literal(true), rows: z.number().int(), upTo: z.string() });
export const SnapshotRow = RowChangeSchema.extend({ cursor: z.string() });
export const SnapshotEnd = z.object({ end: z.literal(true), cursor: z.string() });
export const SnapshotLine = z.union([SnapshotStart, SnapshotEnd, SnapshotRow]);

/**
 * POST /enrol. `stationId`: sent by a stand-alone station joining the hub that was made from it
 * (admin init --from-station): it keeps its id, and the answer's `journal` says through which seq
 * the hub already holds its journal (and every outcome other than applied), so it never sends
 * those entries again. A new station sends none and gets a new id.
 */
export const EnrolRequest = z
  .object({
    code: z.string().min(8).max(64),
    stationName: z.string().min(1).max(100),
    publicKey: PublicKeyText.optional(),
    stationId: z.string().min(1).max(100).optional(),
  })
  .strict();
export const EnrolResponse = z.object({
  stationId: z.string(),
  credential: z.string(),
  branchId: z.string(),
  libraryName: z.string(),
  journal: z
    .object({
      receivedThrough: z.number().int().min(0),
      outcomes: z.array(z.object({ seq: z.number().int(), outcome: Outcome, reason: z.string().optional() })),
    })
    .optional(),
});

export type PushRequest = z.infer<typeof PushRequest>;
export type StationClock = z.infer<typeof StationClock>;
export type ExceptionParams = z.infer<typeof ExceptionParams>;
export type PushResponse = z.infer<typeof PushResponse>;
export type ChangesResponse = z.infer<typeof ChangesResponse>;
export type Outcome = z.infer<typeof Outcome>;
export type SnapshotLine = z.infer<typeof SnapshotLine>;
export type EnrolRequest = z.infer<typeof EnrolRequest>;
export type EnrolResponse = z.infer<typeof EnrolResponse>;
export type ExceptionNotice = z.infer<typeof ExceptionNotice>;
export type ExceptionsResponse = z.infer<typeof ExceptionsResponse>;
export type ResolveExceptionRequest = z.infer<typeof ResolveExceptionRequest>;
export type ResolveExceptionResponse = z.infer<typeof ResolveExceptionResponse>;
