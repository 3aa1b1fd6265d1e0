import { describe, expect, it } from 'vitest';
import type { SlipSettings } from '../config';
import { layoutSlip, renderSlipHtml, renderSlipText } from './render';
import { patronOnSlip, type Slip } from './types';

const en: SlipSettings = {
  libraryName: 'Springfield Public Library',
  header: 'Main Street branch',
  footer: 'Open Mon-Sat 9-8',
  cardDigits: 4,
  language: 'en',
};
const es: SlipSettings = {
  ...en,
  libraryName: 'Biblioteca Municipal',
  header: '',
  footer: 'Horario: L-V 9-20',
  language: 'es',
};
const patron = patronOnSlip('José María', '21234000000019', 4);

const slips: Slip[] = [
  {
    kind: 'checkout',
    patron,
    at: '22 Nov 2026 10:05',
    lines: [
      {
        title: 'The Left Hand of Darkness, a very long title that needs wrapping',
        barcode: '31234000000070',
        detail: '13 Dec 2026',
      },
    ],
  },
  {
    kind: 'checkin',
    at: '22 Nov 2026 10:06',
    lines: [{ title: 'Dune', barcode: '31234000000088', detail: 'Shelve it' }],
  },
  {
    kind: 'hold',
    patron,
    pickupBranch: 'Biblioteca Central',
    shelfExpires: '29 Nov 2026',
    title: 'Cien años de soledad',
    itemBarcode: '31234000000096',
  },
  {
    kind: 'transit',
    destinationBranch: 'North Haverbrook',
    fromBranch: 'Main',
    title: 'Dune',
    itemBarcode: '31234000000104',
    at: '22 Nov 2026',
  },
  {
    kind: 'payment',
    patron,
    at: '22 Nov 2026 10:07',
    paid: '$4.50',
    tendered: '$5.00',
    change: '$0.50',
    remaining: '$0.00',
  },
  { kind: 'test', printerId: 'desk', at: '2026-11-22 10:08' },
];

describe('slips', () => {
  it('shows no more of the patron than the first name and the last digits of the card', () => {
    expect(patron).toEqual({ firstName: 'José', cardTail: '*0019' });
    expect(patronOnSlip('Ana', '21234000000019', 0).cardTail).toBe('');
    // Asking for more digits than the card has still never prints the whole card.
    expect(patronOnSlip('Ana', '2123', 8).cardTail).toBe('*123');
    for (const slip of slips) expect(renderSlipText(slip, en, 48).join('\n')).not.toContain('21234000000019');
  });

  it.each([32, 42, 48])('fits every slip on %i-column paper, big type at half as many characters', (columns) => {
    for (const slip of slips) {
      for (const l of layoutSlip(slip, en, columns)) {
        if (l.kind === 'text') expect(l.text.length).toBeLessThanOrEqual(l.big ? columns / 2 : columns);
      }
    }
  });

  it('names the hold a transit slip travels for, as the hold slip does, and nothing of a patron otherwise', () => {
    const plain = renderSlipText(slips[3]!, en, 42).join('\n');
    expect(plain).not.toContain('Hold for');
    const forHold = renderSlipText(
      { ...(slips[3] as Extract<Slip, { kind: 'transit' }>), holdFor: patron },
      es,
      42,
    ).join('\n');
    expect(forHold).toMatch(/Reservado para\s+José \*0019/);
    expect(forHold).not.toContain('María');
  });

  it('starts with the header when no library name is given, not with an empty line', () => {
    const text = renderSlipText(slips[1]!, { ...en, libraryName: '' }, 32);
    expect(text[0]).toBe('       Main Street branch');
  });

  it('lays out a checkout receipt with the library, the patron, each item with its due date, and the footer', () => {
    const text = renderSlipText(slips[0]!, en, 32);
    expect(text[0]).toBe('   Springfield Public Library');
    expect(text).toContain('Items borrowed');
    expect(text).toContain('Patron                José *0019');
    expect(text).toContain('The Left Hand of Darkness, a');
    expect(text).toContain('31234000000070   Due 13 Dec 2026');
    expect(text).toContain('1 item');
    expect(text.at(-2)).toBe('        Open Mon-Sat 9-8');
    expect(text.at(-1)).toBe('           Thank you!');
  });

  it('prints the transit destination in large type and the hold item as a barcode', () => {
    const transit = layoutSlip(slips[3]!, en, 42);
    expect(transit).toContainEqual({ kind: 'text', text: '  North Haverbrook', bold: true, big: true });
    expect(transit.at(-1)).toEqual({ kind: 'barcode', value: '31234000000104' });
    const hold = layoutSlip(slips[2]!, es, 42);
    expect(hold).toContainEqual({ kind: 'text', text: '       RESERVA', bold: true, big: true });
    expect(hold).toContainEqual({
      kind: 'text',
      text: 'Recoger en              Biblioteca Central',
      bold: false,
      big: false,
    });
    expect(hold).toContainEqual({
      kind: 'text',
      text: 'En el estante hasta            29 Nov 2026',
      bold: true,
      big: false,
    });
    expect(hold.at(-1)).toEqual({ kind: 'barcode', value: '31234000000096' });
  });

  it('uses the Spanish words on a Spanish slip', () => {
    const text = renderSlipText(slips[4]!, es, 42).join('\n');
    for (const w of ['Recibo de pago', 'Lector', 'Pagado', 'Entregado', 'Cambio', 'Pendiente', '¡Gracias!'])
      expect(text).toContain(w);
    expect(text).not.toContain('Thank you');
    // A slip may ask for its own language, whatever the desk's setting.
    expect(renderSlipText({ ...slips[4]!, language: 'en' }, es, 42).join('\n')).toContain('Payment receipt');
  });

  it('puts a long value under its label rather than off the paper', () => {
    const text = renderSlipText(
      {
        ...(slips[2] as Extract<Slip, { kind: 'hold' }>),
        pickupBranch: 'Biblioteca Pública Municipal de San Sebastián de los Reyes',
      },
      es,
      32,
    );
    const at = text.indexOf('Recoger en');
    expect(at).toBeGreaterThan(0);
    expect(text[at + 1]!.trim()).toBe('Biblioteca Pública Municipal de');
    expect(text[at + 1]!.endsWith('de')).toBe(true);
  });

  it('renders the same lines as HTML for the system printer, escaped', () => {
    const html = renderSlipHtml(
      {
        ...(slips[1] as Extract<Slip, { kind: 'checkin' }>),
        lines: [{ title: '<script>alert(1)</script> & Co', barcode: '3', detail: 'x' }],
      },
      en,
    );
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; Co');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<pre class="b">Items returned</pre>');
    expect(html).toContain('lang="en"');
    const hold = renderSlipHtml(slips[2]!, es);
    expect(hold).toContain('<pre class="b big">');
    expect(hold).toContain('31234000000096');
  });
});
