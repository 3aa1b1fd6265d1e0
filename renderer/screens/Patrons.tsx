import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { isDialogOpen } from '../components/Dialog';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { PatronDetail } from './patron/PatronDetail';
import { useNewScans } from '../state/scans';

type Summary = ApiOutput<'patrons.lookup'>;
type Hit = ApiOutput<'patrons.search'>[number];

/**
 * Patrons: find by name, card, email or phone; register; open one to edit, block, take a payment
 * or waive a fee. `openCard` opens that patron at once (a link from another screen).
 */
export function Patrons({ openCard }: { openCard?: string | null } = {}) {
  const { t } = useTranslation();
  const [hits, setHits] = useState<Hit[]>([]);
  const [patron, setPatron] = useState<Summary | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [registering, setRegistering] = useState(false);

  const open = async (barcode: string) => {
    try {
      setPatron(await client.call('patrons.lookup', { barcode }));
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  };
  useEffect(() => {
    // Once per card asked for.
    if (openCard) void open(openCard);
  }, [openCard]);
  // A scan while a dialog is open belongs to the dialog (a replacement card), not to the search.
  useNewScans((scan) => scan.kind === 'patron' && !isDialogOpen() && void open(scan.barcode));

  async function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setHits(await client.call('patrons.search', { query: String(new FormData(e.currentTarget).get('query') ?? '') }));
  }

  async function register(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    try {
      const created = await client.call('patrons.register', {
        cardBarcode: v('cardBarcode'),
        firstName: v('firstName'),
        lastName: v('lastName'),
        email: v('email') || null,
        phone: v('phone') || null,
        categoryCode: v('categoryCode') || 'ADULT',
        pin: v('pin') || null,
        keepReadingHistory: f.get('keepReadingHistory') === 'on',
      });
      setPatron(created);
      setRegistering(false);
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <main id="main">
      <h1>{t('patrons.title')}</h1>
      <form onSubmit={(e) => void search(e)} role="search">
        <Field label={t('patrons.search')} name="query" autoComplete="off" autoFocus />
        <button type="submit">{t('patrons.find')}</button>
        <button type="button" onClick={() => setRegistering(true)}>
          {t('patrons.register')}
        </button>
      </form>
      <ul className="returns">
        {hits.map((h) => (
          <li key={h.id}>
            <button type="button" onClick={() => void open(h.cardBarcode)}>
              {h.lastName}, {h.firstName} ({h.cardBarcode})
            </button>
          </li>
        ))}
      </ul>
      <Problem error={error} />
      {registering ? (
        <form onSubmit={(e) => void register(e)} aria-label={t('patrons.register')} className="card">
          <h2>{t('patrons.register')}</h2>
          <Field label={t('checkout.patronBarcode')} name="cardBarcode" required autoComplete="off" />
          <Field label={t('patrons.firstName')} name="firstName" required />
          <Field label={t('patrons.lastName')} name="lastName" required />
          <Field label={t('patrons.email')} name="email" type="email" />
          <Field label={t('patrons.phone')} name="phone" type="tel" />
          <Field label={t('patrons.category')} name="categoryCode" defaultValue="ADULT" />
          <Field label={t('patrons.pin')} name="pin" type="password" inputMode="numeric" pattern="\d{4,8}" autoComplete="off" />
          <div className="field">
            <label>
              <input type="checkbox" name="keepReadingHistory" /> {t('patrons.keepHistory')}
            </label>
          </div>
          <button type="submit">{t('patrons.save')}</button>
        </form>
      ) : null}
      {patron ? <PatronDetail key={patron.patron.id} summary={patron} onChange={setPatron} /> : null}
    </main>
  );
}
