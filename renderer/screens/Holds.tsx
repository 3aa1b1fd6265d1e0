import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { PlaceHold } from '../components/PlaceHold';
import { Problem } from '../components/Problem';
import { SortHeader, useSort } from '../components/SortableTable';
import { Badge } from '../components/ui/Badge';
import { useDeskFormat } from '../format';
import { ResultCount, SearchResults, type Hit } from './catalogue/SearchResults';
import { HOLD_TONE } from './patron/PatronHolds';
import '../styles/records.css';

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
export function expiredCopies(
  answer: ApiOutput<'holds.clearExpired'>,
  shelfBefore: ApiOutput<'holds.shelf'>,
): ExpiredCopy[] {
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
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [query, setQuery] = useState('');
  const [holdOn, setHoldOn] = useState<Hit | null>(null);
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
    const q = String(new FormData(e.currentTarget).get('query') ?? '');
    setQuery(q);
    setError(null);
    try {
      setHits(q.trim() ? await client.call('catalogue.search', { query: q }) : []);
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

  /** A hold placed (PlaceHold): said, then the title's queue and the lists as they now are. */
  async function placed(said: string, recordId: string, title: string) {
    setHoldOn(null);
    setMessage(said);
    try {
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
      <Field
        label={t('holds.forPatron')}
        value={forCard}
        onChange={(e) => setForCard(e.target.value)}
        autoComplete="off"
        inputMode="numeric"
        data-scan-field="kept"
      />
      {/* What was just done comes first, before the search's own count. */}
      <p role="status" className="saved">
        {message}
      </p>
      <ResultCount hits={hits} query={query} />
      <SearchResults
        hits={hits ?? []}
        selectedId={holdOn?.id ?? null}
        onHold={(h) => setHoldOn(h)}
        more={(h) => (
          <button
            type="button"
            aria-label={t('holds.showQueue', { title: h.title })}
            onClick={() => void showQueue(h.id, h.title).catch((err: unknown) => setError(asError(err)))}
          >
            {t('holds.queueButton')}
          </button>
        )}
      />
      {holdOn ? (
        <PlaceHold
          key={holdOn.id}
          recordId={holdOn.id}
          title={holdOn.title}
          initialCard={forCard}
          onCancel={() => setHoldOn(null)}
          onPlaced={(said) => placed(said, holdOn.id, holdOn.title)}
        />
      ) : null}
      <Problem error={error} />
      {queueOf ? (
        <section aria-labelledby="queue">
          <h2 id="queue">
            {t('holds.queue')}: {queueOf.title}
          </h2>
          {queue.length === 0 ? (
            <p>{t('holds.queueEmpty')}</p>
          ) : (
            <table className="data-table" aria-labelledby="queue">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('patrons.name')}</th>
                  <th scope="col">{t('catalogue.status')}</th>
                  <th scope="col">{t('catalogue.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((q) => (
                  <QueueEntry key={q.id} hold={q} onChange={(action, done) => void change(action, done)} />
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      <section aria-labelledby="pull">
        <h2 id="pull">{t('holds.toPull')}</h2>
        <PullList rows={toPull} />
      </section>
      <section aria-labelledby="shelf">
        <h2 id="shelf">{t('holds.shelf')}</h2>
        <ShelfList rows={shelf} />
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
                      {t('holds.clearedCopy', {
                        title: c.title,
                        barcode: c.itemBarcode ?? t('holds.noBarcode'),
                        name: c.patronName,
                      })}
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
function QueueEntry({
  hold,
  onChange,
}: {
  hold: QueuedHold;
  onChange(action: () => Promise<unknown>, done: string): void;
}) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const [until, setUntil] = useState('');
  const name = hold.patronName;
  return (
    <tr data-testid="queue-entry">
      <td>{hold.position}</td>
      <td>{name}</td>
      <td>
        <Badge tone={HOLD_TONE[hold.status]}>{t(`holds.status.${hold.status}`)}</Badge>
        {hold.suspendedUntil ? <div>{t('holds.suspendedUntil', { date: f.day(hold.suspendedUntil) })}</div> : null}
      </td>
      <td className="actions-cell">
        <button
          type="button"
          aria-label={t('holds.cancelFor', { name })}
          onClick={() =>
            onChange(() => client.call('holds.cancel', { holdId: hold.id }), t('holds.cancelled', { name }))
          }
        >
          {t('holds.cancel')}
        </button>{' '}
        {hold.suspendedUntil ? (
          <button
            type="button"
            aria-label={t('holds.resumeFor', { name })}
            onClick={() =>
              onChange(
                () => client.call('holds.suspend', { holdId: hold.id, until: null }),
                t('holds.resumed', { name }),
              )
            }
          >
            {t('holds.resume')}
          </button>
        ) : hold.status === 'pending' ? (
          <span className="inline-form">
            <label>
              {t('holds.suspendUntil')}{' '}
              <input
                type="date"
                aria-label={t('holds.suspendFor', { name })}
                value={until}
                onChange={(e) => setUntil(e.target.value)}
              />
            </label>{' '}
            <button
              type="button"
              aria-label={t('holds.suspendButtonFor', { name })}
              disabled={!until}
              onClick={() =>
                onChange(
                  () => client.call('holds.suspend', { holdId: hold.id, until }),
                  t('holds.suspended', { name, date: f.day(until) }),
                )
              }
            >
              {t('holds.suspend')}
            </button>
          </span>
        ) : null}
      </td>
    </tr>
  );
}

/** Holds to pull: the oldest first, sortable by call number to walk the shelves in order. */
function PullList({ rows }: { rows: ApiOutput<'holds.toPull'> }) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const { sorted, sort, toggle } = useSort(
    rows,
    { placed: (r) => r.placedAt, title: (r) => r.title, callNumber: (r) => r.callNumber },
    { key: 'placed', direction: 'ascending' },
    f.locale,
  );
  if (rows.length === 0) return <p>{t('holds.nothingToPull')}</p>;
  return (
    <table className="data-table" aria-labelledby="pull">
      <thead>
        <tr>
          <SortHeader column="title" sort={sort} onSort={toggle}>
            {t('catalogue.recordTitle')}
          </SortHeader>
          <SortHeader column="callNumber" sort={sort} onSort={toggle}>
            {t('catalogue.callNumber')}
          </SortHeader>
          <th scope="col">{t('catalogue.barcode')}</th>
          <SortHeader column="placed" sort={sort} onSort={toggle}>
            {t('patron.holdPlaced')}
          </SortHeader>
        </tr>
      </thead>
      <tbody>
        {sorted.map((p) => (
          <tr key={p.holdId} data-testid="pull-row">
            <td>{p.title}</td>
            <td>{p.callNumber ?? ''}</td>
            <td>{p.itemBarcode}</td>
            <td>{f.date(p.placedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The hold shelf: whose each copy is and until when, the expired ones marked; sortable by patron or day. */
function ShelfList({ rows }: { rows: ApiOutput<'holds.shelf'> }) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const { sorted, sort, toggle } = useSort(
    rows,
    { patron: (r) => r.patronName, title: (r) => r.title, until: (r) => r.shelfExpiresOn },
    { key: 'until', direction: 'ascending' },
    f.locale,
  );
  if (rows.length === 0) return <p>{t('holds.shelfEmpty')}</p>;
  return (
    <table className="data-table" aria-labelledby="shelf">
      <thead>
        <tr>
          <SortHeader column="title" sort={sort} onSort={toggle}>
            {t('catalogue.recordTitle')}
          </SortHeader>
          <SortHeader column="patron" sort={sort} onSort={toggle}>
            {t('patrons.name')}
          </SortHeader>
          <SortHeader column="until" sort={sort} onSort={toggle}>
            {t('holds.shelfUntil')}
          </SortHeader>
          <th scope="col">{t('catalogue.status')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => (
          <tr key={s.holdId} data-testid="shelf-row">
            <td>
              {s.title} {s.itemBarcode ? `(${s.itemBarcode})` : ''}
            </td>
            <td>{s.patronName}</td>
            <td>{s.shelfExpiresOn ? f.day(s.shelfExpiresOn) : ''}</td>
            <td>
              {s.expired ? (
                <Badge tone="warning">{t('holds.expired')}</Badge>
              ) : (
                <Badge tone="hold">{t('holds.status.waiting')}</Badge>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
