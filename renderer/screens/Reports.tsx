import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { formatDay, formatDate } from '../format';
import { useSession } from '../state/session';

type Today = ApiOutput<'reports.today'>;
type Overdue = ApiOutput<'reports.overdue'>;

/** CSV with every field quoted, so titles with commas survive a spreadsheet. */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const q = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
  return [cols.map(q).join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))].join('\r\n');
}

/** Bars drawn as SVG, with the same numbers in a table for screen readers and for printing. */
function HourChart({ today }: { today: Today }) {
  const { t } = useTranslation();
  const hours = today.byHour.filter((h) => h.hour >= 7 && h.hour <= 21);
  const max = Math.max(1, ...hours.map((h) => h.checkouts + h.checkins + h.renewals));
  const w = 24;
  return (
    <figure>
      <svg role="img" aria-labelledby="chart-title" width={hours.length * (w + 6)} height={140} className="chart">
        <title id="chart-title">{t('reports.chartTitle')}</title>
        {hours.map((h, i) => {
          const parts = [
            { n: h.checkouts, cls: 'bar-out' },
            { n: h.checkins, cls: 'bar-in' },
            { n: h.renewals, cls: 'bar-renew' },
          ];
          let y = 120;
          return (
            <g key={h.hour}>
              {parts.map((p) => {
                const height = (p.n / max) * 110;
                y -= height;
                return <rect key={p.cls} className={p.cls} x={i * (w + 6)} y={y} width={w} height={height} />;
              })}
              <text x={i * (w + 6) + w / 2} y={136} textAnchor="middle" fontSize="11">
                {h.hour}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{t('reports.legend')}</figcaption>
      <table className="loans">
        <thead>
          <tr>
            <th scope="col">{t('reports.hour')}</th>
            <th scope="col">{t('reports.checkouts')}</th>
            <th scope="col">{t('reports.checkins')}</th>
            <th scope="col">{t('reports.renewals')}</th>
          </tr>
        </thead>
        <tbody>
          {hours
            .filter((h) => h.checkouts + h.checkins + h.renewals > 0)
            .map((h) => (
              <tr key={h.hour} data-testid="hour-row">
                <th scope="row">{`${h.hour}:00`}</th>
                <td>{h.checkouts}</td>
                <td>{h.checkins}</td>
                <td>{h.renewals}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}

export function Reports() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const [today, setToday] = useState<Today | null>(null);
  const [overdue, setOverdue] = useState<Overdue>([]);
  const [transit, setTransit] = useState<ApiOutput<'reports.inTransit'>>([]);
  const [exceptions, setExceptions] = useState<ApiOutput<'sync.exceptions'>>([]);
  const loadExceptions = () => void client.call('sync.exceptions', {}).then(setExceptions);
  useEffect(loadExceptions, []);
  useEffect(() => {
    void client.call('reports.today', {}).then(setToday);
    void client.call('reports.overdue', {}).then(setOverdue);
    void client.call('reports.inTransit', {}).then(setTransit);
  }, []);
  const csvHref = `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(overdue.map((o) => ({ ...o, dueAt: new Date(o.dueAt).toISOString().slice(0, 10) }))))}`;
  return (
    <main id="main">
      <h1>{t('reports.title')}</h1>
      <section aria-labelledby="today">
        <h2 id="today">{t('reports.today', { date: today ? formatDay(today.date, setup?.locale ?? 'en-US') : '' })}</h2>
        {today ? <HourChart today={today} /> : null}
        <ul>
          {today?.byItemType.map((x) => (
            <li key={x.itemType}>
              {x.itemType}: {x.loans}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="overdue">
        <h2 id="overdue">{t('reports.overdue')}</h2>
        <a href={csvHref} download="overdue.csv">
          {t('reports.csv')}
        </a>{' '}
        <button type="button" onClick={() => window.print()}>
          {t('reports.printNotices')}
        </button>
        <ul>
          {overdue.map((o) => (
            <li key={o.itemBarcode} data-testid="overdue-row">
              {o.patronName} — {o.title} ({o.itemBarcode}) — {t('reports.daysOverdue', { days: o.daysOverdue, date: formatDate(o.dueAt, setup?.locale ?? 'en-US', setup?.timeZone) })}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="exceptions">
        <h2 id="exceptions">{t('reports.exceptions')}</h2>
        {exceptions.length === 0 ? <p>{t('reports.noExceptions')}</p> : null}
        <ul>
          {exceptions.map((x) => (
            <li key={x.id} data-testid="exception-row">
              <strong>{t([`reports.exceptionKinds.${x.kind}`, 'reports.exceptionKinds.other'])}</strong>: {x.message}{' '}
              {x.patronName ? `— ${x.patronName} (${x.cardBarcode})` : ''} {x.title ? `— ${x.title} (${x.itemBarcode})` : ''}{' '}
              <button type="button" onClick={() => void client.call('sync.resolveException', { id: x.id }).then(loadExceptions)}>
                {t('reports.resolve')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="transit">
        <h2 id="transit">{t('reports.inTransit')}</h2>
        <ul>
          {transit.map((x) => (
            <li key={x.itemBarcode}>
              {x.title} ({x.itemBarcode}) → {x.toBranch}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
