import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { isDialogOpen } from '../components/Dialog';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { SortHeader, useSort } from '../components/SortableTable';
import { useLoad } from '../components/useLoad';
import { useDeskFormat } from '../format';
import { PatronDetail } from './patron/PatronDetail';
import { RegisterForm } from './patron/RegisterForm';
import { useNewScans } from '../state/scans';
import '../styles/records.css';

type Summary = ApiOutput<'patrons.lookup'>;
type Hit = ApiOutput<'patrons.search'>[number];

/**
 * Patrons: find by name, card, email or phone; register; open one to edit, block, take a payment,
 * waive a fee or place a hold. `openCard` opens that patron at once (a link from another screen).
 */
export function Patrons({ openCard }: { openCard?: string | null } = {}) {
  const { t } = useTranslation();
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [query, setQuery] = useState('');
  const [patron, setPatron] = useState<Summary | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [registering, setRegistering] = useState(false);
  /** The patron just registered: the form that had the focus is gone, so it goes to their name. */
  const [registeredId, setRegisteredId] = useState<string | null>(null);
  const categories = useLoad(() => client.call('categories.list', {}));

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
    const q = String(new FormData(e.currentTarget).get('query') ?? '');
    setQuery(q);
    try {
      setHits(await client.call('patrons.search', { query: q }));
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <main id="main" className="records-screen">
      <h1>{t('patrons.title')}</h1>
      <form onSubmit={(e) => void search(e)} role="search">
        <div className="form-row">
          <Field label={t('patrons.search')} name="query" autoComplete="off" autoFocus />
          <button type="submit">{t('patrons.find')}</button>
          <button type="button" onClick={() => setRegistering(true)}>
            {t('patrons.register')}
          </button>
        </div>
      </form>
      <p
        role="status"
        aria-live="polite"
        data-testid="patron-count"
        className={hits?.length === 0 ? 'no-results' : undefined}
      >
        {hits === null
          ? ''
          : hits.length === 0
            ? t('patrons.noResults', { query })
            : t('patrons.results', { count: hits.length })}
      </p>
      <Problem error={error} />
      <PatronResults
        hits={hits ?? []}
        selectedId={patron?.patron.id ?? null}
        onOpen={(h) => void open(h.cardBarcode)}
      />
      {registering ? (
        <RegisterForm
          categories={categories.data ?? []}
          onCancel={() => setRegistering(false)}
          onRegistered={(created) => {
            setPatron(created);
            setRegisteredId(created.patron.id);
            setRegistering(false);
            setError(null);
          }}
        />
      ) : null}
      {patron ? (
        <PatronDetail
          key={patron.patron.id}
          summary={patron}
          onChange={setPatron}
          focusName={patron.patron.id === registeredId}
        />
      ) : null}
    </main>
  );
}

function PatronResults({
  hits,
  selectedId,
  onOpen,
}: {
  hits: Hit[];
  selectedId: string | null;
  onOpen(hit: Hit): void;
}) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const { sorted, sort, toggle } = useSort(
    hits,
    { name: (h) => `${h.lastName} ${h.firstName}`, card: (h) => h.cardBarcode, email: (h) => h.email },
    { key: 'name', direction: 'ascending' },
    f.locale,
  );
  if (hits.length === 0) return null;
  return (
    <table className="data-table" aria-label={t('patrons.resultsTable')}>
      <thead>
        <tr>
          <SortHeader column="name" sort={sort} onSort={toggle}>
            {t('patrons.name')}
          </SortHeader>
          <SortHeader column="card" sort={sort} onSort={toggle}>
            {t('patron.card')}
          </SortHeader>
          <SortHeader column="email" sort={sort} onSort={toggle}>
            {t('patrons.email')}
          </SortHeader>
          <th scope="col">{t('catalogue.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((h) => (
          <tr key={h.id} data-testid="patron-hit" className={h.id === selectedId ? 'selected' : undefined}>
            <td>
              {h.lastName}, {h.firstName}
            </td>
            <td>{h.cardBarcode}</td>
            <td>{h.email ?? ''}</td>
            <td className="actions-cell">
              <button
                type="button"
                aria-label={t('patrons.openPatron', { name: `${h.firstName} ${h.lastName}` })}
                onClick={() => onOpen(h)}
              >
                {t('catalogue.open')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
