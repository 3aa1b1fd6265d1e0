// #12 bug 9: a slip speaks its own language in its dates too. An en-US library whose slips are
// set to Spanish prints "Vence 22 dic 2026", never "12/22/2026" nor 2026-12-22.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStationCore, type StationCore } from '../../src/station/core';
import { itemBarcode, patronCard } from '../support/station';

let core: StationCore;
let token: string;

async function ok(name: string, input: unknown): Promise<Record<string, unknown>> {
  const r = await core.invoke(name, input, { sessionToken: token });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as Record<string, unknown>;
}

beforeAll(async () => {
  core = await startStationCore({ dataDir: mkdtempSync(join(tmpdir(), 'circa-slipdates-')) });
  await core.invoke(
    'setup.initialize',
    {
      libraryName: 'Springfield',
      branchCode: 'M',
      branchName: 'Main',
      timeZone: 'America/Chicago',
      currency: 'USD',
      locale: 'en-US',
      admin: { username: 'admin', displayName: 'Admin', password: 'a long password' },
    },
    { local: true },
  );
  token = (
    (await core.invoke('auth.signIn', { username: 'admin', password: 'a long password' }, {})) as {
      value: { token: string };
    }
  ).value.token;
  const config = (await ok('devices.get', {})).config as { slips: object };
  await ok('devices.configure', { ...config, slips: { ...config.slips, language: 'es' } });
});
afterAll(async () => {
  await core.close();
});

describe('dates on slips', () => {
  it('prints the checkout slip with its due date and its date in the slip language', async () => {
    const record = await ok('catalogue.addRecord', { title: 'Pedro Páramo' });
    await ok('catalogue.addItem', { barcode: itemBarcode(1), recordId: record.id, itemTypeCode: 'BOOK' });
    await ok('patrons.register', {
      cardBarcode: patronCard(1),
      firstName: 'Juan',
      lastName: 'Preciado',
      categoryCode: 'ADULT',
    });
    const loan = await ok('circulation.checkout', { patronBarcode: patronCard(1), itemBarcode: itemBarcode(1) });
    const dueAt = loan.dueAt as number;
    const slip = await ok('slips.checkout', { patronBarcode: patronCard(1), loanIds: [loan.loanId as string] });
    const html = slip.html as string;
    const es = (at: number) =>
      new Intl.DateTimeFormat('es-US', { dateStyle: 'medium', timeZone: 'America/Chicago' }).format(at);
    expect(html).toContain(es(dueAt));
    expect(html).not.toContain(new Date(dueAt).toLocaleDateString('en-US', { timeZone: 'America/Chicago' }));
    // The slip's own date, in Spanish words: no English month.
    expect(html).toContain(es(Date.now()));
    expect(html).not.toMatch(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/);
  });
});
