// The library's configuration (settings, branches, calendar, categories, item types, rules),
// read on every check-out, so it is held in memory and rebuilt only after a command or a sync
// batch changes one of its tables.
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
import { storedLibrarySettings, wholeTable } from '../store/queries/config';
import type { Reader } from '../store/queries/reader';

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

  constructor(private readonly reader: Reader) {}

  invalidate(): void {
    this.current = null;
  }

  get(): LibraryConfig {
    this.current ??= this.load();
    return this.current;
  }

  private all<T>(table: Parameters<typeof wholeTable>[1]): T[] {
    return wholeTable<T>(this.reader, table);
  }

  private load(): LibraryConfig {
    const stored = storedLibrarySettings(this.reader);
    const settings: LibrarySettings = stored
      ? { ...DEFAULT_SETTINGS, ...(JSON.parse(stored) as Partial<LibrarySettings>) }
      : DEFAULT_SETTINGS;
    const branches = new Map(this.all<Branch>('branches').map((b) => [b.id, b]));
    const closedDays = new Map<string, ClosedDay[]>();
    for (const row of this.all<Record<string, unknown>>('closed_days')) {
      const list = closedDays.get(row.branchId as string) ?? [];
      list.push(toClosedDay(row));
      closedDays.set(row.branchId as string, list);
    }
    return {
      settings,
      branches,
      closedDays,
      categories: new Map(this.all<PatronCategory & { id: string }>('patron_categories').map((c) => [c.code, c])),
      itemTypes: new Map(this.all<ItemType & { id: string }>('item_types').map((t) => [t.code, t])),
      matrix: {
        rules: this.all<CirculationRule & { id: string }>('circulation_rules'),
        patronLimits: this.all<PatronLimits & { id: string }>('patron_limits'),
        branchItemPolicies: this.all<BranchItemPolicy & { id: string }>('branch_item_policies'),
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
