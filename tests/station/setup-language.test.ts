// The set-up's starting categories and item types are named in the library's language: a Spanish
// library's desk says "Adulto" on the patron's card, not "Adult" (#17).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStation } from '../../src/station/services';

function setUpIn(locale: string) {
  const s = openStation(join(mkdtempSync(join(tmpdir(), 'circa-setup-lang-')), 'station.db'));
  s.admin.initialize({
    libraryName: 'Biblioteca',
    branchCode: 'CEN',
    branchName: 'Central',
    timeZone: 'America/Mexico_City',
    currency: 'MXN',
    locale,
    admin: { username: 'admin', displayName: 'Admin', password: 'una clave larga' },
  });
  const names = (table: string) =>
    (s.store.db.prepare(`SELECT code, name FROM ${table} ORDER BY code`).all() as { code: string; name: string }[]).map(
      (r) => `${r.code}=${r.name}`,
    );
  const result = { categories: names('patron_categories'), itemTypes: names('item_types') };
  s.close();
  return result;
}

describe('the starting names', () => {
  it('are Spanish for a Spanish-speaking library', () => {
    expect(setUpIn('es-MX')).toEqual({
      categories: ['ADULT=Adulto', 'CHILD=Infantil'],
      itemTypes: ['BOOK=Libro', 'DVD=DVD', 'REF=Consulta'],
    });
  });
  it('are English for English, and for a language the desk does not speak yet', () => {
    const english = {
      categories: ['ADULT=Adult', 'CHILD=Child'],
      itemTypes: ['BOOK=Book', 'DVD=DVD', 'REF=Reference'],
    };
    expect(setUpIn('en-GB')).toEqual(english);
    expect(setUpIn('fr-FR')).toEqual(english);
  });
});
