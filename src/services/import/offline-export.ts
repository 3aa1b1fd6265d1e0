// The station's circulation as the offline files Koha and Evergreen load, for a library that
// keeps one of them as its system and uses Circa as its offline desk.
//
// - Koha's .koc (offline_circ/process_koc.pl): a header line of tab-separated key=value pairs
//   (Version=1.0, which Koha insists on, Generator, GeneratorVersion), then one line per
//   transaction: "YYYY-MM-DD HH:MM:SS mmm", the command and its arguments, tab-separated:
//   issue <card> <item>, return <item>, payment <card> <amount>. Times are the branch's local
//   time. Koha makes an issue of a copy already on loan to that card a renewal, so a renewal
//   is written as an issue.
// - Evergreen's offline transactions (Open-ILS/web/js/ui/default/staff/offline.js): one JSON
//   object per line with type, timestamp (epoch seconds) and delta 0; checkout and renew carry
//   patron_barcode, barcode, due_date and checkout_time (ISO 8601); checkin carries barcode and
//   backdate; in_house_use carries barcode and count.
//
// Neither system de-duplicates what it loads, so every entry is exported once per format:
// export_marks remembers which entries each format has carried, and the next export of a span
// carries only what is new (unless asked to carry everything again).
import { endOfLocalDay, startOfLocalDay } from '../../domain/time';
import type { Loan } from '../../domain/types';
import type { ServiceContext } from '../context';
import { invalid } from '../errors';
import { isValidLocalDate } from '../../domain/time';
import { COMMAND } from '../../domain/commands';

export type OfflineFormat = 'koc' | 'evergreen';

export interface OfflineExportOptions {
  from: string;
  to: string;
  /** Carry entries already exported in this format too. */
  again?: boolean;
  generatorVersion?: string;
}

export interface OfflineExport {
  /** The file's text. */
  text: string;
  /** Transactions (lines after the header) written. */
  transactions: number;
  /** Journal entries carried; marked once the file is safely written (markExported). */
  entries: number[];
  /** Entries in the span that could not be written, and why (a loan unlinked from its patron for privacy). */
  skipped: { seq: number; reason: string }[];
}

const COMMANDS: Record<OfflineFormat, string[]> = {
  koc: [
    COMMAND.circulation.checkout,
    COMMAND.circulation.renew,
    COMMAND.circulation.renewAll,
    COMMAND.circulation.checkin,
    COMMAND.fees.pay,
  ],
  evergreen: [
    COMMAND.circulation.checkout,
    COMMAND.circulation.renew,
    COMMAND.circulation.renewAll,
    COMMAND.circulation.checkin,
    COMMAND.catalogue.inHouseUse,
  ],
};

interface JournalRow {
  seq: number;
  command: string;
  wall_time: number;
  branch_id: string;
  payload: string;
}

interface Effect {
  table: string;
  row: Record<string, unknown>;
}

