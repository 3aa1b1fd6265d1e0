// Every SIP2 message a self-check, sorter or gate sends, over real TCP to a real station, with
// the refusals and the details real clients rely on (issue #14, and the SIP2 half of #18).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemBarcode, journalCount, patronCard } from '../support/station';
import * as m from './client';
import { SipClient, sipChecksum } from './client';
import { addTitle, patronWithPin, SELF_CHECK, sipStation, type SipStation } from './support';

let st: SipStation;
afterEach(async () => st?.close());

const AO = 'MAIN';
const card1 = patronCard(1);
const card2 = patronCard(2);
const unknownCard = patronCard(99);
const DATE18 = /^\d{8} {4}\d{6}$/;

function lastEntry(s: SipStation) {
  const row = s.t.s.store.db
    .prepare('SELECT staff_id AS staffId, command, payload FROM journal ORDER BY seq DESC LIMIT 1')
    .get() as { staffId: string | null; command: string; payload: string };
  return { ...row, payload: JSON.parse(row.payload) as { actor?: { kind: string; sipAccountId: string } } };
}

describe('SIP2: login and status', () => {
  beforeEach(async () => {
    st = await sipStation();
  });

  it('answers 99 before a login where the account allows it, and the institution is the branch code', async () => {
    const c = await SipClient.open(st.port);
    const r = await c.send(m.scStatus());
    expect(r.code).toBe('98');
    expect(r.fixed.online).toBe('Y');
    expect(r.get('AO')).toBe('MAIN');
    expect(r.fixed.version).toBe('2.00');
    expect(r.fixed.date).toMatch(DATE18);
    c.close();
  });

  it('keeps the connection open after a failed login (940) and takes a second try', async () => {
    const c = await SipClient.open(st.port);
    expect((await c.send(m.login(SELF_CHECK.login, 'wrong-password'))).raw).toBe('940\r');
    expect((await c.send(m.login('nobody', 'whatever'))).raw).toBe('940\r');
    expect(c.closed).toBe(false);
    expect((await c.send(m.login(SELF_CHECK.login, SELF_CHECK.password))).raw).toBe('941\r');
    c.close();
  });

  it('refuses everything but 93 and 99 before a login, saying so', async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Before Login', 1, 1);
    const c = await SipClient.open(st.port);
    const before = journalCount(st.t);
    const r = await c.send(m.checkout(AO, card1, barcodes[0]!));
    expect(r.code).toBe('12');
    expect(r.fixed.ok).toBe('0');
    expect(r.get('AF')).toBe('This self-check has not logged in.');
    expect(journalCount(st.t)).toBe(before);
    c.close();
  });

  it('tells a client that has not logged in, or an account refused the message, nothing of cards or copies', async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Secret Title', 1, 1);
    const c = await SipClient.open(st.port);
    // Before a login: a card the library has and one it has not get the same answer, and no title.
    const known = await c.send(m.checkout(AO, card1, barcodes[0]!));
    const unknown = await c.send(m.checkout(AO, unknownCard, barcodes[0]!));
    expect(known.get('BL')).toBe('N');
    expect(unknown.get('BL')).toBe('N');
    expect(known.get('AJ') ?? '').toBe('');
    expect(known.raw.replace(card1, '')).toBe(unknown.raw.replace(unknownCard, ''));
    expect((await c.send(m.renew(AO, card1, barcodes[0]!))).get('AJ') ?? '').toBe('');
    c.close();
    // A sorter's account (check-in only) asking to check out learns nothing either.
    await st.close();
    st = await sipStation({ allowed: ['checkin'] });
    patronWithPin(st.t, 1);
    const copy = addTitle(st.t, 'Secret Title', 1, 1).barcodes[0]!;
    const sorter = await st.client();
    const refused = await sorter.send(m.checkout(AO, card1, copy));
    expect(refused.fixed.ok).toBe('0');
    expect(refused.get('BL')).toBe('N');
    expect(refused.get('AJ') ?? '').toBe('');
    expect(refused.get('AF')).toBe('This self-check may not do that. Please see the desk.');
  });

  it('says honestly which messages an account may use (BX) and whether it may check in and out', async () => {
    await st.close();
    st = await sipStation({ allowed: ['checkin'] });
    const c = await st.client();
    const r = await c.send(m.scStatus());
    // 23 11 09 01 99 97 93 63 35 37 17 19 25 15 29 65
    expect(r.get('BX')).toBe('NNYNYYYNYNYNNNNN');
    expect(r.fixed).toMatchObject({ checkinOk: 'Y', checkoutOk: 'N', renewalPolicy: 'N' });
    // And a check-out from it is refused, not run.
    const out = await c.send(m.checkout(AO, card1, itemBarcode(1)));
    expect(out.fixed.ok).toBe('0');
    expect(out.get('AF')).toBe('This self-check may not do that. Please see the desk.');
  });

  it('a removed account is logged out at its next request; a change of what it may do applies at once', async () => {
    // Another account keeps the port open (with none left, the station closes it).
    st.t.s.sip2.save(
      { login: 'sorter1', password: 'sorter-pass', branchId: st.t.branchId, allowed: ['checkin'] },
      st.t.staff,
    );
    const c = await st.client();
    const id = st.t.s.sip2.byLogin(SELF_CHECK.login)!.id;
    st.t.s.sip2.save({ id, login: SELF_CHECK.login, branchId: st.t.branchId, allowed: ['checkin'] }, st.t.staff);
    expect((await c.send(m.scStatus())).fixed.checkoutOk).toBe('N');
    st.t.s.sip2.remove(id, st.t.staff);
    const r = await c.send(m.checkin(AO, itemBarcode(1)));
    expect(r.fixed.ok).toBe('0');
    expect(r.get('AF')).toBe('This self-check has not logged in.');
    expect((await c.send(m.login(SELF_CHECK.login, SELF_CHECK.password))).raw).toBe('940\r');
  });

  it('counts wrong logins and PINs per self-check address: one that guesses is refused, another logs in and checks PINs', async () => {
    patronWithPin(st.t, 1);
    const guesser = await SipClient.open(st.port, '127.0.0.1', '127.0.0.2');
    for (let i = 0; i < 20; i++) expect((await guesser.send(m.login(`ghost${i}`, 'password1'))).raw).toBe('940\r');
    // Refused now even with the right password.
    expect((await guesser.send(m.login(SELF_CHECK.login, SELF_CHECK.password))).raw).toBe('940\r');
    const other = await SipClient.open(st.port, '127.0.0.1', '127.0.0.3');
    expect((await other.send(m.login(SELF_CHECK.login, SELF_CHECK.password))).raw).toBe('941\r');
    // Patron PINs: twenty wrong from a logged-in self-check at one address (unknown cards, no card locks).
    const pinGuesser = await SipClient.open(st.port, '127.0.0.1', '127.0.0.4');
    expect((await pinGuesser.send(m.login(SELF_CHECK.login, SELF_CHECK.password))).raw).toBe('941\r');
    for (let i = 0; i < 20; i++)
      expect((await pinGuesser.send(m.patronStatus(AO, patronCard(500 + i), '0000'))).get('CQ')).toBe('N');
    const refused = await pinGuesser.send(m.patronStatus(AO, card1, '1234'));
    expect(refused.get('CQ')).toBe('N');
    expect(refused.get('AF')).toBe('Too many wrong PINs here. Please wait a minute, or ask at the desk.');
    expect((await other.send(m.patronStatus(AO, card1, '1234'))).get('CQ')).toBe('Y');
    for (const c of [guesser, other, pinGuesser]) c.close();
  });

  it('ends a session with 36', async () => {
    const c = await st.client();
    const r = await c.send(m.endSession(AO, card1));
    expect(r.code).toBe('36');
    expect(r.fixed.endSession).toBe('Y');
  });
});

