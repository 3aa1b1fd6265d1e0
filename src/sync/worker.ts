// The background sync worker: pushes the journal to the hub in order, pulls what other branches
// did, and keeps at it by itself. It runs in the station process but never blocks the desk: all
// waiting is on the network, and each database step is one short transaction.
//
// When: right after each local command while the hub is reachable; on an interval otherwise
// (the library's sync.pullIntervalSeconds, 5 s by default), with exponential back-off and jitter
// after failures. A local command while the hub is marked unreachable probes it at once (one
// probe at a time, a short timeout): a hub that is back gets the desk's work within a second,
// not at the end of a back-off of minutes. Any failure is retried; none stops it.
//
// The clock: every push sends the station's offset from the hub as measured from its last round
// trip (src/domain/clock-offset.ts); the hub orders loans of a copy lent twice by it.
import { performance } from 'node:perf_hooks';
import { measureClockOffset, type ClockMeasurement } from '../domain/clock-offset';
import { exceptionOf, OUTCOME_EXCEPTION_KINDS } from '../domain/exception-kinds';
import { recordLocalExceptions, type LocalException } from '../services/exceptions';
import { insertSyncExceptions } from '../store/queries/sync-exceptions';
import { deferredTransaction } from '../store/transaction';
import { secretRefsOf } from '../shared/secret-refs';
import type {
  ChangesResponse,
  ExceptionNotice,
  ExceptionsResponse,
  PushResponse,
  SnapshotLine,
} from '../api/sync-protocol';
import type { JournalEntry } from '../domain/journal';
import type { ServiceContext } from '../services/context';
import { applyPulledBatch, CURSOR_KEY } from './apply-pulled';
import {
  applySnapshotChunk,
  needsInitialLoad,
  readLoadProgress,
  type LoadProgress,
  type SnapshotRowChange,
} from './initial-load';
import { EXCEPTIONS_CURSOR_KEY, exceptionOfNotice, recordExceptionNotices } from './exceptions-pull';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

// The messages between station and hub are the sync protocol's zod schemas
// (src/api/sync-protocol.ts), which the client validates every answer with; the worker's types
// are derived from them, so the two cannot drift.

/** The hub's outcome for one pushed entry. */
export type PushOutcome = PushResponse['outcomes'][number];

/** An exception the hub made or resolved that concerns this branch. */
export type SyncExceptionNotice = ExceptionNotice;

/** A line of the first-load stream: its start (how many rows), a row, or its end (the feed's cursor). */
export type { SnapshotLine };

export interface HubClient {
  /** secrets: the values of the secret references the entries' rows carry (src/shared/secret-refs.ts). */
  /** clock: this station's offset as measured from its last round trip, if it has a fresh one. */
  push(
    entries: JournalEntry[],
    stationWallTime: number,
    secrets?: Record<string, string>,
    clock?: ClockMeasurement,
  ): Promise<Omit<PushResponse, 'expectedSeq'>>;
  /** Is the hub there? One short request (GET /health) with a short timeout; resolves true or false, never throws. */
  probe?(timeoutMs: number): Promise<boolean>;
  pull(cursor: string | null): Promise<ChangesResponse & { total?: number }>;
  /** The whole library after a cursor, streamed; without it the first load pages the change feed. */
  snapshot?(after: string): AsyncIterable<SnapshotLine>;
  /** The hub's exceptions concerning this branch, made or resolved after a cursor. */
  exceptions?(cursor: string | null): Promise<ExceptionsResponse>;
  /** Lets go of kept-alive connections. */
  close?(): void;
}

export interface SyncState {
  configured: boolean;
  running: boolean;
  reachable: boolean | null;
  waiting: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  /** Station clock minus hub clock, measured from the round trip of every round's push (an empty one when nothing waits). */
  clockOffsetMs: number | null;
  /** How far clockOffsetMs can be off (half the round trip's network time); null: measured one way only. */
  clockUncertaintyMs: number | null;
  /** Off by more than two minutes: due dates computed here would be wrong. */
  clockWarning: boolean;
  pulled: number;
  /** The first load of the library while it runs (rows stored so far of the total), for the desk's progress bar; null otherwise. */
  initialLoad: { done: number; total: number } | null;
}

