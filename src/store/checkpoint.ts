// When the WAL is copied back into the database file. SQLite's automatic checkpoint runs inside
// whichever commit crosses the threshold, so one check-out in every hundred or so would pay for
// copying and syncing a thousand pages: that is the desk's p99. Instead the station checkpoints
// when the desk has been quiet for a moment (there are seconds between patrons), and keeps
// SQLite's automatic checkpoint only as a backstop for long busy runs, at a threshold high
// enough that a run of check-outs rarely meets it (see OpenStoreOptions.walAutocheckpointPages).
import type Database from 'better-sqlite3';

export interface IdleCheckpointOptions {
  /** Quiet time after the last commit before checkpointing, ms. */
  idleMs?: number;
}

export class IdleCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly idleMs: number;

  constructor(
    private readonly db: Database.Database,
    options: IdleCheckpointOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 1_000;
  }

  /**
   * After every commit: the quiet period starts again. Nothing committed, nothing to checkpoint.
   * This runs inside every check-out, so it only notes the time; the timer, when it fires, looks
   * at how long it has really been quiet and waits out the rest (re-arming a Node timer on every
   * commit cost a few microseconds of each check-out).
   */
  touch(): void {
    if (this.stopped) return;
    this.lastCommitAt = performance.now();
    if (!this.timer) this.arm(this.idleMs);
  }

  private lastCommitAt = 0;

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      const quietFor = performance.now() - this.lastCommitAt;
      if (quietFor >= this.idleMs) this.checkpointNow();
      else this.arm(this.idleMs - quietFor);
    }, ms);
    // A pending checkpoint never keeps the process alive.
    this.timer.unref();
  }

  /**
   * A PASSIVE checkpoint: it never waits for readers and takes the write lock only while it
   * copies. Returns the WAL's size in pages and how many were copied into the database file.
   */
  checkpointNow(): { walPages: number; checkpointed: number } {
    if (this.stopped || !this.db.open) return { walPages: 0, checkpointed: 0 };
    const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    return { walPages: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
