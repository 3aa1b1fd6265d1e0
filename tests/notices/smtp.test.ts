// Notices to patrons against a real SMTP server (smtp-server on loopback) and a real station file:
// the messages read back (recipient, subject, the patron's language, dates in the branch zone);
// the server down, the notices queued, the station restarted, the server back: each sent once;
// letters for patrons without email rendered in Chromium, one a page, the address in the window.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTICE_SETTINGS, type NoticeSettings } from '../../src/domain/notices';
import { addPatron, addTitle, createTestStation, type TestStation } from '../support/station';
import { SMTP_PASSWORD, SMTP_USER, startSmtp, type TestSmtp } from './support';

const MINUTE = 60_000;
let t: TestStation | null = null;
let smtp: TestSmtp | null = null;
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  await smtp?.close();
  smtp = null;
  t?.close();
  t = null;
  for (const c of cleanups.splice(0)) await c();
});

function settingsFor(port: number, over: Partial<NoticeSettings> = {}): NoticeSettings {
  return {
    ...DEFAULT_NOTICE_SETTINGS,
    enabled: true,
    smtp: {
      host: '127.0.0.1',
      port,
      secure: false,
      user: SMTP_USER,
      from: 'Biblioteca Test <avisos@biblioteca.example>',
    },
    ...over,
  };
}

/** Three patrons: Ana (Spanish, email), Ben (English, email), Cy (no email: letters). Each borrows a book on Monday 16 Nov, due Monday 7 Dec (21-day loans). */
function library(station: TestStation) {
  const ana = station.s.patrons.update(
    addPatron(station, 1, { firstName: 'Ana', lastName: 'García' }).id,
    { email: 'ana@example.org', language: 'es' },
    station.staff,
  ).patron;
  const ben = station.s.patrons.update(
    addPatron(station, 2, { firstName: 'Ben', lastName: 'Okafor' }).id,
    { email: 'ben@example.org', language: 'en' },
    station.staff,
  ).patron;
  const cy = station.s.patrons.update(
    addPatron(station, 3, { firstName: 'Cy', lastName: 'Twombly' }).id,
    { address: '12 Elm Street\nSpringfield, IL 62701' },
    station.staff,
  ).patron;
  const { barcodes } = addTitle(station, 'Cien años de soledad', 3, 1);
  for (const [i, p] of [ana, ben, cy].entries())
    station.s.circulation.checkout({ patronBarcode: p.cardBarcode, itemBarcode: barcodes[i]! }, station.staff);
  return { ana, ben, cy };
}

const journalText = (station: TestStation) =>
  (station.s.store.db.prepare('SELECT payload FROM journal').pluck().all() as string[]).join('\n');
const statuses = (station: TestStation, patronId: string) =>
  station.s.notices.forPatron(patronId).map((n) => `${n.kind}:${n.channel}:${n.status}`);