describe('SIP2: patrons', () => {
  beforeEach(async () => {
    st = await sipStation();
  });

  it('24 carries BL, CQ when AD was sent, and AE as "First Last"; empty AE for an unknown card', async () => {
    patronWithPin(st.t, 1, { firstName: 'María', lastName: 'García' });
    const c = await st.client();
    const good = await c.send(m.patronStatus(AO, card1, '1234'));
    expect(good.code).toBe('24');
    expect(good.get('AE')).toBe('María García');
    expect(good.get('BL')).toBe('Y');
    expect(good.get('CQ')).toBe('Y');
    expect(good.fixed.patronStatus).toBe(' '.repeat(14));
    const wrong = await c.send(m.patronStatus(AO, card1, '9999'));
    expect(wrong.get('CQ')).toBe('N');
    expect(wrong.get('AF')).toBe('That card and PIN do not match.');
    const noPin = await c.send(m.patronStatus(AO, card1));
    expect(noPin.all.has('CQ')).toBe(false);
    const unknown = await c.send(m.patronStatus(AO, unknownCard, '1234'));
    expect(unknown.get('BL')).toBe('N');
    expect(unknown.all.get('AE')).toEqual(['']);
    expect(unknown.get('CQ')).toBe('N');
    // The reply is UTF-8: María's accent arrives whole.
    expect(good.raw).toContain('AEMaría García|');
  });

  it('locks a card after five wrong PINs, as the kiosk does, and the kiosk then refuses it too', async () => {
    patronWithPin(st.t, 1);
    const c = await st.client();
    for (let i = 0; i < 5; i++) expect((await c.send(m.patronStatus(AO, card1, '0000'))).get('CQ')).toBe('N');
    const right = await c.send(m.patronStatus(AO, card1, '1234'));
    expect(right.get('CQ')).toBe('N');
    expect(right.get('AF')).toMatch(/^This card is locked after too many wrong PINs/);
    await expect(st.t.s.auth.kioskSignIn(card1, '1234')).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('63 gives the six counts (holds first), the asked list from BP to BQ, and BD BE BF', async () => {
    const p = st.t.s.patrons.register(
      {
        cardBarcode: card1,
        firstName: 'Ann',
        lastName: 'Lee',
        categoryCode: 'ADULT',
        email: 'ann@example.org',
        phone: '555-0100',
        address: '1 Main St\nSpringfield',
        pin: '1234',
      },
      st.t.staff,
    ).patron;
    const titles = [addTitle(st.t, 'One', 1, 1), addTitle(st.t, 'Two', 1, 2), addTitle(st.t, 'Three', 1, 3)];
    for (const { barcodes } of titles)
      st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: barcodes[0]! }, st.t.staff);
    const held = addTitle(st.t, 'Held', 1, 10);
    st.t.s.holds.place({ patronId: p.id, recordId: held.recordId }, st.t.staff);
    st.t.s.fees.charge({ patronId: p.id, kind: 'manual', amount: 150, description: 'lost card' }, st.t.staff);
    const c = await st.client();
    const r = await c.send(m.patronInformation(AO, card1, '  Y       ', 'BP2|BQ3|AD1234|'));
    expect(r.code).toBe('64');
    expect(r.fixed).toMatchObject({
      holdCount: '0000',
      overdueCount: '0000',
      chargedCount: '0003',
      fineCount: '0001',
      recallCount: '0000',
      unavailableHoldsCount: '0001',
    });
    // Charged items 2 to 3 of the three, in due-date order.
    expect(r.all.get('AU')).toHaveLength(2);
    expect(r.all.has('AT')).toBe(false);
    expect(r.get('BD')).toBe('1 Main St, Springfield');
    expect(r.get('BE')).toBe('ann@example.org');
    expect(r.get('BF')).toBe('555-0100');
    expect(r.get('BV')).toBe('1.50');
    expect(r.get('CQ')).toBe('Y');
    const fines = await c.send(m.patronInformation(AO, card1, '   Y      '));
    expect(fines.all.get('AV')).toEqual(['1.50 lost card']);
    const unavailable = await c.send(m.patronInformation(AO, card1, '     Y    '));
    expect(unavailable.all.get('CD')).toEqual(['Held']);
    const unknown = await c.send(m.patronInformation(AO, unknownCard));
    expect(unknown.get('BL')).toBe('N');
    expect(unknown.all.get('AE')).toEqual(['']);
  });

  it('01 blocks the card through the desk service, and the self-check then refuses a check-out', async () => {
    const p = patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Blocked', 1, 1);
    const c = await st.client();
    const r = await c.send(m.blockPatron(AO, card1, 'card left in machine'));
    expect(r.code).toBe('24');
    expect(r.fixed.patronStatus!.slice(0, 4)).toBe('YYYY');
    expect(st.t.s.patrons.summary(p.id).blocks).toHaveLength(1);
    expect(lastEntry(st)).toMatchObject({
      command: 'patrons.addBlock',
      staffId: null,
      payload: { actor: { kind: 'sip' } },
    });
    const out = await c.send(m.checkout(AO, card1, barcodes[0]!));
    expect(out.fixed.ok).toBe('0');
    expect(out.get('AF')).toMatch(/blocked/i);
  });

  it('25 answers the status and leaves the block for the desk', async () => {
    const p = patronWithPin(st.t, 1);
    st.t.s.patrons.addBlock(p.id, { kind: 'manual', reason: 'talk to us' }, st.t.staff);
    const c = await st.client();
    const r = await c.send(m.patronEnable(AO, card1));
    expect(r.code).toBe('26');
    expect(r.fixed.patronStatus![0]).toBe('Y');
    expect(r.all.get('AF')).toContain('A block is lifted only at the desk.');
    expect(st.t.s.patrons.summary(p.id).blocks).toHaveLength(1);
  });
});

