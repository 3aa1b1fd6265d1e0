// Every change of circulation state goes through runCommand: one SQLite transaction that writes
// the new rows, exactly one journal entry describing them, and one audit line. If it is not in
// the journal, it did not happen; if the transaction fails, none of it happened.
import type { CommandName } from '../domain/commands';
import { CONFIGURATION_TABLES, type JournalEntry, type RowChange, type SyncedTable } from '../domain/journal';
import { formatHlc, hlcSend, type HlcState } from '../domain/hlc';
import type { Row } from '../store/rows';
import { inImmediateTransaction } from '../store/transaction';
import type { ServiceContext } from './context';
import { ServiceError } from './errors';
import { canonicalJson, signEntry } from '../shared/signing';
import { withSecretRefs } from '../shared/secret-refs';

export interface Actor {
  kind: 'staff' | 'kiosk' | 'system' | 'sip';
  /** The staff account, for staff sessions. */
  staffId: string | null;
  /** The signed-in patron, for kiosk sessions. */
  patronId?: string | null;
  /** The staff session's bearer token: a change of one's own password re-seals that session's key with it. */
  sessionToken?: string | null;
  /** The SIP2 account a self-check or sorter logged in with (kind 'sip'): recorded in the entry, signed by the station. */
  sip?: { accountId: string; login: string } | null;
}

export const SYSTEM: Actor = { kind: 'system', staffId: null };

/** The writer a command body uses: every write is also recorded as a journal effect. */
export class Tx {
  readonly effects: RowChange[] = [];
  readonly overrides: { code: string; grantedBy: string }[] = [];

  constructor(
    private readonly ctx: ServiceContext,
    /** The staff account running the command (null for the kiosk, SIP2 or the system), for rows that record who did a step. */
    readonly actorStaffId: string | null = null,
  ) {}

  upsert<T extends object>(table: SyncedTable, row: T): T {
    return this.write(table, row, 'upsert');
  }

  /** A new row (its id just made): as upsert, without looking for a row to update. */
  insert<T extends object>(table: SyncedTable, row: T): T {
    return this.write(table, row, 'insert');
  }

  private write<T extends object>(table: SyncedTable, row: T, how: 'upsert' | 'insert'): T {
    const picked = this.ctx.rows.pick(table, row as Record<string, unknown>);
    this.ctx.rows[how](table, picked);
    // The store keeps the row whole; the journal, a reference in place of each secret (secret-refs.ts).
    const journaled = withSecretRefs(table, picked);
    for (const [digest, value] of journaled.secrets) this.ctx.journal.keepSecret(digest, value);
    // Keys in sorted order here and in the row: their canonical JSON is then JSON.stringify's (signing.ts).
    this.effects.push({ op: 'upsert', row: journaled.row as Row, table });
    if (CONFIG_TABLES.has(table)) this.ctx.config.invalidate();
    return row;
  }

  delete(table: SyncedTable, id: string): void {
    this.ctx.rows.delete(table, id);
    this.effects.push({ op: 'delete', row: { id }, table });
    if (CONFIG_TABLES.has(table)) this.ctx.config.invalidate();
  }
}

/** Tables the in-memory configuration cache is built from. */
const CONFIG_TABLES = new Set<SyncedTable>(CONFIGURATION_TABLES);

export interface CommandSpec {
  /** The command's name from the one list of them (src/domain/commands.ts), e.g. COMMAND.circulation.checkout. */
  command: CommandName;
  /** What goes into the journal as the input: never a PIN or a password. */
  input: unknown;
  actor: Actor;
  /** One line for the audit trail. Keep patron names out of it. */
  summary?: string;
}

export function runCommand<T>(ctx: ServiceContext, spec: CommandSpec, body: (tx: Tx) => T): T {
  const wallTime = ctx.now();
  let nextClock: HlcState | null = null;
  let entryId = '';
  const run = () => {
    const tx = new Tx(ctx, spec.actor.staffId);
    const result = body(tx);
    nextClock = hlcSend(ctx.clock.state, wallTime);
    entryId = ctx.newId();
    const unsigned: Omit<JournalEntry, 'seq'> = {
      id: entryId,
      stationId: ctx.identity().stationId,
      hlc: formatHlc(nextClock),
      wallTime,
      staffId: spec.actor.staffId,
      branchId: ctx.identity().branchId,
      command: spec.command,
      // Keys in sorted order (actor, effects, input, overrides), as the rows' (Tx.write): the
      // canonical JSON of a payload built so is JSON.stringify's, in one pass (signing.ts).
      payload: {
        ...(spec.actor.kind === 'sip' && spec.actor.sip
          ? { actor: { kind: 'sip' as const, sipAccountId: spec.actor.sip.accountId } }
          : {}),
        effects: tx.effects,
        input: spec.input,
        ...(tx.overrides.length > 0 ? { overrides: tx.overrides } : {}),
      },
    };
    // Serialised once: the signed bytes and the journal's payload column are the same text.
    const payloadJson = canonicalJson(unsigned.payload);
    const entry = { ...unsigned, signature: signEntry(unsigned, signingKeyFor(ctx, spec.actor), payloadJson) };
    ctx.journal.append(entry, payloadJson);
    const summary = spec.summary ?? spec.command;
    ctx.journal.audit(
      wallTime,
      spec.actor.staffId,
      spec.command,
      entryId,
      spec.actor.kind === 'sip' && spec.actor.sip ? `${summary} (SIP2 ${spec.actor.sip.login})` : summary,
    );
    return result;
  };
  try {
    const result = inImmediateTransaction(ctx, run);
    // The clock moves only once the entry is durable (Actual Budget's rule).
    if (nextClock) ctx.clock.state = nextClock;
    ctx.afterCommit(spec.command);
    return result;
  } catch (error) {
    // A failed transaction may have refreshed the config cache from rows it then rolled back.
    ctx.config.invalidate();
    throw error;
  }
}

/**
 * A staff account signs with its own key, open while it is signed in here; the kiosk and the
 * station's housekeeping with the station's key (the hub allows that key only those commands).
 */
function signingKeyFor(ctx: ServiceContext, actor: Actor) {
  if (actor.kind !== 'staff' || !actor.staffId) return ctx.keys.stationKey();
  const key = ctx.keys.staffKey(actor.staffId);
  if (!key)
    throw new ServiceError(
      'UNAUTHENTICATED',
      'Please sign in again: this account cannot sign changes at this station until it does.',
    );
  return key;
}

export type { Row };
