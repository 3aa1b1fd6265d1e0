// The sign-in guard at the services, with a clock the test controls: the library's numbers, the
// lock's end, a burst of simultaneous guesses, a count that forgets old wrong tries, and the rate
// limit per caller address under a station-wide ceiling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/services/errors';
import { MAX_ADDRESSES, unknownSubject } from '../../src/services/lockouts';
import { addPatron, createTestStation, patronCard, type TestStation } from '../support/station';

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

describe('the sign-in rate limit, per caller address and under a station-wide ceiling', () => {
  const GUESSER = '10.0.0.66';
  const DESK = '10.0.0.5';
  const adminSignIn = (from?: string) => codeOf(t.s.auth.signIn('admin', 'correct horse battery', from));
  const rateLimited = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => (e instanceof ServiceError && e.code === 'RATE_LIMITED' ? e : null),
    );

  it('refuses an address after 20 wrong tries in a minute, for a minute; the desk at another address still signs in', async () => {
    const started = t.clock.now;
    // Twenty names, one try each: no account reaches its own lock.
    for (let i = 0; i < 20; i++)
      expect(await codeOf(t.s.auth.signIn(`ghost${i}`, 'password1', GUESSER))).toBe('UNAUTHENTICATED');
    expect(await adminSignIn(DESK)).toBe('OK');
    const refused = await rateLimited(t.s.auth.signIn('admin', 'correct horse battery', GUESSER));
    expect(refused?.retryAt).toBe(started + MINUTE);
    expect(refused?.message).toMatch(/from this device/);
    // A supervisor's override from that address is the same kind of sign-in, and refused too.
    expect(await codeOf(t.s.auth.verifySupervisor('admin', 'correct horse battery', null, GUESSER))).toBe(
      'RATE_LIMITED',
    );
    // The same address's kiosk PINs are counted apart.
    const ana = addPatron(t, 1, { pin: '2468' });
    expect(await codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, '2468', GUESSER))).toBe('OK');
    // The address as IPv6 maps it (a dual-stack socket) is the same address.
    expect(await adminSignIn(`::ffff:${GUESSER}`)).toBe('RATE_LIMITED');
    t.clock.now = started + MINUTE;
    expect(await adminSignIn(GUESSER)).toBe('OK');
  });

  it('counts calls of no known address in one pool of their own', async () => {
    for (let i = 0; i < 20; i++) await codeOf(t.s.auth.signIn(`ghost${i}`, 'password1'));
    expect(await adminSignIn()).toBe('RATE_LIMITED');
    expect(await adminSignIn(DESK)).toBe('OK');
  });

  it('refuses everyone once 100 wrong tries in a minute come from many addresses, each under its own limit', async () => {
    // Ten addresses, ten wrong tries each (half the per-address limit), a second apart.
    const answers: string[] = [];
    for (let i = 0; i < 100; i++) {
      answers.push(await codeOf(t.s.auth.signIn(`ghost${i}`, 'password1', `10.0.1.${i % 10}`)));
      t.clock.now += 500;
    }
    expect(answers).toEqual(Array(100).fill('UNAUTHENTICATED'));
    const refused = await rateLimited(t.s.auth.signIn('admin', 'correct horse battery', DESK));
    expect(refused?.message).toMatch(/at this station/);
    expect(refused?.retryAt).toBeGreaterThan(t.clock.now);
    expect(await adminSignIn('10.0.1.3')).toBe('RATE_LIMITED');
    // Patron PINs are still counted apart.
    const ana = addPatron(t, 1, { pin: '2468' });
    expect(await codeOf(t.s.auth.kioskSignIn(ana.cardBarcode, '2468', DESK))).toBe('OK');
    t.clock.now = refused!.retryAt! - 1;
    expect(await adminSignIn(DESK)).toBe('RATE_LIMITED');
    t.clock.now = refused!.retryAt!;
    expect(await adminSignIn(DESK)).toBe('OK');
  });

  it('counts SIP2 logins and the PINs self-checks send per address too', async () => {
    for (let i = 0; i < 20; i++) {
      expect(await codeOf(t.s.sip2.login(`ghost${i}`, 'password1', GUESSER))).toBe('UNAUTHENTICATED');
      expect(await codeOf(t.s.auth.checkPatronPin(patronCard(900 + i), '0000', GUESSER))).toBe('UNAUTHENTICATED');
    }
    expect(await codeOf(t.s.sip2.login('ghost0', 'password1', GUESSER))).toBe('RATE_LIMITED');
    expect(await codeOf(t.s.auth.checkPatronPin(patronCard(1), '0000', GUESSER))).toBe('RATE_LIMITED');
    expect(await codeOf(t.s.sip2.login('ghost0', 'password1', DESK))).toBe('UNAUTHENTICATED');
    expect(await codeOf(t.s.auth.checkPatronPin(patronCard(1), '0000', DESK))).toBe('UNAUTHENTICATED');
  });

  it('forgets an address once it has nothing left to count, so a spray of addresses does not fill the memory', async () => {
    const guard = t.s.auth.guard;
    const remembered = () => (guard as unknown as { addressPools: Map<string, unknown> }).addressPools.size;
    const wrong = () => new ServiceError('UNAUTHENTICATED', 'wrong');
    // Right answers leave nothing behind.
    for (let i = 0; i < 50; i++)
      await guard.attempt(unknownSubject('staff', `n${i}`), `10.1.0.${i}`, async () => 'yes', wrong);
    expect(remembered()).toBe(0);
    // Wrong ones are remembered for the window, then forgotten as new addresses arrive.
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 90; i++)
        await codeOf(
          guard.attempt(unknownSubject('staff', `r${round}-${i}`), `10.2.${round}.${i}`, async () => null, wrong),
        );
      t.clock.now += 2 * MINUTE;
    }
    const pools = (guard as unknown as { addressPools: Map<string, unknown> }).addressPools;
    expect(pools.size).toBeLessThanOrEqual(MAX_ADDRESSES);
    // The stale went first: the last round's addresses are all still counted.
    for (let i = 0; i < 90; i++) expect(pools.has(`staff 10.2.59.${i}`)).toBe(true);
  });
});
