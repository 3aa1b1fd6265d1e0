// Desk reports. Counts come from the journal (what the desk did), so they need no reading
// history; the overdue list names patrons because staff must contact them.
import { localDateOf, startOfLocalDay } from '../domain/time';
import type { ServiceContext } from './context';
import { statisticsReport, type StatisticsQuery, type StatisticsReport } from './statistics';
import { COMMAND } from '../domain/commands';

export class ReportService {
  constructor(private readonly ctx: ServiceContext) {}

  private zone(): string {
    const cfg = this.ctx.config.get();
    return cfg.branches.get(this.ctx.identity().branchId)?.timeZone ?? 'UTC';
  }

  /** Today at a glance: check-outs, returns and renewals by hour (branch time), and loans by item type. */
  today(): { date: string; byHour: { hour: number; checkouts: number; checkins: number; renewals: number }[]; byItemType: { itemType: string; loans: number }[] } {
    const tz = this.zone();
    const now = this.ctx.now();
    const date = localDateOf(now, tz);
    const start = startOfLocalDay(date, tz);
    const rows = this.ctx.store.db
      .prepare(`SELECT command, wall_time AS at FROM journal WHERE wall_time >= ?`)
      .all(start) as { command: string; at: number }[];
    const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, checkouts: 0, checkins: 0, renewals: 0 }));
    const hourOf = (at: number) => Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: tz }).format(at));
    for (const r of rows) {
      const slot = byHour[hourOf(r.at)]!;
      if (r.command === COMMAND.circulation.checkout) slot.checkouts++;
      else if (r.command === COMMAND.circulation.checkin) slot.checkins++;
      else if (r.command === COMMAND.circulation.renew || r.command === COMMAND.circulation.renewAll) slot.renewals++;
    }
    const byItemType = this.ctx.store.db
      .prepare(`SELECT i.item_type_code AS itemType, count(*) AS loans FROM loans l JOIN items i ON i.id = l.item_id WHERE l.checked_out_at >= ? GROUP BY i.item_type_code ORDER BY loans DESC`)
      .all(start) as { itemType: string; loans: number }[];
    return { date, byHour, byItemType };
  }

  /** Statistics of a period, grouped one way (src/services/statistics.ts): counts only, no patron. */
  statistics(query: StatisticsQuery): StatisticsReport {
    return statisticsReport(this.ctx, query);
  }

  overdue(): { itemBarcode: string; title: string; patronName: string; cardBarcode: string; email: string | null; dueAt: number; daysOverdue: number }[] {
    const now = this.ctx.now();
    const rows = this.ctx.store.db
      .prepare(
        `SELECT i.barcode AS itemBarcode, r.title, p.first_name || ' ' || p.last_name AS patronName, p.card_barcode AS cardBarcode, p.email, l.due_at AS dueAt
         FROM loans l JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id JOIN patrons p ON p.id = l.patron_id
         WHERE l.returned_at IS NULL AND l.due_at < ? ORDER BY l.due_at`,
      )
      .all(now) as { itemBarcode: string; title: string; patronName: string; cardBarcode: string; email: string | null; dueAt: number }[];
    return rows.map((r) => ({ ...r, daysOverdue: Math.floor((now - r.dueAt) / 86_400_000) + 1 }));
  }

  inTransit(): { itemBarcode: string; title: string; toBranch: string }[] {
    const cfg = this.ctx.config.get();
    return (
      this.ctx.store.db
        .prepare(`SELECT i.barcode AS itemBarcode, r.title, i.transit_to_branch_id AS toId FROM items i JOIN records r ON r.id = i.record_id WHERE i.status = 'in_transit' ORDER BY i.barcode`)
        .all() as { itemBarcode: string; title: string; toId: string | null }[]
    ).map((r) => ({ itemBarcode: r.itemBarcode, title: r.title, toBranch: (r.toId && cfg.branches.get(r.toId)?.name) || '' }));
  }
}
