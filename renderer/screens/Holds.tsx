import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';

type Hit = ApiOutput<'catalogue.search'>[number];
const asError = (err: unknown): ApiErrorBody => (err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });

/** Holds: place one from a catalogue search, a title's queue, the pull list and the hold shelf. */
export function Holds() {
  const { t } = useTranslation();
  const [hits, setHits] = useState<Hit[]>([]);
  const [forCard, setForCard] = useState('');
  const [queue, setQueue] = useState<ApiOutput<'holds.queue'>>([]);
  const [toPull, setToPull] = useState<ApiOutput<'holds.toPull'>>([]);
  const [shelf, setShelf] = useState<ApiOutput<'holds.shelf'>>([]);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);

  const refresh = async () => {
    setToPull(await client.call('holds.toPull', {}));
    setShelf(await client.call('holds.shelf', {}));
  };
  useEffect(() => void refresh().catch(() => undefined), []);

  async function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setHits(await client.call('catalogue.search', { query: String(new FormData(e.currentTarget).get('query') ?? '') }));
  }

  async function place(recordId: string, title: string) {
    setError(null);
    try {
      const patron = await client.call('patrons.lookup', { barcode: forCard });
      await client.call('holds.place', { patronId: patron.patron.id, recordId });
      setMessage(t('holds.placed', { title, name: `${patron.patron.firstName} ${patron.patron.lastName}` }));
      setQueue(await client.call('holds.queue', { recordId }));
      await refresh();
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <main id="main">
      <h1>{t('holds.title')}</h1>
      <form onSubmit={(e) => void search(e)} role="search">
        <Field label={t('holds.search')} name="query" autoComplete="off" autoFocus />
        <button type="submit">{t('patrons.find')}</button>
      </form>
      <Field label={t('holds.forPatron')} value={forCard} onChange={(e) => setForCard(e.target.value)} autoComplete="off" inputMode="numeric" />
      <ul className="returns">
        {hits.map((h) => (
          <li key={h.id} data-testid="catalogue-hit">
            <strong>{h.title}</strong> {h.author ? `— ${h.author}` : ''} ({t('holds.available', { available: h.available, copies: h.copies })}){' '}
            <button type="button" disabled={!forCard} onClick={() => void place(h.id, h.title)}>
              {t('holds.place')}
            </button>
          </li>
        ))}
      </ul>
      <Problem error={error} />
      <p role="status">{message}</p>
      {queue.length > 0 ? (
        <section aria-labelledby="queue">
          <h2 id="queue">{t('holds.queue')}</h2>
          <ol>
            {queue.map((q) => (
              <li key={q.id}>
                {q.patronName} ({t(`holds.status.${q.status}`)})
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="pull">
        <h2 id="pull">{t('holds.toPull')}</h2>
        <ul>
          {toPull.map((p) => (
            <li key={p.holdId}>
              {p.title} — {p.callNumber ?? ''} {p.itemBarcode}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="shelf">
        <h2 id="shelf">{t('holds.shelf')}</h2>
        <ul>
          {shelf.map((s) => (
            <li key={s.holdId} data-testid="shelf-row">
              {s.title} — {s.patronName} — {s.shelfExpiresOn} {s.expired ? `(${t('holds.expired')})` : ''}
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void client.call('holds.clearExpired', {}).then(refresh)}>
          {t('holds.clearExpired')}
        </button>
      </section>
    </main>
  );
}
