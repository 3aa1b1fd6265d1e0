// What a row of each synced table must look like when a station pushes it. The shapes come from
// the station's own table definitions (src/store/schema.ts): every column present, null only
// where the column allows it, the right type, an enum column one of its values. That is exactly
// what every station's store demands of a row it pulls, so a row the hub accepts is a row every
// station can store. A few checks of meaning the columns cannot say are added per table (dates,
// the kinds of closed day, the library settings document, the rules' ranges from
// src/api/schemas.ts). Columns a table does not have are dropped.
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { z } from 'zod';
import { CirculationRuleSchema, LibrarySettingsSchema, LocalDate } from '../api/schemas';
import { NoticeSettingsSchema } from '../api/notices';
import type { RowChange, SyncedTable } from '../domain/journal';
import { SYNCED_TABLES } from '../shared/synced-tables';
import { LATEST_WALL_TIME_MS } from '../domain/plausible-clock';

type Shape = Record<string, z.ZodType>;

/**
 * A time column (`checkedOutAt`, `dueAt`, `lockedUntil`...) holds ms since 1970 before the year
 * 2200: a loan "checked out" at -9e15 would win every ordering of two desks' loans of a copy.
 */
const INSTANT = z.number().int().min(0).lt(LATEST_WALL_TIME_MS, 'is not a time before the year 2200');
const isTimeColumn = (property: string) => /(At|Until)$/.test(property);

function columnSchema(column: SQLiteColumn, property: string): z.ZodType {
  const enumValues = (column as { enumValues?: string[] }).enumValues;
  let schema: z.ZodType;
  if (column.dataType === 'boolean') schema = z.boolean();
  else if (column.dataType === 'number') schema = isTimeColumn(property) ? INSTANT : z.number().int();
  else if (enumValues && enumValues.length > 0) schema = z.enum(enumValues as [string, ...string[]]);
  else if (column.dataType === 'string') schema = z.string();
  else schema = z.union([z.string(), z.number(), z.boolean()]);
  return column.notNull ? schema : schema.nullable();
}

function columnsOf(table: SyncedTable): Shape {
  const shape: Shape = {};
  for (const [property, column] of Object.entries(
    getTableColumns(SYNCED_TABLES[table]) as Record<string, SQLiteColumn>,
  ))
    shape[property] = columnSchema(column, property);
  shape.id = z.string().min(1).max(200);
  return shape;
}

/** The stricter field checks some tables get on top of their columns. */
const FIELDS: Partial<Record<SyncedTable, Shape>> = {
  patrons: {
    cardBarcode: z.string().min(1).max(64),
    cardExpiresOn: LocalDate,
    language: z.enum(['en', 'es']).nullable().default(null),
    noticeChannel: z.enum(['email', 'print']).nullable().default(null),
  },
  patron_blocks: { until: LocalDate.nullable() },
  holds: { suspendedUntil: LocalDate.nullable(), shelfExpiresOn: LocalDate.nullable() },
  closed_days: { date: LocalDate.nullable() },
  // The ranges the rules form enforces (loan length, fines...), for the columns the table has.
  circulation_rules: CirculationRuleSchema.shape as unknown as Shape,
  staff: { username: z.string().min(1).max(64), passwordHash: z.string().min(1) },
  lockouts: { failures: z.number().int().min(0).max(1000) },
  // Columns added by later migrations (0008, 0010, 0011): a station not yet updated sends rows
  // without them, and missing means null. Every other column must be there.
  payments: { reference: z.string().max(200).nullable().default(null) },
  // 0011: a copy's shelving location and when it was last seen; a loan's damage at check-in.
  items: { location: z.string().max(100).nullable().default(null), lastSeenAt: INSTANT.nullable().default(null) },
  loans: { damagedAt: INSTANT.nullable().default(null), damageNote: z.string().max(1000).nullable().default(null) },
  records: {
    edition: z.string().nullable().default(null),
    subjects: z.string().nullable().default(null),
    controlNumber: z.string().nullable().default(null),
    marc: z.string().nullable().default(null),
  },
};