describe('SIP2: check-out, renewal, check-in', () => {
  beforeEach(async () => {
    st = await sipStation();
  });

  it("12 carries AA AB AJ AH (18 characters) and BL; the entry is the SIP account's, signed by the station", async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Cien años de soledad', 1, 1);
    const c = await st.client();
    // No PIN (a self-check that checked it with 63 does not resend it), and AC is ignored.
    const r = await c.send(m.checkout(AO, card1, barcodes[0]!, 'ACnot-the-password|'));
    expect(r.code).toBe('12');
    expect(r.fixed.ok).toBe('1');
    expect(r.get('AA')).toBe(card1);
    expect(r.get('AB')).toBe(barcodes[0]);
    expect(r.get('AJ')).toBe('Cien años de soledad');
    expect(r.get('AH')).toBe('20261130    235959');
    expect(r.get('BL')).toBe('Y');
    expect(r.raw.endsWith('|\r')).toBe(true);
    const entry = lastEntry(st);
    expect(entry).toMatchObject({
      command: 'circulation.checkout',
      staffId: null,
      payload: { actor: { kind: 'sip', sipAccountId: st.t.s.sip2.byLogin(SELF_CHECK.login)!.id } },
    });
    const audit = st.t.s.store.db.prepare('SELECT summary FROM audit ORDER BY seq DESC LIMIT 1').get() as {
      summary: string;
    };
    expect(audit.summary).toContain(`SIP2 ${SELF_CHECK.login}`);
  });

  it("refuses with the desk's rules: AH empty, the title still in AJ for an unknown patron, BL N, AF says why", async () => {
    patronWithPin(st.t, 1);
    patronWithPin(st.t, 2);
    const { barcodes } = addTitle(st.t, 'Taken', 1, 1);
    const c = await st.client();
    const before = journalCount(st.t);
    const unknown = await c.send(m.checkout(AO, unknownCard, barcodes[0]!));
    expect(unknown.fixed.ok).toBe('0');
    expect(unknown.get('AJ')).toBe('Taken');
    expect(unknown.all.get('AH')).toEqual(['']);
    expect(unknown.get('BL')).toBe('N');
    expect(unknown.get('AF')).toBe('No patron has this card.');
    expect(journalCount(st.t)).toBe(before);
    st.t.s.circulation.checkout({ patronBarcode: card2, itemBarcode: barcodes[0]! }, st.t.staff);
    const other = await c.send(m.checkout(AO, card1, barcodes[0]!));
    expect(other.fixed.ok).toBe('0');
    expect(other.get('AF')).toBe('This item is on loan to another patron. Check it in first.');
    expect(other.get('BL')).toBe('Y');
  });

  it("says the refusal in the patron's language (the language the self-check last sent)", async () => {
    patronWithPin(st.t, 1);
    const c = await st.client();
    await c.send(m.patronStatus(AO, card1, '1234', '008'));
    const r = await c.send(m.checkout(AO, card1, itemBarcode(77)));
    expect(r.fixed.ok).toBe('0');
    expect(r.get('AF')).toBe('Ningún ejemplar tiene este código.');
  });

  it('checks the PIN when AD is sent, and asks for one when the account requires it', async () => {
    await st.close();
    st = await sipStation({ requirePin: true });
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Pinned', 1, 1);
    const c = await st.client();
    const none = await c.send(m.checkout(AO, card1, barcodes[0]!));
    expect(none.fixed.ok).toBe('0');
    expect(none.get('AF')).toBe('Please enter your PIN.');
    const wrong = await c.send(m.checkout(AO, card1, barcodes[0]!, 'AD0000|'));
    expect(wrong.fixed.ok).toBe('0');
    expect(wrong.get('AF')).toBe('That card and PIN do not match.');
    expect(wrong.get('CQ')).toBe('N');
    const right = await c.send(m.checkout(AO, card1, barcodes[0]!, 'AD1234|'));
    expect(right.fixed.ok).toBe('1');
    expect(right.get('CQ')).toBe('Y');
  });

  it("29 renews the patron's own loan only, and says why when it cannot", async () => {
    patronWithPin(st.t, 1);
    patronWithPin(st.t, 2);
    const { barcodes } = addTitle(st.t, 'Renew Me', 2, 1);
    st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: barcodes[0]! }, st.t.staff);
    st.t.s.circulation.checkout({ patronBarcode: card2, itemBarcode: barcodes[1]! }, st.t.staff);
    st.t.advanceDays(10);
    const c = await st.client();
    const r = await c.send(m.renew(AO, card1, barcodes[0]!));
    expect(r.code).toBe('30');
    expect(r.fixed.ok).toBe('1');
    expect(r.get('AH')).toMatch(DATE18);
    // 14 days from the old due date (30 November).
    expect(r.get('AH')).toBe('20261214    235959');
    // Not this card's loan.
    const notMine = await c.send(m.renew(AO, card1, barcodes[1]!));
    expect(notMine.fixed.ok).toBe('0');
    // One renewal allowed: the second is refused with the reason.
    const again = await c.send(m.renew(AO, card1, barcodes[0]!));
    expect(again.fixed.ok).toBe('0');
    expect(again.get('AF')).toBe('This item cannot be renewed again. Please return it by its due date.');
    expect(again.all.get('AH')).toEqual(['']);
  });

  it('65 renews all, listing the renewed (BM) and the refused (BN)', async () => {
    patronWithPin(st.t, 1);
    const a = addTitle(st.t, 'A', 1, 1);
    const b = addTitle(st.t, 'B', 1, 2);
    st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: a.barcodes[0]! }, st.t.staff);
    st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: b.barcodes[0]! }, st.t.staff);
    st.t.s.circulation.renew({ itemBarcode: b.barcodes[0]! }, st.t.staff);
    const c = await st.client();
    const r = await c.send(m.renewAll(AO, card1));
    expect(r.code).toBe('66');
    expect(r.fixed).toMatchObject({ ok: '1', renewedCount: '0001', unrenewedCount: '0001' });
    expect(r.all.get('BM')).toEqual([a.barcodes[0]]);
    expect(r.all.get('BN')).toEqual([b.barcodes[0]]);
  });

  it("10 carries the borrower's card (AA) and AQ; an AP that is not a branch code is ignored; a late return is fined", async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Back Again', 1, 1);
    st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: barcodes[0]! }, st.t.staff);
    st.t.advanceDays(16);
    const c = await st.client();
    const r = await c.send(`09N${m.SIP_NOW}${m.BLANK_DATE}APBOOKDROP-3|AO${AO}|AB${barcodes[0]}|AC|`);
    expect(r.code).toBe('10');
    expect(r.fixed.ok).toBe('1');
    expect(r.get('AA')).toBe(card1);
    expect(r.get('AQ')).toBe('MAIN');
    expect(r.get('CL')).toBe('SHELF');
    expect(r.fixed.alert).toBe('N');
    expect(r.get('AF')).toBe('Returned late: a fine of 0.50 is charged.');
    // Not on loan now: ok=0 with a screen message.
    const again = await c.send(m.checkin(AO, barcodes[0]!, m.BLANK_DATE));
    expect(again.fixed.ok).toBe('0');
    expect(again.get('AF')).toBe('This item was not checked out.');
    expect(again.all.get('AA')).toEqual(['']);
  });

  it("a book drop's return date (an earlier day) is the check-in's backdate: no fine for the day it sat in the drop", async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Dropped', 1, 1);
    st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: barcodes[0]! }, st.t.staff);
    st.t.advanceDays(15); // due 2026-11-30, returned into the drop on the 30th, emptied on 1 December
    const c = await st.client();
    const r = await c.send(m.checkin(AO, barcodes[0]!, '20261130    200000'));
    expect(r.fixed.ok).toBe('1');
    expect(r.all.get('AF') ?? []).toEqual([]);
  });
});

