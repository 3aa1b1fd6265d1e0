// Statistics (Reports › Statistics; docs/statistics.md): a period and a grouping, two charts
// (recharts) each with the same numbers in a table beside it, the totals, and the report as CSV.
// Loaded only when Reports opens it: recharts is the desk's largest package.
//
// The charts are reachable from the keyboard (Tab to a chart, then the arrow keys move from bar
// to bar with its tooltip: recharts' accessibility layer), named by their heading, and described
// in words; the table beside each is the same data for screen readers, for printing and for
// anyone who would rather read numbers.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { ChoiceSelect } from '../components/ui/ChoiceSelect';
import { useBranchTimeZone, useDeskLocale } from '../components/useDeskLocale';
import { dayOf, formatDay, formatMoney } from '../format';
import { minorUnitDigits } from '../../src/domain/money';
import { toCsv } from './ReportParts';

export type StatisticsReport = ApiOutput<'reports.statistics'>;
type Grouping = ApiInput<'reports.statistics'>['groupBy'];
type Row = StatisticsReport['rows'][number];
type Measure = Exclude<keyof StatisticsReport['totals'], never>;

const GROUPINGS: Grouping[] = ['day', 'month', 'year', 'hour', 'branch', 'itemType', 'collection', 'patronCategory'];
const CIRCULATION: Measure[] = ['checkouts', 'renewals', 'checkins'];
/**
 * Each measure's colour, the same as in the day's chart above it (ReportParts): returns and
 * renewals keep their colours whichever chart, and whatever order, shows them.
 */
const colourOf = (m: Measure) =>
  m === 'checkins' ? 'measure-returns' : m === 'renewals' ? 'measure-renewals' : 'measure-main';
/** What the second chart may show, one at a time. */
const ACTIVITY: Measure[] = [
  'activePatrons',
  'newPatrons',
  'inHouseUses',
  'holdsFilled',
  'illBorrowed',
  'illLent',
  'finesCollected',
];
const ALL: Measure[] = [...CIRCULATION, ...ACTIVITY];

/** The group's name as the desk says it: a day or month in the desk's language, an hour as 14:00. */
export function groupLabel(
  row: Pick<Row, 'key' | 'label'>,
  groupBy: Grouping,
  locale: string,
  unknown: string,
): string {
  if (row.key === '') return unknown;
  if (groupBy === 'day') return formatDay(row.key, locale);
  if (groupBy === 'month')
    return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      Date.parse(`${row.key}-15T12:00:00Z`),
    );
  if (groupBy === 'hour') return `${row.key.padStart(2, '0')}:00`;
  return row.label || row.key;
}

/** The report as CSV: one line a group, every measure; fines in the currency's units (12.50), not minor units. */
export function statisticsCsv(
  report: StatisticsReport,
  names: { group: string; measure: (m: Measure) => string; label: (row: Row) => string },
): string {
  return toCsv(
    report.rows.map((r) => ({
      [names.group]: r.key,
      '': names.label(r),
      ...Object.fromEntries(
        ALL.map((m) => [
          names.measure(m),
          m === 'finesCollected'
            ? (r.finesCollected / 10 ** minorUnitDigits(report.currency)).toFixed(minorUnitDigits(report.currency))
            : m === 'activePatrons'
              ? (r.activePatrons ?? '')
              : r[m],
        ]),
      ),
    })),
  );
}