function codeIsId(row: { id: string; code?: unknown }, ctx: z.RefinementCtx): void {
  if (row.code !== row.id)
    ctx.addIssue({
      code: 'custom',
      path: ['code'],
      message: 'must equal the id (categories and item types are kept by code)',
    });
}

/** One lockout row per card or account: its id is `<kind>:<subject id>` (src/services/lockouts.ts). */
function lockoutKey(row: { id: string; kind?: unknown; subjectId?: unknown }, ctx: z.RefinementCtx): void {
  if (row.id !== `${String(row.kind)}:${String(row.subjectId)}`)
    ctx.addIssue({ code: 'custom', path: ['id'], message: 'must be the kind and subject id, as "patron:<id>"' });
}

function closedDay(row: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const need = (field: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(row[field]))
      ctx.addIssue({ code: 'custom', path: [field], message: `a ${String(row.kind)} closed day needs ${what}` });
  };
  const int = (lo: number, hi: number) => (v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
  if (row.kind === 'date') need('date', (v) => typeof v === 'string', 'a date');
  if (row.kind === 'weekly') need('weekday', int(0, 6), 'a weekday from 0 (Sunday) to 6');
  if (row.kind === 'yearly') {
    need('month', int(1, 12), 'a month from 1 to 12');
    need('day', int(1, 31), 'a day from 1 to 31');
  }
}

/** The library settings document: JSON, each field it has of the right type (a missing one takes its default at the stations). */
function settingsDocument(row: { id: string; value?: unknown }, ctx: z.RefinementCtx): void {
  if (row.id !== 'library' && row.id !== 'notices') {
    ctx.addIssue({ code: 'custom', path: ['id'], message: 'the settings rows are "library" and "notices"' });
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(String(row.value));
  } catch {
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'is not JSON' });
    return;
  }
  const parsed = (row.id === 'notices' ? NoticeSettingsSchema.partial() : LibrarySettingsSchema.partial()).safeParse(
    doc,
  );
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: ['value', ...issue.path.map(String)], message: issue.message });
}

function tableSchema(table: SyncedTable): z.ZodType<Record<string, unknown> & { id: string }> {
  const columns = columnsOf(table);
  const extra = Object.fromEntries(Object.entries(FIELDS[table] ?? {}).filter(([field]) => field in columns));
  const base = z.object({ ...columns, ...extra }) as unknown as z.ZodType<Record<string, unknown> & { id: string }>;
  switch (table) {
    case 'patron_categories':
    case 'item_types':
      return base.superRefine(codeIsId);
    case 'closed_days':
      return base.superRefine(closedDay);
    case 'settings':
      return base.superRefine(settingsDocument);
    case 'lockouts':
      return base.superRefine(lockoutKey);
    default:
      return base;
  }
}

const schemas = new Map<SyncedTable, z.ZodType<Record<string, unknown> & { id: string }>>();

/** The zod schema of an upserted row of this table (built once, from the station's table definition). */
export function rowSchema(table: SyncedTable): z.ZodType<Record<string, unknown> & { id: string }> {
  let schema = schemas.get(table);
  if (!schema) schemas.set(table, (schema = tableSchema(table)));
  return schema;
}

function describe(issue: z.core.$ZodIssue, row: Record<string, unknown>): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.path.length === 1 && row[String(issue.path[0])] === undefined)
    return `${path} is missing`;
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * The row of a change as the table defines it, or why it is not one. A delete names only the id.
 */
export function parseRowChange(change: RowChange): { ok: true; change: RowChange } | { ok: false; reason: string } {
  if (change.op === 'delete')
    return { ok: true, change: { table: change.table, op: 'delete', row: { id: change.row.id } } };
  const parsed = rowSchema(change.table).safeParse(change.row);
  if (parsed.success) return { ok: true, change: { table: change.table, op: 'upsert', row: parsed.data } };
  const issues = parsed.error.issues.slice(0, 3).map((i) => describe(i, change.row));
  const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
  return { ok: false, reason: `malformed ${change.table} row ${change.row.id}: ${issues.join('; ')}${more}` };
}
