// The journal: the append-only record of every change of circulation state on a station. It is
// what sync pushes to the hub, and the only thing it pushes. Each station command writes exactly
// one entry in the same SQLite transaction as the state it changes.
//
// An entry says what was asked (`command` and `input`) and what it did (`effects`: the new
// state of every row it touched). The hub replays the effects with circulation sense (see
// src/hub), so the payload must be complete on its own: never "increment", always the new row.

import type { Id, Instant } from './types';

/**
 * Tables whose rows travel between stations and the hub, parents before children: the hub writes a
 * batch's rows in this order (src/hub/row-store.ts), so that a station loading rows in change order
 * meets a parent before its children. A new synced table goes here, after the tables it refers to.
 */
export const SYNCED_TABLES = [
  'settings',
  'branches',
  'closed_days',
  'patron_categories',
  'item_types',
  'circulation_rules',
  'patron_limits',
  'branch_item_policies',
  'staff',
  'records',
  'items',
  'patrons',
  'patron_blocks',
  'loans',
  'holds',
  'fees',
  'payments',
  'payment_allocations',
  'fee_waivers',
  'in_house_uses',
  'lockouts',
  'sip_accounts',
  'ill_requests',
  'notices',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/**
 * The library's configuration: what a station's configuration cache is built from
 * (src/services/config.ts), invalidated by any write to one of these (src/services/command.ts).
 */
export const CONFIGURATION_TABLES = [
  'settings',
  'branches',
  'closed_days',
  'patron_categories',
  'item_types',
  'circulation_rules',
  'patron_limits',
  'branch_item_policies',
] as const satisfies readonly SyncedTable[];

/** Tables only an administrator changes, at the hub's say (src/hub/policy.ts): the configuration, staff accounts and SIP2 accounts. */
export const ADMINISTRATOR_TABLES = [
  ...CONFIGURATION_TABLES,
  'staff',
  'sip_accounts',
] as const satisfies readonly SyncedTable[];
export type AdministratorTable = (typeof ADMINISTRATOR_TABLES)[number];

export interface RowChange {
  table: SyncedTable;
  op: 'upsert' | 'delete';
  /** The row's whole new state for an upsert (camelCase, as in src/domain/types.ts); `{ id }` for a delete. */
  row: Record<string, unknown> & { id: Id };
}

export interface JournalEntry {
  /** UUIDv7: unique everywhere, and sortable by creation time. */
  id: Id;
  stationId: Id;
  /** 1, 2, 3 ... per station, with no gaps: the hub applies a station's entries in this order. */
  seq: number;
  /** Hybrid logical clock timestamp (see hlc.ts), sortable as a string. */
  hlc: string;
  /** The station's wall clock when the command ran. */
  wallTime: Instant;
  /** The staff account that ran the command; null for a kiosk patron session or the system. */
  staffId: Id | null;
  /** The branch the station serves. */
  branchId: Id;
  /** The station API command name, e.g. "circulation.checkout". */
  command: string;
  payload: {
    /** The command's validated input (never a PIN or password: those are hashed first). */
    input: unknown;
    effects: RowChange[];
    /** Overrides staff granted for this command, with who granted them. */
    overrides?: { code: string; grantedBy: Id }[];
    /**
     * An entry no staff account made, made for a SIP2 account (a self-check, a sorter): signed by
     * the station's key, and accepted by the hub only as far as that account is allowed.
     */
    actor?: { kind: 'sip'; sipAccountId: Id };
  };
  /**
   * Ed25519 signature over the entry without its seq (src/shared/signing.ts): by `staffId`'s
   * key, or by the station's own key when no staff account made it. Entries written before
   * signing existed have none; the hub refuses an entry without a valid one.
   */
  signature?: string;
}
