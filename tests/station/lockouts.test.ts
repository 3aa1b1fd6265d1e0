// The sign-in guard at the services, with a clock the test controls: the library's numbers, the
// lock's end, a burst of simultaneous guesses, and a count that forgets old wrong tries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/services/errors';
import { addPatron, createTestStation, type TestStation } from '../support/station';

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
});
afterEach(() => t.s.close());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: unknown) => (e instanceof ServiceError ? e.code : String(e)),
  );
const MINUTE = 60_000;

describe('the sign-in guard', () => {
  it("locks after the library's number of wrong PINs, for its minutes; then the right PIN works again", async () => {
    t.s.admin.updateSettings({ lockout: { maxFailures: 3, minutes: 10 } }, t.staff);
    const ana = addPatron(t, 1, { pin: '2468' });
    const pin = (p: string) => codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, p));
    expect([await pin('0000'), await pin('0001'), await pin('0002'), await pin('2468')]).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'LOCKED',
      'LOCKED',
    ]);
    t.clock.now += 10 * MINUTE - 1;
    expect(await pin('2468')).toBe('LOCKED');
    t.clock.now += 1;
    expect(await pin('2468')).toBe('OK');
  });

  it('checks twenty simultaneous guesses at one card one after another: five are tried, the rest refused unchecked', async () => {
    const ana = addPatron(t, 1, { pin: '2468' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, String(1000 + i)))),
    );
    expect(answers.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(4);
    expect(answers.filter((c) => c === 'LOCKED')).toHaveLength(16);
    const entries = t.s.store.db.prepare("SELECT count(*) AS n FROM journal WHERE command = 'auth.lockout'").get() as {
      n: number;
    };
    expect(entries.n).toBe(1);
  });

  it("starts the count again after a right PIN, or once wrong tries are a lock's length apart", async () => {
    const ana = addPatron(t, 1, { pin: '2468' });
    const pin = (p: string) => codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, p));
    for (let i = 0; i < 4; i++) expect(await pin('0000')).toBe('UNAUTHENTICATED');
    expect(await pin('2468')).toBe('OK');
    for (let i = 0; i < 4; i++) expect(await pin('0000')).toBe('UNAUTHENTICATED');
    t.clock.now += 15 * MINUTE;
    expect(await pin('0000')).toBe('UNAUTHENTICATED');
  });

  it('clears a card only for staff who ask, journaled under their name; an unknown patron is NOT_FOUND', async () => {
    const ana = addPatron(t, 1, { pin: '2468' });
    expect(t.s.auth.clearPatronLockout(ana.id, t.staff)).toEqual({ wasLocked: false });
    for (let i = 0; i < 5; i++) await codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, '0000'));
    expect(t.s.auth.clearPatronLockout(ana.id, t.staff)).toEqual({ wasLocked: true });
    expect(await codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, '2468'))).toBe('OK');
    const cleared = t.s.store.db
      .prepare("SELECT staff_id AS staffId FROM journal WHERE command = 'auth.clearLockout'")
      .all();
    expect(cleared).toEqual([{ staffId: t.staff.staffId }]);
    expect(() => t.s.auth.clearPatronLockout('no-such-patron', t.staff)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });

  it('locks a staff account as it locks a card, and a right password during the lock is refused', async () => {
    t.s.admin.saveStaff(
      { username: 'sup', displayName: 'Sam', role: 'supervisor', password: 'supervisor pass' },
      t.staff,
    );
    for (let i = 0; i < 5; i++) await codeOf(t.s.auth.signIn('sup', `guess ${i}`));
    expect(await codeOf(t.s.auth.signIn('SUP ', 'supervisor pass'))).toBe('LOCKED');
    expect(await codeOf(t.s.auth.verifySupervisor('sup', 'supervisor pass'))).toBe('LOCKED');
    t.clock.now += 15 * MINUTE;
    expect(await codeOf(t.s.auth.verifySupervisor('sup', 'supervisor pass'))).toBe('OK');
  });
});