export function buildOfflineExport(
  ctx: ServiceContext,
  format: OfflineFormat,
  options: OfflineExportOptions,
): OfflineExport {
  for (const d of [options.from, options.to])
    if (!isValidLocalDate(d)) throw invalid(`"${d}" is not a day like 2026-12-01.`);
  if (options.to < options.from) throw invalid('--to is before --from.');
  const cfg = ctx.config.get();
  const branch = cfg.branches.get(ctx.identity().branchId);
  const zone = branch?.timeZone ?? 'UTC';
  const db = ctx.store.db;
  const commands = COMMANDS[format];
  const rows = db
    .prepare(
      `SELECT seq, command, wall_time, branch_id, payload FROM journal
       WHERE wall_time BETWEEN ? AND ? AND command IN (${commands.map(() => '?').join(', ')})
       ${options.again ? '' : 'AND seq NOT IN (SELECT seq FROM export_marks WHERE format = ?)'}
       ORDER BY seq`,
    )
    .all(
      startOfLocalDay(options.from, zone),
      endOfLocalDay(options.to, zone),
      ...commands,
      ...(options.again ? [] : [format]),
    ) as JournalRow[];
  const cardOf = db.prepare('SELECT card_barcode FROM patrons WHERE id = ?').pluck();
  const barcodeOf = db.prepare('SELECT barcode FROM items WHERE id = ?').pluck();
  const lines: string[] = [];
  const entries: number[] = [];
  const skipped: OfflineExport['skipped'] = [];
  if (format === 'koc')
    lines.push(`Version=1.0\tGenerator=Circa\tGeneratorVersion=${options.generatorVersion ?? '0.1.0'}`);
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { input?: Record<string, unknown>; effects?: Effect[] };
    const input = payload.input ?? {};
    const effects = payload.effects ?? [];
    const loans = effects.filter((e) => e.table === 'loans').map((e) => e.row as unknown as Loan);
    const card = (loan: Loan | undefined) =>
      typeof input.patronBarcode === 'string'
        ? input.patronBarcode
        : loan?.patronId
          ? ((cardOf.get(loan.patronId) as string | undefined) ?? null)
          : null;
    const itemBarcode = (loan: Loan | undefined) =>
      typeof input.itemBarcode === 'string' && row.command !== COMMAND.circulation.renewAll
        ? input.itemBarcode
        : loan
          ? ((barcodeOf.get(loan.itemId) as string | undefined) ?? null)
          : null;
    const out: string[] = [];
    let why: string | null = null;
    switch (row.command) {
      case COMMAND.circulation.checkout:
      case COMMAND.circulation.renew:
      case COMMAND.circulation.renewAll: {
        for (const loan of loans) {
          const patron = card(loan);
          const item = itemBarcode(loan);
          if (!patron || !item) {
            why = 'the loan is no longer linked to its patron (reading privacy)';
            continue;
          }
          const at =
            row.command === COMMAND.circulation.checkout ? loan.checkedOutAt : (loan.lastRenewedAt ?? row.wall_time);
          if (format === 'koc') out.push(`${kocTime(at, zone)}\tissue\t${patron}\t${item}`);
          else {
            const type = row.command === COMMAND.circulation.checkout ? 'checkout' : 'renew';
            out.push(
              JSON.stringify({
                timestamp: Math.floor(at / 1000),
                type,
                delta: 0,
                patron_barcode: patron,
                barcode: item,
                due_date: new Date(loan.dueAt).toISOString(),
                checkout_time: new Date(at).toISOString(),
              }),
            );
          }
        }
        break;
      }
      case COMMAND.circulation.checkin: {
        const loan = loans.find((l) => l.returnedAt !== null);
        const item = typeof input.itemBarcode === 'string' ? input.itemBarcode : itemBarcode(loan);
        // A check-in of a copy that was not on loan changed nothing Koha or Evergreen would record.
        if (!loan || !item) break;
        const at = loan.returnedAt ?? row.wall_time;
        if (format === 'koc') out.push(`${kocTime(at, zone)}\treturn\t${item}`);
        else
          out.push(
            JSON.stringify({
              timestamp: Math.floor(row.wall_time / 1000),
              type: 'checkin',
              delta: 0,
              barcode: item,
              backdate: new Date(at).toISOString(),
            }),
          );
        break;
      }
      case COMMAND.fees.pay: {
        const payment = effects.find((e) => e.table === 'payments')?.row as
          { patronId?: string; amount?: number; createdAt?: number } | undefined;
        const patron = payment?.patronId ? (cardOf.get(payment.patronId) as string | undefined) : undefined;
        if (!payment || !patron || !payment.amount) {
          why = 'the payment names no patron with a card';
          break;
        }
        out.push(
          `${kocTime(payment.createdAt ?? row.wall_time, zone)}\tpayment\t${patron}\t${(payment.amount / 100).toFixed(2)}`,
        );
        break;
      }
      case COMMAND.catalogue.inHouseUse: {
        const item = typeof input.itemBarcode === 'string' ? input.itemBarcode : null;
        if (item)
          out.push(
            JSON.stringify({
              timestamp: Math.floor(row.wall_time / 1000),
              type: 'in_house_use',
              delta: 0,
              barcode: item,
              count: 1,
            }),
          );
        break;
      }
    }
    if (out.length === 0 && why) {
      skipped.push({ seq: row.seq, reason: why });
      continue;
    }
    lines.push(...out);
    entries.push(row.seq);
  }
  const transactions = lines.length - (format === 'koc' ? 1 : 0);
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', transactions, entries, skipped };
}

/** Remembers that these entries went out in this format: the next export leaves them out. */
export function markExported(ctx: ServiceContext, format: OfflineFormat, entries: number[]): void {
  const db = ctx.store.db;
  const mark = db.prepare('INSERT OR IGNORE INTO export_marks (format, seq, exported_at) VALUES (?, ?, ?)');
  const now = ctx.now();
  db.transaction(() => {
    for (const seq of entries) mark.run(format, seq, now);
  })();
}

/** "2026-12-01 14:03:22 045": the branch's local time, milliseconds last (Koha's timestamp). */
export function kocTime(instant: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '00';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${String(instant % 1000).padStart(3, '0')}`;
}
