import type { TFunction } from 'i18next';
import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { useDeskLocale } from '../components/useDeskLocale';
import { formatDay } from '../format';
import { HourChart, ItemTypeChart, OverdueSection, TransitTable, type Overdue } from './ReportParts';

type Today = ApiOutput<'reports.today'>;

/** Statistics carry recharts, the desk's largest package: loaded only when staff ask for them. */
const Statistics = lazy(() => import('./Statistics').then((m) => ({ default: m.Statistics })));

/**
 * Reports; `onOpenPatron` opens a patron (by card) from the exceptions list, as the patrons screen would.
 * `focusExceptions` (a new number each time the status bar asks) brings the exceptions to work through into view.
 */
export function Reports({
  onOpenPatron,
  focusExceptions = 0,
}: { onOpenPatron?: (cardBarcode: string) => void; focusExceptions?: number } = {}) {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const [today, setToday] = useState<Today | null>(null);
  const [typeNames, setTypeNames] = useState<ReadonlyMap<string, string>>(new Map());
  const exceptionsHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusExceptions === 0) return;
    exceptionsHeading.current?.scrollIntoView({ block: 'start' });
    exceptionsHeading.current?.focus();
  }, [focusExceptions]);
  const [showStatistics, setShowStatistics] = useState(false);
  const [overdue, setOverdue] = useState<Overdue>([]);
  const [transit, setTransit] = useState<ApiOutput<'reports.inTransit'>>([]);
  const [exceptions, setExceptions] = useState<ApiOutput<'sync.exceptions'>>([]);
  const loadExceptions = () => void client.call('sync.exceptions', {}).then(setExceptions);
  useEffect(loadExceptions, []);
  useEffect(() => {
    void client.call('reports.today', {}).then(setToday);
    void client.call('reports.overdue', {}).then(setOverdue);
    void client.call('reports.inTransit', {}).then(setTransit);
    void client
      .call('itemTypes.list', {})
      .then((types) => setTypeNames(new Map(types.map((x) => [x.code, x.name]))))
      .catch(() => undefined);
  }, []);
  return (
    <main id="main">
      <h1>{t('reports.title')}</h1>
      <section aria-labelledby="today">
        <h2 id="today">{t('reports.today', { date: today ? formatDay(today.date, locale) : '' })}</h2>
        {today ? <HourChart today={today} /> : null}
        {today ? <ItemTypeChart byItemType={today.byItemType} names={typeNames} /> : null}
      </section>
      {showStatistics ? (
        <Suspense fallback={<p role="status">{t('statistics.loading')}</p>}>
          <Statistics />
        </Suspense>
      ) : (
        <section aria-labelledby="statistics-open">
          <h2 id="statistics-open">{t('statistics.title')}</h2>
          <p>{t('statistics.intro')}</p>
          <button type="button" onClick={() => setShowStatistics(true)}>
            {t('statistics.open')}
          </button>
        </section>
      )}
      <OverdueSection overdue={overdue} />
      <section aria-labelledby="exceptions">
        <h2 id="exceptions" tabIndex={-1} ref={exceptionsHeading}>
          {t('reports.exceptions')}
        </h2>
        {exceptions.length === 0 ? <p>{t('reports.noExceptions')}</p> : null}
        <ul>
          {exceptions.map((x) => (
            <li key={x.id} data-testid="exception-row">
              <strong>{t([`reports.exceptionKinds.${x.kind}`, 'reports.exceptionKinds.other'])}</strong>:{' '}
              {exceptionWords(t, x)}{' '}
              {x.patrons.length > 0 ? (
                <>
                  {'— '}
                  {x.patrons.map((p, i) => (
                    <span key={p.id} data-testid="exception-patron">
                      {i > 0 ? ', ' : ''}
                      {p.name && p.cardBarcode ? (
                        <button type="button" className="as-link" onClick={() => onOpenPatron?.(p.cardBarcode!)}>
                          {p.name} ({p.cardBarcode})
                        </button>
                      ) : (
                        p.id
                      )}
                    </span>
                  ))}
                </>
              ) : null}{' '}
              {x.title ? `— ${x.title} (${x.itemBarcode})` : ''}{' '}
              <button
                type="button"
                onClick={() => void client.call('sync.resolveException', { id: x.id }).then(loadExceptions)}
              >
                {t('reports.resolve')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="transit">
        <h2 id="transit">{t('reports.inTransit')}</h2>
        <TransitTable transit={transit} />
      </section>
    </main>
  );
}

/**
 * An exception in the desk's language where its kind and facts (params) have words here; the
 * hub's English message otherwise (an entry's outcome keeps the hub's reason, in its words).
 */
function exceptionWords(
  t: TFunction,
  x: { kind: string; message: string; params?: Record<string, string | number | boolean | null> },
): string {
  const p = x.params;
  if (!p) return x.message;
  const seconds = typeof p.byMs === 'number' ? Math.ceil(p.byMs / 1000) : undefined;
  if (x.kind === 'lent_twice' && typeof p.decidedBy === 'string')
    return t(
      [`reports.exceptionMessages.lent_twice_${p.decidedBy}`, 'reports.exceptionMessages.lent_twice_station_clocks'],
      { ...p },
    );
  if (x.kind === 'time_went_back' || x.kind === 'clock_set_back')
    return t(`reports.exceptionMessages.${x.kind}`, { seconds });
  return x.message;
}