export const CLOCK_WARNING_MS = 2 * 60_000;
/** The pull interval while the hub answers, when the library's settings name none. */
export const DEFAULT_PULL_INTERVAL_MS = 5_000;
/** A probe of an unreachable hub after a desk command gives up after this long. */
export const PROBE_TIMEOUT_MS = 1_500;
/** A clock measurement is used for at most this long, */
const CLOCK_MAX_AGE_MS = 10 * 60_000;
/** and not at all once the station's wall clock moved this much against its monotonic clock (it was set). */
const CLOCK_STEP_MS = 1_000;
const PUSH_BATCH = 500;
/**
 * Bytes of entries per push, beyond which a batch is cut short (never below one entry): well
 * under the hub's body limit (16 MB, src/hub/request-limits.ts), which a batch of 500 large
 * entries (loan-history purges, ~150 KB each) would pass.
 */
const PUSH_BYTES = 8 * 1024 * 1024;
/** Rows per SQLite transaction in the first load: large enough to be fast, small enough that a cut loses little. */
const LOAD_CHUNK = 5000;

export interface SyncWorkerOptions {
  /** The pull interval while the hub answers; without it, the library's sync.pullIntervalSeconds. */
  intervalMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

export class SyncWorker {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private again = false;
  private stopped = true;
  private failures = 0;
  private readonly listeners = new Set<(state: SyncState) => void>();
  private current: SyncState;
  private unsubscribe: (() => void) | null = null;
  private probing = false;
  /** The last round-trip measurement, with when it was made on the wall and the monotonic clock. */
  private measured: (ClockMeasurement & { wallAt: number; monoAt: number }) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly client: HubClient,
    private readonly options: SyncWorkerOptions = {},
  ) {
    this.current = {
      configured: true,
      running: false,
      reachable: null,
      waiting: ctx.journal.waitingCount(),
      lastSuccessAt: null,
      lastError: null,
      clockOffsetMs: null,
      clockUncertaintyMs: null,
      clockWarning: false,
      pulled: 0,
      initialLoad: null,
    };
    const loading = readLoadProgress(ctx);
    if (loading) this.current.initialLoad = { done: loading.done, total: loading.total };
  }

  state(): SyncState {
    return { ...this.current, waiting: this.ctx.journal.waitingCount() };
  }

  onState(listener: (state: SyncState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.current.running = true;
    // Push as soon as the desk commits something, while the hub answers.
    this.unsubscribe = this.ctx.onCommit(() => {
      if (this.current.reachable !== false) this.schedule(0);
      else void this.probe();
    });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    this.client.close?.();
  }

  /** Sync now (the status bar's "sync now"); resolves when the round is over. */
  async syncNow(): Promise<SyncState> {
    await this.round();
    return this.state();
  }

  /**
   * The hub is marked unreachable and the desk just did something: ask the hub at once, briefly,
   * rather than leave the work waiting for the back-off. At most one probe in flight, none while
   * a round runs (that round is already asking); a hub that answers gets a round now.
   */
  private async probe(): Promise<void> {
    if (this.probing || this.busy || this.stopped) return;
    this.probing = true;
    try {
      const up = this.client.probe ? await this.client.probe(PROBE_TIMEOUT_MS) : true;
      if (up && !this.stopped && !this.busy) this.schedule(0);
    } finally {
      this.probing = false;
    }
  }

  private pullIntervalMs(): number {
    if (this.options.intervalMs !== undefined) return this.options.intervalMs;
    const seconds = this.ctx.config.get().settings.sync?.pullIntervalSeconds;
    return seconds ? seconds * 1000 : DEFAULT_PULL_INTERVAL_MS;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, delayMs);
    this.timer.unref?.();
  }

