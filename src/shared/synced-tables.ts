// Each synced table's drizzle definition, by its journal name. The station's store reads and
// writes rows through it (src/store/rows.ts); the hub derives from the same columns the shape a
// pushed row must have (src/hub/row-schemas.ts), so a row the hub accepts is one every station
// can store. src/store/schema.ts is declarations only (no I/O), which is why src/shared may import
// it and nothing else of the store.
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { SyncedTable } from '../domain/journal';
import * as schema from '../store/schema';

/** Each drizzle table's SQL name is its journal name: checked by the compiler (`satisfies`), so the two lists cannot drift. */
type NamedAs = { [T in SyncedTable]: SQLiteTable & { _: { name: T } } };

export const SYNCED_TABLES: Record<SyncedTable, SQLiteTable> = {
  settings: schema.settings,
  branches: schema.branches,
  closed_days: schema.closedDays,
  patron_categories: schema.patronCategories,
  patrons: schema.patrons,
  patron_blocks: schema.patronBlocks,
  item_types: schema.itemTypes,
  records: schema.records,
  items: schema.items,
  loans: schema.loans,
  holds: schema.holds,
  fees: schema.fees,
  payments: schema.payments,
  payment_allocations: schema.paymentAllocations,
  fee_waivers: schema.feeWaivers,
  in_house_uses: schema.inHouseUses,
  circulation_rules: schema.circulationRules,
  patron_limits: schema.patronLimits,
  branch_item_policies: schema.branchItemPolicies,
  staff: schema.staff,
  lockouts: schema.lockouts,
  sip_accounts: schema.sipAccounts,
  ill_requests: schema.illRequests,
  notices: schema.notices,
} satisfies NamedAs;
