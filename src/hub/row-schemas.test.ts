// The hub's check of a lockouts row (src/hub/row-schemas.ts): one row per card or account, so a
// station cannot write a lock under one id that names another subject.
import { describe, expect, it } from 'vitest';
import { parseRowChange } from './row-schemas';

const lockout = (row: Record<string, unknown>) =>
  parseRowChange({
    table: 'lockouts',
    op: 'upsert',
    row: {
      id: 'patron:p1',
      kind: 'patron',
      subjectId: 'p1',
      failures: 5,
      lockedUntil: 1_800_000_000_000,
      updatedAt: 1_799_999_100_000,
      ...row,
    },
  });

describe('a lockouts row at the hub', () => {
  it('is taken when its id is its kind and subject, a lock or a clearing', () => {
    expect(lockout({})).toMatchObject({ ok: true });
    expect(lockout({ failures: 0, lockedUntil: null })).toMatchObject({ ok: true });
  });

  it('is refused when its id names another subject, its kind is unknown or a field is missing', () => {
    expect(lockout({ subjectId: 'p2' })).toEqual({
      ok: false,
      reason: expect.stringContaining('malformed lockouts row patron:p1: id: must be the kind and subject id'),
    });
    expect(lockout({ id: 'admin:p1', kind: 'admin' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('kind'),
    });
    expect(lockout({ failures: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('failures is missing'),
    });
    expect(lockout({ failures: -1 })).toMatchObject({ ok: false });
  });
});
