// What the MARC and patron imports share: the report of what went in and what did not, the
// codes a library's old system used mapped to Circa's, and the mark that lets an interrupted
// import carry on where it stopped.
import type { ServiceContext } from '../context';
import type { LibraryConfig } from '../config';

/** A record or row that did not go in: where it is in the file (1-based), what names it, why. */
export interface Skipped {
  position: number;
  /** The record's 001, or the row's card number, when it has one. */
  id: string | null;
  reason: string;
}

/** The report keeps the first this many skipped rows by position; the count is of all of them. */
export const SKIPPED_LISTED = 1000;

export class SkipList {
  readonly list: Skipped[] = [];
  count = 0;
  add(s: Skipped): void {
    this.count++;
    if (this.list.length < SKIPPED_LISTED) this.list.push(s);
  }
}

export interface ImportProgress {
  /** Records (rows) read so far. */
  read: number;
  bytes: number;
  totalBytes: number | null;
}

/** Codes of the old system's item types, branches and patron categories, mapped to Circa's codes. */
export interface CodeMapping {
  itemTypes?: Record<string, string>;
  branches?: Record<string, string>;
  categories?: Record<string, string>;
}

/** A branch's id from a code in the file: mapped, or Circa's own code (any case). */
export function branchIdFor(cfg: LibraryConfig, mapping: CodeMapping, code: string): string | null {
  const target = (mapping.branches?.[code] ?? code).toLowerCase();
  for (const b of cfg.branches.values()) if (b.code.toLowerCase() === target || b.id === target) return b.id;
  return null;
}

/** A Circa code from a code in the file, when the mapping or Circa's own list has it (any case). */
export function codeFor(known: Iterable<string>, map: Record<string, string> | undefined, code: string): string | null {
  const target = map?.[code] ?? map?.[code.toUpperCase()] ?? code;
  for (const k of known) if (k === target || k.toLowerCase() === target.toLowerCase()) return k;
  return null;
}

/**
 * An import's resume mark, in station_state, written in the same transaction as each batch:
 * the position of the last record that batch wrote. Keyed by the file's fingerprint, so a
 * second run of the same file skips what the first committed, and another file starts afresh.
 */
export class ResumeMark {
  private readonly key: string;
  constructor(
    private readonly ctx: ServiceContext,
    kind: string,
    fingerprint: string | null,
  ) {
    this.key = fingerprint ? `import.${kind}.${fingerprint}` : '';
  }
  get enabled(): boolean {
    return this.key !== '';
  }
  read(): number {
    if (!this.enabled) return 0;
    return Number(this.ctx.readState(this.key) ?? 0) || 0;
  }
  write(position: number): void {
    if (this.enabled) this.ctx.writeState(this.key, String(position));
  }
  clear(): void {
    if (this.enabled) this.ctx.store.db.prepare('DELETE FROM station_state WHERE key = ?').run(this.key);
  }
}