describe('SIP2: items, holds, fees', () => {
  beforeEach(async () => {
    st = await sipStation();
  });

  it('17 gives the circulation status, the due date, the hold queue and the locations', async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Info', 2, 1);
    const c = await st.client();
    const shelf = await c.send(m.itemInformation(AO, barcodes[0]!));
    expect(shelf.code).toBe('18');
    expect(shelf.fixed.circulationStatus).toBe('03');
    expect(shelf).toMatchObject({});
    expect(shelf.get('AJ')).toBe('Info');
    expect(shelf.get('AQ')).toBe('MAIN');
    expect(shelf.all.has('AH')).toBe(false);
    st.t.s.circulation.checkout({ patronBarcode: card1, itemBarcode: barcodes[0]! }, st.t.staff);
    const lent = await c.send(m.itemInformation(AO, barcodes[0]!));
    expect(lent.fixed.circulationStatus).toBe('04');
    expect(lent.get('AH')).toBe('20261130    235959');
    const unknown = await c.send(m.itemInformation(AO, itemBarcode(999)));
    expect(unknown.get('AF')).toBe('No item has this barcode.');
  });

  it('19 is answered: Circa keeps no item properties', async () => {
    const { barcodes } = addTitle(st.t, 'Props', 1, 1);
    const c = await st.client();
    const r = await c.send(m.itemStatusUpdate(AO, barcodes[0]!));
    expect(r.code).toBe('20');
    expect(r.fixed.itemPropertiesOk).toBe('0');
  });

  it("15 places a title-level hold by a copy's barcode, echoes BS, gives BR; cancelling one that does not exist gets ok=0", async () => {
    const p1 = patronWithPin(st.t, 1);
    patronWithPin(st.t, 2);
    patronWithPin(st.t, 3);
    const { barcodes, recordId } = addTitle(st.t, 'Popular', 2, 1);
    st.t.s.circulation.checkout({ patronBarcode: patronCard(3), itemBarcode: barcodes[0]! }, st.t.staff);
    st.t.s.circulation.checkout({ patronBarcode: patronCard(3), itemBarcode: barcodes[1]! }, st.t.staff);
    const c = await st.client();
    const first = await c.send(m.hold('+', AO, card1, barcodes[1]!, 'BSMAIN|'));
    expect(first.code).toBe('16');
    expect(first.fixed.ok).toBe('1');
    expect(first.get('BS')).toBe('MAIN');
    expect(first.get('BR')).toBe('1');
    const second = await c.send(m.hold('+', AO, card2, barcodes[0]!, 'BSMAIN|'));
    expect(second.get('BR')).toBe('2');
    const holds = st.t.s.holds.queue(recordId);
    expect(holds.map((h) => [h.patronId, h.itemLevel, h.itemId])).toEqual([
      [p1.id, false, null],
      [expect.any(String), false, null],
    ]);
    const twice = await c.send(m.hold('+', AO, card1, barcodes[0]!, 'BSMAIN|'));
    expect(twice.fixed.ok).toBe('0');
    expect(twice.get('AF')).toBe('The patron already has a hold on this title.');
    const cancel = await c.send(m.hold('-', AO, card1, barcodes[0]!));
    expect(cancel.fixed.ok).toBe('1');
    const none = await c.send(m.hold('-', AO, card1, barcodes[0]!));
    expect(none.fixed.ok).toBe('0');
    expect(none.get('AF')).toBe('There is no hold on this title for this card.');
    const badPickup = await c.send(m.hold('+', AO, card1, barcodes[0]!, 'BSNOWHERE|'));
    expect(badPickup.fixed.ok).toBe('0');
    expect(badPickup.get('BS')).toBe('NOWHERE');
  });

  it('37 takes a payment through the fee service; nothing owed, a wrong currency or a bad amount is refused', async () => {
    const p = patronWithPin(st.t, 1);
    patronWithPin(st.t, 2);
    const fee = st.t.s.fees.charge({ patronId: p.id, kind: 'manual', amount: 500, description: 'damage' }, st.t.staff);
    const c = await st.client();
    const r = await c.send(m.feePaid(AO, card1, '2.00', `CG${fee.id}|BKtx-1|`));
    expect(r.code).toBe('38');
    expect(r.fixed.paymentAccepted).toBe('Y');
    expect(r.get('BK')).toBe('tx-1');
    expect(st.t.s.fees.list(p.id)[0]!.outstanding).toBe(300);
    expect(lastEntry(st)).toMatchObject({ command: 'fees.pay', payload: { actor: { kind: 'sip' } } });
    expect((await c.send(m.feePaid(AO, card2, '1.00'))).fixed.paymentAccepted).toBe('N');
    expect((await c.send(m.feePaid(AO, card1, '1.00', '', 'EUR'))).get('AF')).toBe('Payments are taken in USD only.');
    expect((await c.send(m.feePaid(AO, card1, 'lots'))).fixed.paymentAccepted).toBe('N');
    expect(st.t.s.fees.list(p.id)[0]!.outstanding).toBe(300);
  });

  it('an account not allowed fees is refused a payment', async () => {
    await st.close();
    st = await sipStation({ allowed: ['checkout', 'checkin'] });
    const p = patronWithPin(st.t, 1);
    st.t.s.fees.charge({ patronId: p.id, kind: 'manual', amount: 500, description: 'damage' }, st.t.staff);
    const c = await st.client();
    const r = await c.send(m.feePaid(AO, card1, '5.00'));
    expect(r.fixed.paymentAccepted).toBe('N');
    expect(st.t.s.fees.list(p.id)[0]!.outstanding).toBe(500);
  });
});

