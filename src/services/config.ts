// The library's configuration (settings, branches, calendar, categories, item types, rules),
// read on every check-out, so it is held in memory and rebuilt only after a command or a sync
// batch changes one of its tables.
import type Database from 'better-sqlite3';
import type {
  Branch,
  BranchItemPolicy,
  CirculationRule,
  ClosedDay,
  ItemType,
  LibrarySettings,
  PatronCategory,
  PatronLimits,
  RulesMatrix,
} from '../domain/types';
import { DEFAULT_SETTINGS } from '../domain/settings';
import type { Rows } from '../store/rows';

/** Also here for the station's code that reads settings beside the rest of the configuration. */
export { DEFAULT_SETTINGS };

export interface LibraryConfig {
  settings: LibrarySettings;
  branches: Map<string, Branch>;
  closedDays: Map<string, ClosedDay[]>;
  categories: Map<string, PatronCategory & { id: string }>;
  itemTypes: Map<string, ItemType & { id: string }>;
  matrix: StoredRulesMatrix;
}

/** The rules matrix as the station keeps it: each row with its id (the desk edits and deletes rows by it). */
export interface StoredRulesMatrix extends RulesMatrix {
  rules: (CirculationRule & { id: string })[];
  patronLimits: (PatronLimits & { id: string })[];
  branchItemPolicies: (BranchItemPolicy & { id: string })[];
}

export class ConfigCache {
  private current: LibraryConfig | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly rows: Rows,
  ) {}

  invalidate(): void {
    this.current = null;
  }

  get(): LibraryConfig {
    this.current ??= this.load();
    return this.current;
  }

  private all<T>(table: Parameters<Rows['decode']>[0], sqlTable: string): T[] {
    return (this.db.prepare(`SELECT * FROM ${sqlTable}`).all() as Record<string, unknown>[]).map((r) =>
      this.rows.decode<T>(table, r),
    );
  }

  private load(): LibraryConfig {
    const stored = this.db.prepare("SELECT value FROM settings WHERE id = 'library'").get() as { value: string } | undefined;
    const settings: LibrarySettings = stored
      ? { ...DEFAULT_SETTINGS, ...(JSON.parse(stored.value) as Partial<LibrarySettings>) }
      : DEFAULT_SETTINGS;
    const branches = new Map(this.all<Branch>('branches', 'branches').map((b) => [b.id, b]));
    const closedDays = new Map<string, ClosedDay[]>();
    for (const row of this.all<Record<string, unknown>>('closed_days', 'closed_days')) {
      const list = closedDays.get(row.branchId as string) ?? [];
      list.push(toClosedDay(row));
      closedDays.set(row.branchId as string, list);
    }
    return {
      settings,
      branches,
      closedDays,
      categories: new Map(this.all<PatronCategory & { id: string }>('patron_categories', 'patron_categories').map((c) => [c.code, c])),
      itemTypes: new Map(this.all<ItemType & { id: string }>('item_types', 'item_types').map((t) => [t.code, t])),
      matrix: {
        rules: this.all<CirculationRule & { id: string }>('circulation_rules', 'circulation_rules'),
        patronLimits: this.all<PatronLimits & { id: string }>('patron_limits', 'patron_limits'),
        branchItemPolicies: this.all<BranchItemPolicy & { id: string }>('branch_item_policies', 'branch_item_policies'),
      },
    };
  }
}

export function toClosedDay(row: Record<string, unknown>): ClosedDay {
  const description = (row.description as string | null) ?? undefined;
  switch (row.kind) {
    case 'weekly':
      return { kind: 'weekly', weekday: row.weekday as number, description };
    case 'yearly':
      return { kind: 'yearly', month: row.month as number, day: row.day as number, description };
    default:
      return { kind: 'date', date: row.date as string, description };
  }
}