describe('notices over a real SMTP server', () => {
  it('emails the courtesy notice in each patron language, once, and never writes the SMTP password anywhere but this station', async () => {
    t = createTestStation();
    const { ana, ben, cy } = library(t);
    smtp = await startSmtp();
    t.s.notices.saveSettings(settingsFor(smtp.port), t.staff, SMTP_PASSWORD);

    // Saturday 5 Dec: two open days before Monday's due date.
    t.clock.now = Date.parse('2026-12-05T15:00:00Z');
    const first = await t.s.notices.run();
    expect(first).toMatchObject({ skipped: null, created: 3, sent: 2, toPrint: 1, waiting: 0 });
    const byTo = Object.fromEntries(smtp.received.map((m) => [m.to[0], m]));
    expect(Object.keys(byTo).sort()).toEqual(['ana@example.org', 'ben@example.org']);
    expect(byTo['ana@example.org']!.subject).toBe('Biblioteca Test: vence pronto');
    expect(byTo['ana@example.org']!.body).toContain('Estimado/a Ana:');
    // The due date in Spanish, on the branch's calendar day (23:59 New York is already 8 Dec in UTC).
    expect(byTo['ana@example.org']!.body).toContain('"Cien años de soledad" debe devolverse el 7 de diciembre de 2026');
    expect(byTo['ana@example.org']!.contentLanguage).toBe('es');
    expect(byTo['ben@example.org']!.subject).toBe('Biblioteca Test: due soon');
    expect(byTo['ben@example.org']!.body).toContain('is due back on December 7, 2026');
    // The Message-ID names the notice.
    const [benNotice] = t.s.notices.forPatron(ben.id);
    expect(byTo['ben@example.org']!.messageId).toBe(`<notice-${benNotice!.id}@biblioteca.example>`);

    // Again the same day, and after a restart: nothing is sent twice.
    expect(await t.s.notices.run()).toMatchObject({ created: 0, sent: 0 });
    t = t.reopen();
    expect(await t.s.notices.run()).toMatchObject({ created: 0, sent: 0 });
    expect(smtp.received).toHaveLength(2);

    // Recorded on each patron; Cy's is a letter waiting to be printed.
    expect(statuses(t, ana.id)).toEqual(['courtesy:email:sent']);
    expect(statuses(t, cy.id)).toEqual(['courtesy:print:queued']);
    expect(t.s.notices.forPatron(ana.id)[0]!.sentAt).toBe(Date.parse('2026-12-05T15:00:00Z'));

    // The password: on this station's state only, never in the journal, the settings row or an answer.
    const db = t.s.store.db;
    expect(journalText(t)).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(db.prepare('SELECT * FROM settings').all())).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(t.s.notices.view())).not.toContain(SMTP_PASSWORD);
    expect(t.s.notices.view().smtpPasswordSet).toBe(true);
    // The hub hears of each notice made and sent.
    expect(
      db.prepare("SELECT count(*) FROM journal WHERE command = 'notices.record'").pluck().get(),
    ).toBeGreaterThanOrEqual(3);
  });

  it('queues overdue notices while the server is down, keeps them over a restart, and sends each exactly once when it returns', async () => {
    t = createTestStation();
    const { ana, ben, cy } = library(t);
    smtp = await startSmtp();
    const port = smtp.port;
    t.s.notices.saveSettings(settingsFor(port, { courtesyDaysBefore: null }), t.staff, SMTP_PASSWORD);
    await smtp.close();
    smtp = null;

    // Tuesday 8 Dec: one open day late. The server is down.
    t.clock.now = Date.parse('2026-12-08T15:00:00Z');
    const down = await t.s.notices.run();
    expect(down).toMatchObject({ created: 3, sent: 0, waiting: 2, toPrint: 1 });
    expect(down.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(statuses(t, ana.id)).toEqual(['overdue:email:queued']);

    // The station restarts while the mail waits; the pass runs again, still no server.
    t = t.reopen();
    t.clock.now += 30_000;
    expect(await t.s.notices.run()).toMatchObject({ created: 0, sent: 0, waiting: 2 });

    // The server comes back on its port; after the back-off the notices go, once each.
    smtp = await startSmtp({ port });
    t.clock.now += 10 * MINUTE;
    const back = await t.s.notices.run();
    expect(back).toMatchObject({ created: 0, sent: 2, waiting: 0 });
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['ana@example.org', 'ben@example.org']);
    const ana1 = smtp.received.find((m) => m.to[0] === 'ana@example.org')!;
    expect(ana1.subject).toBe('Biblioteca Test: préstamo vencido');
    expect(ana1.body).toContain('lleva 1 días de retraso');
    t.clock.now += 10 * MINUTE;
    expect(await t.s.notices.run()).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(2);
    expect(statuses(t, ben.id)).toEqual(['overdue:email:sent']);

    // A week of open days later: the second notice, once; the book Ben brings back gets none.
    t.s.circulation.checkin(
      {
        itemBarcode: t.s.store.db
          .prepare(
            'SELECT i.barcode FROM loans l JOIN items i ON i.id = l.item_id WHERE l.patron_id = ? AND l.returned_at IS NULL',
          )
          .pluck()
          .get(ben.id) as string,
      },
      t.staff,
    );
    t.clock.now = Date.parse('2026-12-15T15:00:00Z');
    expect(await t.s.notices.run()).toMatchObject({ created: 2, sent: 1 });
    expect(smtp.received.filter((m) => m.to[0] === 'ana@example.org').map((m) => m.subject)).toEqual([
      'Biblioteca Test: préstamo vencido',
      'Biblioteca Test: segundo aviso de retraso',
    ]);
    expect(smtp.received.filter((m) => m.to[0] === 'ben@example.org')).toHaveLength(1);
    // Cy's first letter was never printed; the second level replaces it (one letter, not two).
    expect(statuses(t, cy.id)).toEqual(['overdue:print:queued', 'overdue:print:cancelled']);
    // Ben's returned loan no longer links his notice to it (no reading history).
    expect(t.s.store.db.prepare('SELECT subject_id FROM notices WHERE patron_id = ?').pluck().all(ben.id)).toEqual([
      null,
    ]);
  });

  it('turns an address the server refuses for good into a letter, and a refused login into a retry', async () => {
    t = createTestStation();
    const { ana } = library(t);
    t.s.patrons.update(ana.id, { email: 'nobody@invalid.example' }, t.staff);
    smtp = await startSmtp();
    t.s.notices.saveSettings(settingsFor(smtp.port, { courtesyDaysBefore: null }), t.staff, 'wrong password');
    t.clock.now = Date.parse('2026-12-08T15:00:00Z');
    const refused = await t.s.notices.run();
    expect(refused).toMatchObject({ sent: 0, waiting: 2 });
    expect(refused.lastError).toMatch(/535|Invalid username or password/);
    expect(refused.lastError).not.toContain('wrong password');
    // The right password, kept on the station: Ben's goes; Ana's address is refused for good (550): a letter.
    const port = smtp.port;
    await smtp.close();
    smtp = await startSmtp({ port, refuse: ['nobody@invalid.example'] });
    t.s.notices.setSmtpPassword(SMTP_PASSWORD);
    t.clock.now += 10 * MINUTE;
    const sent = await t.s.notices.run();
    expect(sent).toMatchObject({ sent: 1, waiting: 0, toPrint: 2 });
    expect(smtp.received.map((m) => m.to[0])).toEqual(['ben@example.org']);
    const [anaNotice] = t.s.notices.forPatron(ana.id);
    expect(anaNotice).toMatchObject({ channel: 'print', status: 'queued' });
    expect(anaNotice!.error).toContain('550');
  });
});