  private emit(): void {
    const s = this.state();
    for (const l of this.listeners) l(s);
  }

  private async round(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      await this.pushAll();
      await this.pullAll();
      await this.pullExceptions();
      this.failures = 0;
      this.current.reachable = true;
      this.current.lastSuccessAt = this.ctx.now();
      this.current.lastError = null;
    } catch (error) {
      this.failures++;
      this.current.reachable = false;
      this.current.lastError = error instanceof Error ? error.message : String(error);
      // A hub that refused this station's clock as no clock at all (before 2000, say) said by how
      // much: staff get the same warning as for a clock a few minutes out.
      const refusedClock = (error as { body?: { code?: unknown; clockOffsetMs?: unknown } }).body;
      if (refusedClock?.code === 'CLOCK_IMPLAUSIBLE' && typeof refusedClock.clockOffsetMs === 'number')
        this.noteClock(refusedClock.clockOffsetMs);
    } finally {
      this.busy = false;
      this.emit();
    }
    if (this.again) {
      this.again = false;
      this.schedule(0);
    } else if (this.failures > 0) {
      this.schedule(backoffDelay(this.failures, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random));
    } else {
      this.schedule(this.pullIntervalMs());
    }
  }

  private noteClock(clockOffsetMs: number, uncertaintyMs: number | null = null): void {
    this.current.clockOffsetMs = clockOffsetMs;
    this.current.clockUncertaintyMs = uncertaintyMs;
    this.current.clockWarning = Math.abs(clockOffsetMs) > CLOCK_WARNING_MS;
  }

  /**
   * The last measurement, if it still holds: not too old, and the station's clock not set since
   * (its wall clock moved with its monotonic clock). A clock set back by more than a few seconds
   * is also recorded for staff: times written here before and after do not compare.
   */
  private freshClock(): ClockMeasurement | undefined {
    const m = this.measured;
    if (!m) return undefined;
    const monoElapsed = performance.now() - m.monoAt;
    const step = this.ctx.now() - m.wallAt - monoElapsed;
    if (Math.abs(step) > CLOCK_STEP_MS || monoElapsed > CLOCK_MAX_AGE_MS) {
      this.measured = null;
      if (step < -CLOCK_STEP_MS) this.flagClockSetBack(-step);
      return undefined;
    }
    return { offsetMs: m.offsetMs, uncertaintyMs: m.uncertaintyMs };
  }

  private flagClockSetBack(byMs: number): void {
    const at = this.ctx.now();
    recordLocalExceptions(this.ctx, [
      {
        id: `clock-set-back:${at}`,
        ...exceptionOf('clock_set_back', { byMs: Math.round(byMs) }),
        patronIds: [],
        itemId: null,
        entryIds: [],
        createdAt: at,
      },
    ]);
  }

  /** One push, timed: its round trip measures this station's clock against the hub's. */
  private async timedPush(entries: JournalEntry[], secrets?: Record<string, string>) {
    const clock = this.freshClock();
    const t0 = this.ctx.now();
    const mono0 = performance.now();
    const answer = await this.client.push(entries, t0, secrets, clock);
    const t3 = this.ctx.now();
    const m =
      answer.hubReceivedAt !== undefined && answer.hubAnsweredAt !== undefined
        ? measureClockOffset(t0, answer.hubReceivedAt, answer.hubAnsweredAt, t3)
        : null;
    // A wall clock that moved unlike the monotonic one during the exchange measured nothing.
    if (m && Math.abs(t3 - t0 - (performance.now() - mono0)) <= CLOCK_STEP_MS) {
      this.measured = { ...m, wallAt: t3, monoAt: performance.now() };
      this.noteClock(m.offsetMs, m.uncertaintyMs);
    } else {
      this.noteClock(answer.clockOffsetMs);
    }
    return answer;
  }

  private async pushAll(): Promise<void> {
    for (let first = true; ; first = false) {
      // Only entries on the disk leave the station: one a power cut could undo would be a seq the
      // station writes again with other content (src/store/durability.ts).
      await this.ctx.store.durable();
      const batch = withinBytes(this.ctx.journal.pending(PUSH_BATCH), PUSH_BYTES);
      if (batch.length === 0) {
        // Nothing waiting: an empty push all the same, so that the hub measures this station's
        // clock every round. A desk whose clock is wrong computes wrong due dates from its very
        // first check-out, and must hear so before it, not after its first push (the offset is
        // not kept across a restart). The hub applies nothing and records the offset.
        if (first) {
          await this.timedPush([]);
          this.emit();
        }
        return;
      }
      // Entries go with a measured clock: without a fresh measurement, an empty push makes one.
      if (!this.freshClock()) await this.timedPush([]);
      const refs = new Map(batch.map((e) => [e.id, secretRefsOf(e.payload.effects)]));
      const answer = await this.timedPush(batch, this.ctx.journal.secrets([...refs.values()].flat()));
      const seqOf = new Map(batch.map((e) => [e.id, e.seq]));
      const outcomes = answer.outcomes.filter((o) => seqOf.has(o.id));
      if (outcomes.length === 0) throw new Error('the hub acknowledged none of the batch');
      this.ctx.journal.acknowledge(
        outcomes.map((o) => ({ seq: seqOf.get(o.id)!, outcome: o.reason ? `${o.outcome}: ${o.reason}` : o.outcome })),
        this.ctx.now(),
      );
      // The hub holds them now (a later entry naming the same one is resolved from the hub's row).
      this.ctx.journal.forgetSecrets(outcomes.flatMap((o) => refs.get(o.id) ?? []));
      if (answer.exceptions?.length) this.recordExceptions(answer.exceptions);
      this.recordOutcomes(batch, outcomes, answer.exceptions ?? []);
      this.emit();
      // A hub that stopped at a gap answers only part of the batch: go round again.
      if (outcomes.length < batch.length && batch.length < PUSH_BATCH) return;
    }
  }

  /** The hub's exceptions this push made, as the hub worded them (a kind this station may not know included). */
  private recordExceptions(exceptions: SyncExceptionNotice[]): void {
    deferredTransaction(this.ctx, () => {
      insertSyncExceptions(this.ctx, exceptions.map(exceptionOfNotice));
    });
  }

  /**
   * Every outcome other than `applied` reaches the desk: an entry the hub rejected, applied with a
   * warning or as a conflict becomes an exception to work through (linked to the patron and copy
   * its rows name), unless the hub already made one for that entry. Its id is the entry's, so a
   * second acknowledgement of the same entry records nothing new.
   */
  private recordOutcomes(batch: JournalEntry[], outcomes: PushOutcome[], exceptions: SyncExceptionNotice[]): void {
    const explained = new Set(exceptions.flatMap((x) => x.entryIds));
    const byId = new Map(batch.map((e) => [e.id, e]));
    const local: LocalException[] = [];
    for (const o of outcomes) {
      const entry = byId.get(o.id);
      if (o.outcome === 'applied' || !entry || explained.has(o.id)) continue;
      local.push(outcomeException(entry, o, this.ctx.now()));
    }
    if (local.length > 0) deferredTransaction(this.ctx, () => recordLocalExceptions(this.ctx, local));
  }

  /** Other branches' exceptions that concern this one, and resolutions made elsewhere. */
  private async pullExceptions(): Promise<void> {
    if (!this.client.exceptions) return;
    for (;;) {
      const cursor = this.ctx.readState(EXCEPTIONS_CURSOR_KEY);
      const page = await this.client.exceptions(cursor);
      if (page.exceptions.length === 0) {
        if (page.nextCursor !== cursor) recordExceptionNotices(this.ctx, [], page.nextCursor);
        return;
      }
      recordExceptionNotices(this.ctx, page.exceptions, page.nextCursor);
      this.emit();
    }
  }

  private async pullAll(): Promise<void> {
    if (this.client.snapshot && needsInitialLoad(this.ctx))
      await this.initialLoad(this.client.snapshot.bind(this.client));
    for (;;) {
      const cursor = this.ctx.readState(CURSOR_KEY);
      const batch = await this.client.pull(cursor);
      if (batch.changes.length > 0 || batch.nextCursor !== cursor) {
        const r = applyPulledBatch(this.ctx, batch.changes, batch.nextCursor);
        this.current.pulled += r.applied;
        this.emit();
      }
      if (!batch.more) return;
    }
  }

  /**
   * The first load from the hub's snapshot stream, chunk by chunk with its progress. Cut, it
   * throws (the round fails and is retried with back-off) and the next round resumes after the
   * last stored chunk.
   */
  private async initialLoad(snapshot: (after: string) => AsyncIterable<SnapshotLine>): Promise<void> {
    const saved = readLoadProgress(this.ctx);
    const progress: LoadProgress = saved ?? { cursor: '0', done: 0, total: 0 };
    this.current.initialLoad = { done: progress.done, total: progress.total };
    this.emit();
    let chunk: SnapshotRowChange[] = [];
    const store = (end: string | null) => {
      const next: LoadProgress = {
        cursor: chunk.at(-1)?.cursor ?? progress.cursor,
        done: progress.done + chunk.length,
        total: Math.max(progress.total, progress.done + chunk.length),
      };
      const r = applySnapshotChunk(this.ctx, chunk, next, end);
      Object.assign(progress, next);
      this.current.pulled += r.applied;
      this.current.initialLoad = end === null ? { done: progress.done, total: progress.total } : null;
      chunk = [];
      this.emit();
    };
    try {
      for await (const line of snapshot(progress.cursor)) {
        if ('start' in line) {
          // Resumed: what is left comes on top of what is in.
          progress.total = progress.done + line.rows;
          this.current.initialLoad = { done: progress.done, total: progress.total };
          this.emit();
        } else if ('end' in line) {
          store(line.cursor);
          return;
        } else {
          chunk.push(line);
          if (chunk.length >= LOAD_CHUNK) store(null);
        }
      }
    } catch (error) {
      // Cut: the whole rows that came before the cut are worth keeping.
      if (chunk.length > 0) store(null);
      throw error;
    }
    // The stream ended without its end line (the client should have thrown): keep what came.
    if (chunk.length > 0) store(null);
    throw new Error('the first load was cut before its end; it resumes where it stopped');
  }
}

