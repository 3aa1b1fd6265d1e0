// The administration screens' reads (services/admin.ts): configuration rows found by their
// natural keys, closed days, staff accounts.
import type { Reader } from './reader';

const idOf = (row: unknown) => (row as { id: string } | undefined)?.id;

export function branchIdByCode(r: Reader, code: string): string | undefined {
  return idOf(r.store.db.prepare('SELECT id FROM branches WHERE code = ?').get(code));
}

export function circulationRuleId(
  r: Reader,
  branchId: string,
  categoryCode: string,
  itemTypeCode: string,
): string | undefined {
  return idOf(
    r.store.db
      .prepare('SELECT id FROM circulation_rules WHERE branch_id = ? AND category_code = ? AND item_type_code = ?')
      .get(branchId, categoryCode, itemTypeCode),
  );
}

export function patronLimitsId(r: Reader, branchId: string, categoryCode: string): string | undefined {
  return idOf(
    r.store.db
      .prepare('SELECT id FROM patron_limits WHERE branch_id = ? AND category_code = ?')
      .get(branchId, categoryCode),
  );
}

export function branchItemPolicyId(r: Reader, branchId: string, itemTypeCode: string): string | undefined {
  return idOf(
    r.store.db
      .prepare('SELECT id FROM branch_item_policies WHERE branch_id = ? AND item_type_code = ?')
      .get(branchId, itemTypeCode),
  );
}

/** A branch's closed days, raw (their shape depends on `kind`). */
export function closedDaysOf(r: Reader, branchId: string): Record<string, unknown>[] {
  return r.store.db.prepare('SELECT * FROM closed_days WHERE branch_id = ?').all(branchId) as Record<string, unknown>[];
}

/** Every staff account, raw, by username. */
export function allStaff(r: Reader): Record<string, unknown>[] {
  return r.store.db.prepare('SELECT * FROM staff ORDER BY username').all() as Record<string, unknown>[];
}

export function staffIdByUsername(r: Reader, username: string): string | undefined {
  return idOf(r.store.db.prepare('SELECT id FROM staff WHERE username = ?').get(username));
}

/** Every branch's id, code, name and time zone, by code. */
export function branchList(r: Pick<Reader, 'store'>): { id: string; code: string; name: string; timeZone: string }[] {
  return r.store.db.prepare('SELECT id, code, name, time_zone AS timeZone FROM branches ORDER BY code').all() as {
    id: string;
    code: string;
    name: string;
    timeZone: string;
  }[];
}
