// A patron's card and PIN on a real station file: renewing the card, replacing a lost one (the old
// barcode stops working at once), and setting a PIN (checked, never kept or journaled in clear).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/services/errors';
import {
  addPatron,
  addTitle,
  createTestStation,
  journalCount,
  patronCard,
  refusalCodes,
  type TestStation,
} from '../support/station';

let t: TestStation;
beforeEach(() => {
  t = createTestStation();
});
afterEach(() => t.close());

const errorCode = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError) return e.code;
    throw e;
  }
  throw new Error('expected an error');
};
const lastCommand = () =>
  (t.s.store.db.prepare('SELECT command FROM journal ORDER BY seq DESC LIMIT 1').get() as { command: string }).command;

describe('renewing a card', () => {
  it('extends a valid card from its expiry, an expired one from today, and lets the patron borrow again', () => {
    const ana = addPatron(t, 1);
    // Registered Monday 16 Nov 2026 as an adult: three years (1,095 days).
    expect(ana.cardExpiresOn).toBe('2029-11-15');
    const before = journalCount(t);
    expect(t.s.patrons.renewCard(ana.id, t.staff).patron.cardExpiresOn).toBe('2032-11-14');
    expect(journalCount(t)).toBe(before + 1);
    expect(lastCommand()).toBe('patrons.renewCard');

    // An expired card refuses a loan; renewed, it counts from today.
    t.s.patrons.update(ana.id, { cardExpiresOn: '2026-11-01' }, t.staff);
    const { barcodes } = addTitle(t, 'Kindred', 1, 1);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff),
      ),
    ).toEqual(['CARD_EXPIRED']);
    expect(t.s.patrons.renewCard(ana.id, t.staff).patron.cardExpiresOn).toBe('2029-11-15');
    expect(
      t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff).renewed,
    ).toBe(false);
    expect(errorCode(() => t.s.patrons.renewCard('no-such-patron', t.staff))).toBe('NOT_FOUND');
  });
});

describe('replacing a lost card', () => {
  it('moves the patron to the new barcode at once, lifts the lost-card block, and keeps loans and holds', () => {
    const ana = addPatron(t, 1, { firstName: 'Ana' });
    const ben = addPatron(t, 2);
    const { barcodes } = addTitle(t, 'Kindred', 2, 1);
    t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.patrons.addBlock(ana.id, { kind: 'lost_card', reason: 'reported lost' }, t.staff);
    t.s.patrons.addBlock(ana.id, { kind: 'manual', reason: 'ask for a new address' }, t.staff);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: ana.cardBarcode, itemBarcode: barcodes[1]! }, t.staff),
      ),
    ).toContain('CARD_LOST');

    // Another patron's card is refused, and changes nothing.
    const n = journalCount(t);
    expect(errorCode(() => t.s.patrons.replaceCard(ana.id, ben.cardBarcode, t.staff))).toBe('CONFLICT');
    expect(journalCount(t)).toBe(n);

    const newCard = patronCard(99);
    const replaced = t.s.patrons.replaceCard(ana.id, newCard, t.staff);
    expect(journalCount(t)).toBe(n + 1);
    expect(lastCommand()).toBe('patrons.replaceCard');
    expect(replaced.patron.cardBarcode).toBe(newCard);
    expect(replaced.blocks.map((b) => b.kind)).toEqual(['manual']);
    expect(replaced.loans.map((l) => l.itemBarcode)).toEqual([barcodes[0]]);

    // The old card no longer finds her, at the desk, at check-out, in search, or at the kiosk.
    expect(refusalCodes(() => t.s.patrons.lookup(patronCard(1)))).toEqual(['PATRON_NOT_FOUND']);
    expect(
      refusalCodes(() =>
        t.s.circulation.checkout({ patronBarcode: patronCard(1), itemBarcode: barcodes[1]! }, t.staff),
      ),
    ).toEqual(['PATRON_NOT_FOUND']);
    expect(t.s.patrons.search(patronCard(1))).toEqual([]);
    expect(t.s.patrons.search(newCard).map((p) => p.id)).toEqual([ana.id]);
    expect(t.s.patrons.lookup(newCard).patron.id).toBe(ana.id);
    // The new card is not lost: only the manual block (overridable) stands in her way now.
    expect(
      refusalCodes(() => t.s.circulation.checkout({ patronBarcode: newCard, itemBarcode: barcodes[1]! }, t.staff)),
    ).toEqual(['PATRON_BLOCKED']);
  });

  it('refuses a misread new barcode', () => {
    const ana = addPatron(t, 1);
    const bad = patronCard(99).slice(0, 13) + String((Number(patronCard(99).at(-1)) + 1) % 10);
    expect(refusalCodes(() => t.s.patrons.replaceCard(ana.id, bad, t.staff))).toEqual(['BARCODE_INVALID']);
    expect(t.s.patrons.lookup(patronCard(1)).patron.id).toBe(ana.id);
  });
});

