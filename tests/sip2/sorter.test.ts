// A sorter's day at the book drop: 200 check-ins over SIP2, a quarter trapping holds here, a
// quarter trapping holds for another branch, a quarter belonging at another branch, a quarter
// going back to the shelf. The sorter routes by CL (sort bin), the alert flag, CV (alert type)
// and CT (destination): each answer is checked against what the station itself decided.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patronCard } from '../support/station';
import * as m from './client';
import { addTitle, sipStation, type SipStation } from './support';

let st: SipStation;
afterAll(async () => st?.close());

type Kind = 'hold_here' | 'hold_north' | 'home_north' | 'shelf';
const KINDS: Kind[] = ['hold_here', 'hold_north', 'home_north', 'shelf'];

describe("SIP2: a sorter's day", () => {
  const copies: { barcode: string; kind: Kind; borrower: string }[] = [];

  beforeAll(async () => {
    st = await sipStation({ allowed: ['checkin', 'status_before_login'] });
    const { t } = st;
    const north = t.s.admin.saveBranch({ code: 'NORTH', name: 'North Branch', timeZone: 'America/New_York' }, t.staff);
    // Copies that belong to North go home when returned here.
    t.s.admin.saveBranchItemPolicy({ branchId: t.branchId, itemTypeCode: '*', returnPolicy: 'home_branch' }, t.staff);
    // One patron waiting per hold (a patron's holds at once are limited).
    const waitingFor = (i: number) =>
      t.s.patrons.register(
        { cardBarcode: patronCard(100 + i), firstName: 'Wai', lastName: `Ting ${i}`, categoryCode: 'ADULT' },
        t.staff,
      ).patron;
    for (let i = 0; i < 200; i++) {
      const kind = KINDS[i % 4] as Kind;
      const { barcodes, recordId } = addTitle(t, `Title ${i}`, 1, 1000 + i);
      const barcode = barcodes[0]!;
      if (kind === 'home_north') {
        const item = t.s.circulation.lookups.itemByBarcode(barcode)!;
        t.s.catalogue.updateItem(item.id, { homeBranchId: north.id }, t.staff);
      }
      // Each copy with a borrower of its own (loans at once are limited too).
      const borrower = t.s.patrons.register(
        { cardBarcode: patronCard(500 + i), firstName: 'Bo', lastName: `Rower ${i}`, categoryCode: 'ADULT' },
        t.staff,
      ).patron;
      t.s.circulation.checkout({ patronBarcode: borrower.cardBarcode, itemBarcode: barcode }, t.staff);
      if (kind === 'hold_here') t.s.holds.place({ patronId: waitingFor(i).id, recordId }, t.staff);
      if (kind === 'hold_north')
        t.s.holds.place({ patronId: waitingFor(i).id, recordId, pickupBranchId: north.id }, t.staff);
      copies.push({ barcode, kind, borrower: borrower.cardBarcode });
    }
  }, 120_000);

  it('routes every one of 200 check-ins by CL, the alert, CV and CT', async () => {
    const c = await st.client();
    const bins = new Map<string, number>();
    for (const { barcode, kind, borrower } of copies) {
      const r = await c.send(m.checkin('MAIN', barcode, m.BLANK_DATE), { checksum: true });
      expect(r.code).toBe('10');
      expect(r.fixed.ok).toBe('1');
      expect(r.get('AB')).toBe(barcode);
      expect(r.get('AA')).toBe(borrower);
      bins.set(r.get('CL')!, (bins.get(r.get('CL')!) ?? 0) + 1);
      const status = st.t.s.circulation.lookups.itemByBarcode(barcode)!.status;
      switch (kind) {
        case 'hold_here':
          expect([r.get('CL'), r.fixed.alert, r.get('CV'), r.all.has('CT')]).toEqual(['HOLD', 'Y', '01', false]);
          expect(status).toBe('on_hold_shelf');
          break;
        case 'hold_north':
          expect([r.get('CL'), r.fixed.alert, r.get('CV'), r.get('CT')]).toEqual(['NORTH', 'Y', '02', 'NORTH']);
          expect(status).toBe('in_transit');
          break;
        case 'home_north':
          expect([r.get('CL'), r.fixed.alert, r.get('CV'), r.get('CT')]).toEqual(['NORTH', 'Y', '04', 'NORTH']);
          expect(r.get('AQ')).toBe('NORTH');
          expect(status).toBe('in_transit');
          break;
        case 'shelf':
          expect([r.get('CL'), r.fixed.alert, r.all.has('CV')]).toEqual(['SHELF', 'N', false]);
          expect(status).toBe('available');
          break;
      }
    }
    expect(Object.fromEntries(bins)).toEqual({ HOLD: 50, NORTH: 100, SHELF: 50 });
    // One journal entry per check-in, each the SIP account's.
    const n = (
      st.t.s.store.db
        .prepare(
          'SELECT count(*) AS n FROM journal WHERE command = \'circulation.checkin\' AND payload LIKE \'%"kind":"sip"%\'',
        )
        .get() as { n: number }
    ).n;
    expect(n).toBe(200);
  }, 120_000);
});