/** The first entries of a batch whose JSON stays within `limit` bytes; at least the first one. */
function withinBytes(batch: JournalEntry[], limit: number): JournalEntry[] {
  let bytes = 0;
  for (let i = 0; i < batch.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(batch[i]));
    if (bytes > limit && i > 0) return batch.slice(0, i);
  }
  return batch;
}

/** An entry's outcome as an exception: the patron and copy its rows name, the hub's reason as its message. */
export function outcomeException(entry: JournalEntry, o: PushOutcome, at: number): LocalException {
  const patronIds = new Set<string>();
  let itemId: string | null = null;
  for (const e of entry.payload.effects) {
    const row = e.row as Record<string, unknown>;
    if (e.table === 'patrons') patronIds.add(e.row.id);
    else if (typeof row.patronId === 'string') patronIds.add(row.patronId);
    if (e.table === 'items') itemId ??= e.row.id;
    else if (typeof row.itemId === 'string') itemId ??= row.itemId;
  }
  const outcome = o.outcome as Exclude<PushOutcome['outcome'], 'applied'>;
  return {
    id: `outcome:${entry.id}`,
    ...exceptionOf(OUTCOME_EXCEPTION_KINDS[outcome], { command: entry.command, outcome, reason: o.reason ?? null }),
    patronIds: [...patronIds],
    itemId,
    entryIds: [entry.id],
    createdAt: at,
  };
}
