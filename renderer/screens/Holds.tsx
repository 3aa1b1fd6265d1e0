import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { useDeskLocale } from '../components/useDeskLocale';
import { formatDay } from '../format';

type Hit = ApiOutput<'catalogue.search'>[number];

/** A copy whose hold expired on the shelf: what to take off it, and whose hold it was. */
export interface ExpiredCopy {
  holdId: string;
  itemBarcode: string | null;
  title: string;
  patronName: string;
}

/**
 * What clearing expired holds answered, in words: the station names the title and the patron;
 * where an answer does not (an older station), the hold shelf as it was before clearing does.
 */
export function expiredCopies(answer: ApiOutput<'holds.clearExpired'>, shelfBefore: ApiOutput<'holds.shelf'>): ExpiredCopy[] {
  const onShelf = new Map(shelfBefore.map((s) => [s.holdId, s]));
  return answer.expired.map((x) => {
    const told = x as Record<string, unknown>;
    const was = onShelf.get(x.holdId);
    const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return {
      holdId: x.holdId,
      itemBarcode: x.itemBarcode ?? was?.itemBarcode ?? null,
      title: text(told.title) ?? was?.title ?? '',
      patronName: text(told.patronName) ?? was?.patronName ?? '',
    };
  });
}

/** Holds: place one from a catalogue search, a title's queue, the pull list and the hold shelf. */
export function Holds() {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const [hits, setHits] = useState<Hit[]>([]);
  const [forCard, setForCard] = useState('');
  const [queue, setQueue] = useState<ApiOutput<'holds.queue'>>([]);
  const [queueOf, setQueueOf] = useState<{ recordId: string; title: string } | null>(null);
  const [toPull, setToPull] = useState<ApiOutput<'holds.toPull'>>([]);
  const [shelf, setShelf] = useState<ApiOutput<'holds.shelf'>>([]);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  /** The copies the last "Clear expired holds" took off their holds: null before it is pressed. */
  const [cleared, setCleared] = useState<ExpiredCopy[] | null>(null);
  const [clearError, setClearError] = useState<ApiErrorBody | null>(null);

  const refresh = async () => {
    setToPull(await client.call('holds.toPull', {}));
    setShelf(await client.call('holds.shelf', {}));
  };
  useEffect(() => void refresh().catch((err: unknown) => setError(asError(err))), []);

  async function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const query = String(new FormData(e.currentTarget).get('query') ?? '');
    setError(null);
    try {
      setHits(await client.call('catalogue.search', { query }));
    } catch (err) {
      setError(asError(err));
    }
  }

  async function clearExpired() {
    setClearError(null);
    setCleared(null);
    const before = shelf;
    try {
      setCleared(expiredCopies(await client.call('holds.clearExpired', {}), before));
      await refresh();
    } catch (err) {
      setClearError(asError(err));
    }
  }

  async function place(recordId: string, title: string) {
    setError(null);
    try {
      const patron = await client.call('patrons.lookup', { barcode: forCard });
      await client.call('holds.place', { patronId: patron.patron.id, recordId });
      setMessage(t('holds.placed', { title, name: `${patron.patron.firstName} ${patron.patron.lastName}` }));
      await showQueue(recordId, title);
      await refresh();
    } catch (err) {
      setError(asError(err));
    }
  }

  async function showQueue(recordId: string, title: string) {
    setQueueOf({ recordId, title });
    setQueue(await client.call('holds.queue', { recordId }));
  }

  /** Cancel, suspend or resume one hold of the queue on screen, then show the queue as it now is. */
  async function change(action: () => Promise<unknown>, done: string) {
    setError(null);
    try {
      await action();
      setMessage(done);
      if (queueOf) await showQueue(queueOf.recordId, queueOf.title);
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
            </button>{' '}
            <button type="button" aria-label={t('holds.showQueue', { title: h.title })} onClick={() => void showQueue(h.id, h.title).catch((err: unknown) => setError(asError(err)))}>
              {t('holds.queueButton')}
            </button>
          </li>
        ))}
      </ul>
      <Problem error={error} />
      <p role="status">{message}</p>
      {queueOf ? (
        <section aria-labelledby="queue">
          <h2 id="queue">
            {t('holds.queue')}: {queueOf.title}
          </h2>
          {queue.length === 0 ? <p>{t('holds.queueEmpty')}</p> : null}
          <ol>
            {queue.map((q) => (
              <QueueEntry key={q.id} hold={q} onChange={(action, done) => void change(action, done)} />
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
              {s.title} — {s.patronName} — {s.shelfExpiresOn ? formatDay(s.shelfExpiresOn, locale) : ''} {s.expired ? `(${t('holds.expired')})` : ''}
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void clearExpired()}>
          {t('holds.clearExpired')}
        </button>
        <Problem error={clearError} />
        {cleared ? (
          <div role="status" data-testid="cleared-holds">
            {cleared.length === 0 ? (
              <p>{t('holds.noneExpired')}</p>
            ) : (
              <>
                <p>{t('holds.takeOffShelf', { count: cleared.length })}</p>
                <ul>
                  {cleared.map((c) => (
                    <li key={c.holdId} data-testid="cleared-row">
                      {t('holds.clearedCopy', { title: c.title, barcode: c.itemBarcode ?? t('holds.noBarcode'), name: c.patronName })}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ) : null}
      </section>
    </main>
  );
}

type QueuedHold = ApiOutput<'holds.queue'>[number];

/** One patron in a title's queue: cancel, suspend until a date, or resume. */
function QueueEntry({ hold, onChange }: { hold: QueuedHold; onChange(action: () => Promise<unknown>, done: string): void }) {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const [until, setUntil] = useState('');
  const name = hold.patronName;
  return (
    <li data-testid="queue-entry">
      {name} ({t(`holds.status.${hold.status}`)}
      {hold.suspendedUntil ? `, ${t('holds.suspendedUntil', { date: formatDay(hold.suspendedUntil, locale) })}` : ''}){' '}
      <button type="button" aria-label={t('holds.cancelFor', { name })} onClick={() => onChange(() => client.call('holds.cancel', { holdId: hold.id }), t('holds.cancelled', { name }))}>
        {t('holds.cancel')}
      </button>{' '}
      {hold.suspendedUntil ? (
        <button type="button" aria-label={t('holds.resumeFor', { name })} onClick={() => onChange(() => client.call('holds.suspend', { holdId: hold.id, until: null }), t('holds.resumed', { name }))}>
          {t('holds.resume')}
        </button>
      ) : hold.status === 'pending' ? (
        <span className="inline-form">
          <label>
            {t('holds.suspendUntil')} <input type="date" aria-label={t('holds.suspendFor', { name })} value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>{' '}
          <button
            type="button"
            aria-label={t('holds.suspendButtonFor', { name })}
            disabled={!until}
            onClick={() => onChange(() => client.call('holds.suspend', { holdId: hold.id, until }), t('holds.suspended', { name, date: formatDay(until, locale) }))}
          >
            {t('holds.suspend')}
          </button>
        </span>
      ) : null}
    </li>
  );
}