describe('SIP2: error detection, resend, line ends', () => {
  beforeEach(async () => {
    st = await sipStation();
  });

  it('verifies AY/AZ when sent and echoes AY; answers without them when not sent', async () => {
    const c = await st.client();
    const plain = await c.send(m.scStatus());
    expect(plain.raw).not.toMatch(/AZ[0-9A-F]{4}\r$/);
    const checked = await c.send(m.scStatus(), { checksum: true });
    expect(checked.raw).toMatch(/\|AY0AZ[0-9A-F]{4}\r$/);
    const body = checked.raw.slice(0, -5);
    expect(checked.raw.slice(-5, -1)).toBe(sipChecksum(body));
  });

  it('answers a bad checksum with 96, and 97 with the last response again', async () => {
    patronWithPin(st.t, 1);
    const c = await st.client();
    const status = await c.send(m.patronStatus(AO, card1), { checksum: true });
    c.write(`${m.scStatus()}AY5AZ0000\r`);
    expect(await c.next()).toBe('96AZFEF6\r');
    expect((await c.send('97AZFEF5')).raw).toBe(status.raw);
  });

  it('a repeated sequence number gets the last response again, without running the command twice', async () => {
    patronWithPin(st.t, 1);
    const { barcodes } = addTitle(st.t, 'Once', 1, 1);
    const c = await st.client();
    const text = `${m.checkout(AO, card1, barcodes[0]!)}AY7AZ`;
    const framed = text + sipChecksum(text) + '\r';
    c.write(framed);
    const first = await c.next();
    const before = journalCount(st.t);
    c.write(framed);
    expect(await c.next()).toBe(first);
    expect(journalCount(st.t)).toBe(before);
  });

  it('always sends error detection when the account says so', async () => {
    await st.close();
    st = await sipStation({ errorDetection: true });
    const c = await st.client();
    const r = await c.send(m.scStatus());
    expect(r.raw).toMatch(/AZ[0-9A-F]{4}\r$/);
  });

  it('accepts CR LF, a stray LF and space-padded numbers, and answers each with a lone CR', async () => {
    const c = await SipClient.open(st.port);
    expect((await c.send(m.login(SELF_CHECK.login, SELF_CHECK.password), { end: '\r\n' })).raw).toBe('941\r');
    c.write('\n');
    const r = await c.send('990 802.00', { end: '\r\n' });
    expect(r.code).toBe('98');
    expect(r.raw.endsWith('\r')).toBe(true);
    expect(r.raw).not.toContain('\n');
    c.write(`\n${m.endSession(AO, card1)}\n`);
    expect((await c.next()).startsWith('36Y')).toBe(true);
    c.close();
  });
});

