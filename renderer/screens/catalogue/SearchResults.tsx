// Catalogue search results as a table: what each title is, how many of its copies are on the
// shelf ("2 of 3 on the shelf") and when the first one out is due, sortable where staff sort.
// How many were found, or that nothing was, is said aloud (a live region) as well as shown.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src/api/contract';
import { SortHeader, useSort } from '../../components/SortableTable';
import { Badge } from '../../components/ui/Badge';
import { useDeskFormat } from '../../format';

export type Hit = ApiOutput<'catalogue.search'>[number];

/** The live region: always in the page (so a screen reader hears it change), empty before a search. */
export function ResultCount({ hits, query }: { hits: Hit[] | null; query: string }) {
  const { t } = useTranslation();
  return (
    <p
      role="status"
      aria-live="polite"
      className={hits?.length === 0 ? 'no-results' : undefined}
      data-testid="result-count"
    >
      {hits === null
        ? ''
        : hits.length === 0
          ? t('catalogue.noResults', { query })
          : t('catalogue.results', { count: hits.length })}
    </p>
  );
}

export function Availability({ hit }: { hit: Hit }) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  return (
    <>
      <Badge tone={hit.available > 0 ? 'ok' : hit.copies === 0 ? 'lost' : 'warning'}>
        {hit.copies === 0
          ? t('catalogue.noCopiesShort')
          : t('catalogue.onShelf', { available: hit.available, copies: hit.copies })}
      </Badge>
      {hit.nextDueAt !== null ? <div>{t('catalogue.nextDue', { date: f.date(hit.nextDueAt) })}</div> : null}
    </>
  );
}

export function SearchResults({
  hits,
  selectedId,
  onOpen,
  onHold,
  more,
}: {
  hits: Hit[];
  selectedId: string | null;
  onOpen?(hit: Hit): void;
  onHold?(hit: Hit): void;
  /** Further buttons for a row (the Holds screen's queue). */ more?(hit: Hit): ReactNode;
}) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const { sorted, sort, toggle } = useSort(
    hits,
    {
      relevance: (h) => hits.indexOf(h),
      title: (h) => h.title,
      author: (h) => h.author,
      year: (h) => h.year,
      available: (h) => h.available,
    },
    { key: 'relevance', direction: 'ascending' },
    f.locale,
  );
  if (hits.length === 0) return null;
  return (
    <table className="data-table" aria-label={t('catalogue.resultsTable')}>
      <thead>
        <tr>
          <SortHeader column="title" sort={sort} onSort={toggle}>
            {t('catalogue.recordTitle')}
          </SortHeader>
          <SortHeader column="author" sort={sort} onSort={toggle}>
            {t('catalogue.author')}
          </SortHeader>
          <SortHeader column="year" sort={sort} onSort={toggle}>
            {t('catalogue.year')}
          </SortHeader>
          <th scope="col">{t('catalogue.callNumber')}</th>
          <SortHeader column="available" sort={sort} onSort={toggle}>
            {t('catalogue.availability')}
          </SortHeader>
          <th scope="col">{t('catalogue.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((h) => (
          <tr key={h.id} data-testid="catalogue-hit" className={h.id === selectedId ? 'selected' : undefined}>
            <td>{h.title}</td>
            <td>{h.author ?? ''}</td>
            <td>{h.year ?? ''}</td>
            <td>{h.callNumber ?? ''}</td>
            <td>
              <Availability hit={h} />
            </td>
            <td className="actions-cell">
              {onOpen ? (
                <button
                  type="button"
                  aria-label={t('catalogue.openRecord', { title: h.title })}
                  onClick={() => onOpen(h)}
                >
                  {t('catalogue.open')}
                </button>
              ) : null}
              {onHold ? (
                <button type="button" aria-label={t('holds.placeOn', { title: h.title })} onClick={() => onHold(h)}>
                  {t('holds.place')}
                </button>
              ) : null}
              {more?.(h)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