describe('setting a PIN', () => {
  const PIN = '73915284';

  it('checks it at the kiosk, keeps only a salted hash, and never journals or audits it in clear', async () => {
    const ana = addPatron(t, 1);
    expect(await t.s.patrons.verifyPin(ana.cardBarcode, PIN)).toBeNull();
    const n = journalCount(t);
    t.s.patrons.setPin(ana.id, PIN, t.staff);
    expect(journalCount(t)).toBe(n + 1);

    expect((await t.s.patrons.verifyPin(ana.cardBarcode, PIN))?.id).toBe(ana.id);
    expect((await t.s.patrons.verifyPin(` ${ana.cardBarcode} `, PIN))?.id).toBe(ana.id);
    expect(await t.s.patrons.verifyPin(ana.cardBarcode, '73915285')).toBeNull();
    expect(await t.s.patrons.verifyPin(patronCard(42), PIN)).toBeNull();
    expect((await t.s.auth.kioskSignIn(ana.cardBarcode, PIN)).patronId).toBe(ana.id);

    const stored = (t.s.store.db.prepare('SELECT pin_hash AS h FROM patrons WHERE id = ?').get(ana.id) as { h: string })
      .h;
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain(PIN);
    // The same PIN set again gets a new salt.
    t.s.patrons.setPin(ana.id, PIN, t.staff);
    expect(
      (t.s.store.db.prepare('SELECT pin_hash AS h FROM patrons WHERE id = ?').get(ana.id) as { h: string }).h,
    ).not.toBe(stored);

    // Nowhere in clear: not in the journal (input or effects), not in the audit trail.
    const entries = t.s.store.db.prepare("SELECT payload FROM journal WHERE command = 'patrons.setPin'").all() as {
      payload: string;
    }[];
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      expect(e.payload).not.toContain(PIN);
      expect(JSON.parse(e.payload).input).toEqual({ patronId: ana.id });
      // Nor the hash: a reference to it, which travels to the hub beside the entry.
      expect(e.payload).not.toContain('scrypt');
      expect(JSON.parse(e.payload).effects[0].row.pinHash).toMatch(/^secret:[0-9a-f]{64}$/);
    }
    const audit = t.s.store.db.prepare('SELECT * FROM audit').all();
    expect(JSON.stringify(audit)).not.toContain(PIN);
    // The desk sees that a PIN is set, not the hash.
    const summary = t.s.patrons.summary(ana.id);
    expect(summary.patron.hasPin).toBe(true);
    expect(JSON.stringify(summary)).not.toContain('scrypt');
  });

  it("ends the patron's kiosk sessions when a new PIN is set", async () => {
    const ana = addPatron(t, 1);
    t.s.patrons.setPin(ana.id, '2468', t.staff);
    const { token } = await t.s.auth.kioskSignIn(ana.cardBarcode, '2468');
    expect(t.s.auth.session(token)).toMatchObject({ kind: 'kiosk', patronId: ana.id });
    t.s.patrons.setPin(ana.id, '1357', t.staff);
    expect(t.s.auth.session(token)).toBeNull();
  });

  it('refuses a PIN that is not 4 to 8 digits, and writes nothing', () => {
    const ana = addPatron(t, 1);
    const n = journalCount(t);
    for (const bad of ['123', '123456789', '12a4', '', ' 1234'])
      expect(
        errorCode(() => t.s.patrons.setPin(ana.id, bad, t.staff)),
        bad,
      ).toBe('INVALID');
    expect(journalCount(t)).toBe(n);
    expect(t.s.patrons.summary(ana.id).patron.hasPin).toBe(false);
  });
});