describe('SIP2: what every reply is made of', () => {
  beforeEach(async () => {
    st = await sipStation();
  });

  it("replies are UTF-8 bytes ending in a lone CR, dated in the branch's local time with four blanks for the zone", async () => {
    patronWithPin(st.t, 1, { firstName: 'Íñigo', lastName: 'Muñoz' });
    const { barcodes } = addTitle(st.t, 'Cien años de soledad', 1, 1);
    const c = await st.client();
    const bytes: Buffer[] = [];
    // What came off the wire, read as UTF-8 and written back as bytes: a reply in another
    // encoding (Latin-1's single byte for ñ) would not come through this whole.
    c.socket.prependListener('data', (chunk: Buffer | string) =>
      bytes.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8')),
    );
    const out = await c.send(m.checkout(AO, card1, barcodes[0]!));
    expect(out.fixed.ok).toBe('1');
    // 15:00 UTC is 10:00 in New York (the test branch's zone) on 16 November.
    expect(out.fixed.date).toBe('20261116    100000');
    expect(out.get('AH')).toBe('20261130    235959');
    const raw = Buffer.concat(bytes);
    expect(raw.includes(Buffer.from('Cien años de soledad', 'utf8'))).toBe(true);
    expect(raw.at(-1)).toBe(0x0d);
    expect(raw.includes(0x0a)).toBe(false);
    // A second and a half later, the next reply says so (dates are never reused across seconds).
    st.t.clock.now += 1_500;
    const info = await c.send(m.patronInformation(AO, card1));
    expect(info.fixed.date).toBe('20261116    100001');
    expect(info.get('AE')).toBe('Íñigo Muñoz');
    const status = await c.send(m.patronStatus(AO, card1));
    expect(status.get('AE')).toBe('Íñigo Muñoz');
    expect(status.fixed.date).toMatch(DATE18);
    // In summer the same hour of UTC is an hour later in New York: the zone's rules, not a fixed offset.
    st.t.clock.now = Date.UTC(2027, 6, 1, 15, 0, 0);
    const summer = await c.send(m.itemInformation(AO, barcodes[0]!));
    expect(summer.fixed.date).toBe('20270701    110000');
  });
});
