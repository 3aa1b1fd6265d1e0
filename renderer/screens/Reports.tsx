import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { useDeskLocale } from '../components/useDeskLocale';
import { exceptionWords } from '../exception-words';
import { formatDay, useDeskFormat } from '../format';
import { HourChart, ItemTypeChart, OverdueSection, TransitTable, type Overdue } from './ReportParts';

type Today = ApiOutput<'reports.today'>;

/** Statistics carry recharts, the desk's largest package: loaded only when staff ask for them. */
const Statistics = lazy(() => import('./Statistics').then((m) => ({ default: m.Statistics })));

/**
 * Reports; `onOpenPatron` opens a patron (by card) from the exceptions list, as the patrons screen would,
 * and `onOpenCopy` a copy (by barcode) in the catalogue.
 * `focusExceptions` (a new number each time the status bar asks) brings the exceptions to work through into view.
 */
export function Reports({
  onOpenPatron,
  onOpenCopy,
  focusExceptions = 0,
}: {
  onOpenPatron?: (cardBarcode: string) => void;
  onOpenCopy?: (itemBarcode: string) => void;
  focusExceptions?: number;
} = {}) {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const format = useDeskFormat();
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
              {exceptionWords(x, format, t)}{' '}
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
              {x.title ? (
                <span data-testid="exception-copy">
                  {'— '}
                  {x.itemBarcode && onOpenCopy ? (
                    <button type="button" className="as-link" onClick={() => onOpenCopy(x.itemBarcode!)}>
                      {x.title} ({x.itemBarcode})
                    </button>
                  ) : (
                    `${x.title} (${x.itemBarcode})`
                  )}
                </span>
              ) : null}{' '}
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