describe('a station killed while it hands a notice to the server', () => {
  it('marks the notice uncertain at the next start and never sends it again by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-notice-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Real time: the CLI's pass runs on the machine's clock. A hold comes in, so a notice is due now.
    t = createTestStation({ dir, start: Date.now() });
    const ana = t.s.patrons.update(
      addPatron(t, 1, { firstName: 'Ana' }).id,
      { email: 'ana@example.org', language: 'es' },
      t.staff,
    ).patron;
    const ben = addPatron(t, 2, { firstName: 'Ben' });
    const { recordId, barcodes } = addTitle(t, 'Rayuela', 1, 1);
    t.s.circulation.checkout({ patronBarcode: ben.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.holds.place({ patronId: ana.id, recordId }, t.staff);
    t.s.circulation.checkin({ itemBarcode: barcodes[0]! }, t.staff);
    const hanging = await startSmtp({ hangOnData: true });
    t.s.notices.saveSettings(settingsFor(hanging.port, { courtesyDaysBefore: null }), t.staff, SMTP_PASSWORD);
    const adminKey = t.s.ctx.keys.staffKey(t.staff.staffId!)!;
    t.s.close();
    t = null;

    // `npm run station -- notices run` in its own process; killed once the server has the message.
    // Node itself (not the tsx wrapper, whose child would outlive a SIGKILL of the wrapper).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/station.ts', 'notices', 'run', '--data', dir], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    while (hanging.dataStarted === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(hanging.dataStarted).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await hanging.close();

    smtp = await startSmtp();
    t = createTestStation({ dir, start: Date.now(), adminKey });
    t.s.notices.saveSettings(
      { ...t.s.notices.settings(), smtp: { ...t.s.notices.settings().smtp!, port: smtp.port } },
      t.staff,
    );
    const after = await t.s.notices.run();
    expect(after).toMatchObject({ sent: 0, uncertain: 1 });
    expect(smtp.received).toHaveLength(0);
    const [notice] = t.s.notices.forPatron(ana.id);
    expect(notice).toMatchObject({ kind: 'hold_ready', status: 'uncertain' });
    expect(notice!.error).toContain('Message-ID');
    // Staff checked the server log and send it again: it goes once, with the same Message-ID.
    t.s.notices.retry(notice!.id, t.staff);
    expect(await t.s.notices.run()).toMatchObject({ sent: 1, uncertain: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toBe('Biblioteca Test: su reserva está lista');
    expect(smtp.received[0]!.messageId).toBe(`<notice-${notice!.id}@biblioteca.example>`);
  }, 60_000);
});

describe('printed letters', () => {
  it('prints one letter a page in Chromium, the address inside the window of a #10 envelope', async () => {
    t = createTestStation();
    const { cy } = library(t);
    t.s.patrons.update(cy.id, { language: 'es' }, t.staff);
    const dora = t.s.patrons.update(
      addPatron(t, 4, { firstName: 'Dora' }).id,
      { address: '9 Oak Road\nShelbyville', email: 'dora@example.org', noticeChannel: 'print' },
      t.staff,
    ).patron;
    const { barcodes } = addTitle(t, 'Pedro Páramo', 1, 10);
    t.s.circulation.checkout({ patronBarcode: dora.cardBarcode, itemBarcode: barcodes[0]! }, t.staff);
    t.s.notices.saveSettings(settingsFor(2, { courtesyDaysBefore: null }), t.staff);
    t.clock.now = Date.parse('2026-12-08T15:00:00Z');
    expect(await t.s.notices.run()).toMatchObject({ toPrint: 2 });
    const page = t.s.notices.lettersPage();
    expect(page.ids).toHaveLength(2);

    const out = mkdtempSync(join(tmpdir(), 'circa-letters-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    cleanups.push(() => browser.close());
    const tab = await browser.newPage();
    await tab.setContent(page.html);
    // Where the address lies on the page, in mm from the top-left corner.
    const boxes = await tab.$$eval('.letter', (letters) =>
      letters.map((l) => {
        const mm = 25.4 / 96;
        const a = l.querySelector('.address')!.getBoundingClientRect();
        const p = l.getBoundingClientRect();
        return {
          left: (a.left - p.left) * mm,
          top: (a.top - p.top) * mm,
          right: (a.right - p.left) * mm,
          bottom: (a.bottom - p.top) * mm,
          text: (l as unknown as { innerText: string }).innerText,
          lang: l.getAttribute('lang'),
        };
      }),
    );
    // A #10 window: 7/8 in (22.2 mm) from the left, 4 1/2 by 1 1/8 in, its top about 48 mm down on a folded Letter page.
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(22);
      expect(b.right).toBeLessThanOrEqual(22 + 115);
      expect(b.top).toBeGreaterThanOrEqual(48);
      expect(b.bottom).toBeLessThanOrEqual(48 + 29);
    }
    const cyLetter = boxes.find((b) => b.text.includes('Cy Twombly'))!;
    expect(cyLetter.lang).toBe('es');
    expect(cyLetter.text).toContain('12 Elm Street\nSpringfield, IL 62701');
    expect(cyLetter.text).toContain('"Cien años de soledad" debía devolverse el 7 de diciembre de 2026');
    expect(boxes.find((b) => b.text.includes('Dora'))!.text).toContain('"Pedro Páramo" was due on December 7, 2026');

    const pdf = join(out, 'letters.pdf');
    writeFileSync(pdf, await tab.pdf({ preferCSSPageSize: true }));
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+2\b/);
    expect(info).toMatch(/Page size:\s+612 x 792 pts/);
    // The text of each page is its own letter.
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
    expect(page1.split('Estimado/a').length + page1.split('Dear ').length).toBe(3);

    // Printed: recorded on the patron, and not on the next page of letters.
    expect(t.s.notices.markPrinted(page.ids, t.staff)).toBe(2);
    expect(statuses(t, dora.id)).toEqual(['overdue:print:printed']);
    expect(t.s.notices.lettersPage().ids).toEqual([]);
  }, 60_000);
});