export function Statistics() {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const timeZone = useBranchTimeZone();
  const today = dayOf(Date.now(), timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<Grouping>('month');
  const [activity, setActivity] = useState<Measure>('activePatrons');
  const [report, setReport] = useState<StatisticsReport | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  /** The form's own check, said at the field: the period ends before it starts. */
  const [toError, setToError] = useState<string | null>(null);

  const load = (q: { from: string; to: string; groupBy: Grouping }) => {
    setBusy(true);
    setError(null);
    client
      .call('reports.statistics', q)
      .then(setReport, (e: unknown) => setError(asError(e)))
      .finally(() => setBusy(false));
  };
  // The first report, of the year so far, once; later ones when staff ask.
  useEffect(() => load({ from, to, groupBy }), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (from && to && to < from) {
      setToError(t('statistics.endsBeforeStart'));
      return;
    }
    setToError(null);
    load({ from, to, groupBy });
  };

  const measureName = (m: Measure) => t(`statistics.measures.${m}`);
  const unknown = t('statistics.unknown');
  const shown = report?.groupBy ?? groupBy;
  const label = (r: Row) => groupLabel(r, shown, locale, unknown);
  const money = (cents: number) => formatMoney(cents, report?.currency ?? 'USD', locale);
  const value = (m: Measure, n: number | null) =>
    n === null ? '—' : m === 'finesCollected' ? money(n) : n.toLocaleString(locale);
  const csv = report
    ? statisticsCsv(report, { group: t(`statistics.groupings.${report.groupBy}`), measure: measureName, label })
    : '';

  return (
    <section aria-labelledby="statistics" className="statistics">
      <h2 id="statistics">{t('statistics.title')}</h2>
      <p>{t('statistics.intro')}</p>
      <form onSubmit={submit} className="statistics-form" aria-label={t('statistics.period')}>
        <Field
          label={t('statistics.from')}
          type="date"
          name="from"
          value={from}
          required
          onChange={(e) => setFrom(e.target.value)}
        />
        <Field
          label={t('statistics.to')}
          type="date"
          name="to"
          value={to}
          required
          error={toError}
          onChange={(e) => setTo(e.target.value)}
        />
        <ChoiceSelect
          label={t('statistics.groupBy')}
          value={groupBy}
          onChange={(g) => setGroupBy(g as Grouping)}
          choices={GROUPINGS.map((g) => ({ id: g, name: t(`statistics.groupings.${g}`) }))}
        />
        <button type="submit" disabled={busy}>
          {t('statistics.show')}
        </button>
      </form>
      <Problem error={error} />
      {report ? (
        <>
          <p role="status" data-testid="statistics-summary">
            {t('statistics.summary', {
              from: formatDay(report.from, locale),
              to: formatDay(report.to, locale),
              grouping: t(`statistics.groupings.${report.groupBy}`),
            })}
          </p>
          <h3 id="statistics-totals">{t('statistics.totals')}</h3>
          <dl className="statistics-totals" aria-labelledby="statistics-totals">
            {ALL.map((m) => (
              <div key={m} data-testid={`total-${m}`}>
                <dt>{measureName(m)}</dt>
                <dd>{value(m, report.totals[m])}</dd>
              </div>
            ))}
          </dl>
          <a
            href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`}
            download={`statistics-${report.from}-${report.to}-${report.groupBy}.csv`}
          >
            {t('statistics.csv')}
          </a>
          <StatChart
            title={t('statistics.circulationChart')}
            rows={report.rows}
            measures={CIRCULATION}
            label={label}
            measureName={measureName}
            value={value}
            groupName={t(`statistics.groupings.${report.groupBy}`)}
          />
          <div className="statistics-activity">
            <ChoiceSelect
              label={t('statistics.activityMeasure')}
              value={activity}
              onChange={(m) => setActivity(m as Measure)}
              choices={ACTIVITY.map((m) => ({ id: m, name: measureName(m) }))}
            />
            {activity === 'activePatrons' ? <p className="hint">{t('statistics.activeHint')}</p> : null}
          </div>
          <StatChart
            title={measureName(activity)}
            rows={report.rows}
            measures={[activity]}
            label={label}
            measureName={measureName}
            value={value}
            groupName={t(`statistics.groupings.${report.groupBy}`)}
          />
        </>
      ) : null}
    </section>
  );
}

/** One chart of some measures by group, and beside it the same numbers as a table. */
function StatChart({
  title,
  rows,
  measures,
  label,
  measureName,
  value,
  groupName,
}: {
  title: string;
  rows: Row[];
  measures: Measure[];
  label: (r: Row) => string;
  measureName: (m: Measure) => string;
  value: (m: Measure, n: number | null) => string;
  groupName: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const data = rows.map((r) => ({ name: label(r), ...Object.fromEntries(measures.map((m) => [m, r[m] ?? 0])) }));
  const applicable = rows.some((r) => measures.some((m) => r[m] !== null));
  const description = t('statistics.chartDescription', {
    measures: measures.map(measureName).join(', '),
    groups: rows.length,
    grouping: groupName,
  });
  return (
    <figure className="statistics-figure" aria-labelledby={`${id}-title`} data-testid="statistics-chart">
      <h3 id={`${id}-title`}>{title}</h3>
      <div className="statistics-pair">
        <div className="statistics-chart">
          {applicable ? (
            <>
              <ResponsiveContainer width="100%" height={260}>
                <BarChart
                  data={data}
                  title={title}
                  desc={`${description} ${t('statistics.keyboardHint')}`}
                  margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
                >
                  <CartesianGrid strokeDasharray="3 3" className="statistics-grid" />
                  <XAxis dataKey="name" tick={{ fontSize: 12 }} />
                  <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
                  <Tooltip formatter={(v, name) => [value(name as Measure, Number(v)), measureName(name as Measure)]} />
                  {measures.map((m) => (
                    <Bar
                      key={m}
                      dataKey={m}
                      name={m}
                      className={`statistics-bar ${colourOf(m)}`}
                      fill="currentColor"
                      isAnimationActive={false}
                    />
                  ))}
                </BarChart>
              </ResponsiveContainer>
              <ul className="chart-legend" aria-hidden="true">
                {measures.map((m) => (
                  <li key={m}>
                    <span className={`swatch ${colourOf(m)}`} />
                    {measureName(m)}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('statistics.notByGroup')}</p>
          )}
        </div>
        {/* Scrolls when a year is shown by day: focusable, so the keyboard can scroll it. */}
        <div className="statistics-table" tabIndex={0} role="region" aria-label={t('statistics.tableOf', { title })}>
          <table className="loans">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{groupName.charAt(0).toLocaleUpperCase() + groupName.slice(1)}</th>
                {measures.map((m) => (
                  <th scope="col" key={m}>
                    {measureName(m)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-testid="statistics-row">
                  <th scope="row">{label(r)}</th>
                  {measures.map((m) => (
                    <td key={m}>{value(m, r[m])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </figure>
  );
}
