// Desk reports. Counts come from the journal (what the desk did), so they need no reading
// history; the overdue list names patrons because staff must contact them.
import { localDateOf, startOfLocalDay } from '../domain/time';
import { copiesInTransit, journalCommandsSince, loansByItemTypeSince, overdueLoans } from '../store/queries/reports';
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
  today(): {
    date: string;
    byHour: { hour: number; checkouts: number; checkins: number; renewals: number }[];
    byItemType: { itemType: string; loans: number }[];
  } {
    const tz = this.zone();
    const now = this.ctx.now();
    const date = localDateOf(now, tz);
    const start = startOfLocalDay(date, tz);
    const rows = journalCommandsSince(this.ctx, start);
    const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, checkouts: 0, checkins: 0, renewals: 0 }));
    const hourOf = (at: number) =>
      Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: tz }).format(at));
    for (const r of rows) {
      const slot = byHour[hourOf(r.at)]!;
      if (r.command === COMMAND.circulation.checkout) slot.checkouts++;
      else if (r.command === COMMAND.circulation.checkin) slot.checkins++;
      else if (r.command === COMMAND.circulation.renew || r.command === COMMAND.circulation.renewAll) slot.renewals++;
    }
    const byItemType = loansByItemTypeSince(this.ctx, start);
    return { date, byHour, byItemType };
  }

  /** Statistics of a period, grouped one way (src/services/statistics.ts): counts only, no patron. */
  statistics(query: StatisticsQuery): StatisticsReport {
    return statisticsReport(this.ctx, query);
  }

  overdue(): {
    itemBarcode: string;
    title: string;
    patronName: string;
    cardBarcode: string;
    email: string | null;
    dueAt: number;
    daysOverdue: number;
  }[] {
    const now = this.ctx.now();
    const rows = overdueLoans(this.ctx, now);
    return rows.map((r) => ({ ...r, daysOverdue: Math.floor((now - r.dueAt) / 86_400_000) + 1 }));
  }

  inTransit(): { itemBarcode: string; title: string; toBranch: string }[] {
    const cfg = this.ctx.config.get();
    return copiesInTransit(this.ctx).map((r) => ({
      itemBarcode: r.itemBarcode,
      title: r.title,
      toBranch: (r.toId && cfg.branches.get(r.toId)?.name) || '',
    }));
  }
}
