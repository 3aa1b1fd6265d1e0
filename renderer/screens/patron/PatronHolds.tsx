// The patron's holds, and placing one for them from their page: find the title, choose the
// pickup branch and the level, and the hold is theirs (no card to type again).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { PlaceHold } from '../../components/PlaceHold';
import { Problem } from '../../components/Problem';
import { Badge, type Tone } from '../../components/ui/Badge';
import { useDeskFormat } from '../../format';
import { Availability, ResultCount, type Hit } from '../catalogue/SearchResults';

type Summary = ApiOutput<'patrons.lookup'>;
type Hold = Summary['holds'][number];

export const HOLD_TONE: Record<Hold['status'], Tone> = {
  pending: 'info',
  in_transit: 'transit',
  waiting: 'hold',
  fulfilled: 'ok',
  cancelled: 'lost',
  expired: 'lost',
};

export function PatronHolds({ summary, onPlaced }: { summary: Summary; onPlaced(said: string): Promise<void> }) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const p = summary.patron;
  const [searching, setSearching] = useState(false);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Hit | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  async function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get('query') ?? '');
    setQuery(q);
    try {
      setHits(q.trim() ? await client.call('catalogue.search', { query: q }) : []);
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <section aria-labelledby="patron-holds">
      <h3 id="patron-holds">{t('patron.holds')}</h3>
      {summary.holds.length === 0 ? (
        <p>{t('patron.noHolds')}</p>
      ) : (
        <table className="data-table" aria-labelledby="patron-holds">
          <thead>
            <tr>
              <th scope="col">{t('catalogue.recordTitle')}</th>
              <th scope="col">{t('catalogue.status')}</th>
              <th scope="col">{t('patron.holdPlaced')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.holds.map((h) => (
              <tr key={h.id} data-testid="patron-hold">
                <td>{h.title}</td>
                <td>
                  <Badge tone={HOLD_TONE[h.status]}>{t(`holds.status.${h.status}`)}</Badge>
                  {h.shelfExpiresOn ? <div>{t('patron.holdUntil', { date: f.day(h.shelfExpiresOn) })}</div> : null}
                </td>
                <td>{f.date(h.placedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {searching ? (
        <div className="panel">
          <form role="search" onSubmit={(e) => void search(e)} aria-label={t('patron.findTitle')}>
            <div className="form-row">
              <Field label={t('catalogue.searchLabel')} name="query" autoComplete="off" autoFocus />
              <button type="submit">{t('patrons.find')}</button>
              <button type="button" onClick={() => (setSearching(false), setChosen(null), setHits(null))}>
                {t('form.cancel')}
              </button>
            </div>
          </form>
          <ResultCount hits={hits} query={query} />
          <Problem error={error} />
          {hits && hits.length > 0 ? (
            <table className="data-table" aria-label={t('catalogue.resultsTable')}>
              <tbody>
                {hits.map((h) => (
                  <tr key={h.id}>
                    <td>{h.title}</td>
                    <td>{h.author ?? ''}</td>
                    <td>
                      <Availability hit={h} />
                    </td>
                    <td className="actions-cell">
                      <button
                        type="button"
                        aria-label={t('holds.placeOn', { title: h.title })}
                        onClick={() => setChosen(h)}
                      >
                        {t('holds.place')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {chosen ? (
            <PlaceHold
              key={chosen.id}
              recordId={chosen.id}
              title={chosen.title}
              patron={{ id: p.id, name: `${p.firstName} ${p.lastName}` }}
              onCancel={() => setChosen(null)}
              onPlaced={async (said) => {
                setChosen(null);
                setSearching(false);
                setHits(null);
                await onPlaced(said);
              }}
            />
          ) : null}
        </div>
      ) : (
        <button type="button" onClick={() => setSearching(true)}>
          {t('patron.placeHold')}
        </button>
      )}
    </section>
  );
}
