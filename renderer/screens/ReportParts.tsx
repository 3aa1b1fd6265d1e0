// The parts of the Reports screen that draw or export data: the two charts of today, the
// overdue table with its CSV and its printable notices, the items in transit. Each takes its data as props, so a
// component test can check it without a station.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SortHeader, useSort } from '../components/SortableTable';
import { Badge } from '../components/ui/Badge';
import type { ApiOutput } from '../../src/api/contract';
import { useBranchTimeZone, useDeskLocale } from '../components/useDeskLocale';
import { dayOf, formatDate } from '../format';
import { printHtml } from '../print';
import { useSession } from '../state/session';

type Today = ApiOutput<'reports.today'>;
export type Overdue = ApiOutput<'reports.overdue'>;

/** CSV with every field quoted, so titles with commas survive a spreadsheet. */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const q = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
  return [cols.map(q).join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))].join('\r\n');
}

/** The overdue list as CSV; the due date is the branch's calendar day (a loan due 23:59 in New York is not due the next day). */
export function overdueCsv(overdue: Overdue, timeZone: string | null): string {
  return toCsv(overdue.map((o) => ({ ...o, dueAt: dayOf(o.dueAt, timeZone) })));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface NoticeContext {
  t: TFunction;
  language: string;
  locale: string;
  timeZone: string | null;
  libraryName: string | null;
  branchName: string | null;
  now: number;
}

/**
 * Overdue notices to print: one per patron (by card), each on its own page, listing that
 * patron's overdue items with their due dates in the branch's date and the desk's language.
 * The card shows only its last four digits, as slips do.
 */
export function overdueNoticesHtml(overdue: Overdue, c: NoticeContext): string {
  const byCard = new Map<string, Overdue>();
  for (const o of overdue) byCard.set(o.cardBarcode, [...(byCard.get(o.cardBarcode) ?? []), o]);
  const patrons = [...byCard.values()].sort((a, b) => a[0]!.patronName.localeCompare(b[0]!.patronName, c.locale));
  const e = escapeHtml;
  const from = [c.libraryName, c.branchName].filter(Boolean).join(' · ');
  const notices = patrons.map((loans) => {
    const p = loans[0]!;
    const rows = loans
      .map(
        (o) =>
          `<tr><td>${e(o.title)}</td><td>${e(o.itemBarcode)}</td><td>${e(formatDate(o.dueAt, c.locale, c.timeZone))}</td><td>${o.daysOverdue}</td></tr>`,
      )
      .join('');
    return [
      `<section class="notice" data-card="${e(p.cardBarcode)}">`,
      from ? `<p class="from">${e(from)}</p>` : '',
      `<p class="date">${e(formatDate(c.now, c.locale, c.timeZone))}</p>`,
      `<h1>${e(c.t('reports.notice.heading'))}</h1>`,
      `<p>${e(c.t('reports.notice.greeting', { name: p.patronName }))}<br>${e(c.t('reports.notice.card', { digits: p.cardBarcode.slice(-4) }))}</p>`,
      `<p>${e(c.t('reports.notice.intro'))}</p>`,
      `<table><thead><tr><th>${e(c.t('reports.notice.title'))}</th><th>${e(c.t('reports.notice.barcode'))}</th><th>${e(c.t('reports.notice.due'))}</th><th>${e(c.t('reports.notice.days'))}</th></tr></thead><tbody>${rows}</tbody></table>`,
      `<p>${e(c.t('reports.notice.closing'))}</p>`,
      '</section>',
    ].join('');
  });
  const style = [
    'body{font-family:system-ui,sans-serif;font-size:12pt;color:#000;margin:0}',
    '.notice{padding:16mm}',
    // One patron per page: a break before every notice but the first.
    '.notice+.notice{break-before:page;page-break-before:always}',
    'table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #888;padding:4px 6px}',
    '.from,.date{margin:0 0 4px}',
  ].join('');
  return `<!doctype html><html lang="${e(c.language)}"><head><meta charset="utf-8"><title>${e(c.t('reports.notice.documentTitle'))}</title><style>${style}</style></head><body>${notices.join('')}</body></html>`;
}

/** Bars drawn as SVG, with the same numbers in a table for screen readers and for printing. All 24 hours of the branch's day. */
export function HourChart({ today }: { today: Today }) {
  const { t } = useTranslation();
  const counts = new Map(today.byHour.map((h) => [h.hour, h]));
  const hours = Array.from(
    { length: 24 },
    (_, hour) => counts.get(hour) ?? { hour, checkouts: 0, checkins: 0, renewals: 0 },
  );
  const max = Math.max(1, ...hours.map((h) => h.checkouts + h.checkins + h.renewals));
  const w = 22;
  return (
    <figure>
      <svg
        role="img"
        aria-labelledby="chart-title"
        width={hours.length * (w + 6)}
        height={140}
        viewBox={`0 0 ${hours.length * (w + 6)} 140`}
        className="chart"
      >
        <title id="chart-title">{t('reports.chartTitle')}</title>
        {hours.map((h, i) => {
          const parts = [
            { n: h.checkouts, cls: 'bar-out' },
            { n: h.checkins, cls: 'bar-in' },
            { n: h.renewals, cls: 'bar-renew' },
          ];
          let y = 120;
          return (
            <g key={h.hour} data-testid="hour-bar">
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
      <figcaption>
        <ul className="chart-legend">
          <li className="legend-out">
            <span className="swatch" aria-hidden="true" />
            {t('reports.checkouts')}
          </li>
          <li className="legend-in">
            <span className="swatch" aria-hidden="true" />
            {t('reports.checkins')}
          </li>
          <li className="legend-renew">
            <span className="swatch" aria-hidden="true" />
            {t('reports.renewals')}
          </li>
        </ul>
      </figcaption>
      <table className="data-table report-table">
        <thead>
          <tr>
            <th scope="col">{t('reports.hour')}</th>
            <th scope="col" className="num">
              {t('reports.checkouts')}
            </th>
            <th scope="col" className="num">
              {t('reports.checkins')}
            </th>
            <th scope="col" className="num">
              {t('reports.renewals')}
            </th>
          </tr>
        </thead>
        <tbody>
          {hours
            .filter((h) => h.checkouts + h.checkins + h.renewals > 0)
            .map((h) => (
              <tr key={h.hour} data-testid="hour-row">
                <th scope="row">{`${h.hour}:00`}</th>
                <td className="num">{h.checkouts}</td>
                <td className="num">{h.checkins}</td>
                <td className="num">{h.renewals}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Today's loans by item type: horizontal bars (the item type's name when known), and the same numbers in a table. */
export function ItemTypeChart({
  byItemType,
  names,
}: {
  byItemType: Today['byItemType'];
  names: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const heading = <h3 id="types-title">{t('reports.typesChartTitle')}</h3>;
  if (byItemType.length === 0)
    return (
      <>
        {heading}
        <p>{t('reports.noLoansToday')}</p>
      </>
    );
  const max = Math.max(1, ...byItemType.map((x) => x.loans));
  const label = 150;
  const bars = 300;
  const row = 26;
  const name = (code: string) => names.get(code) ?? code;
  return (
    <figure>
      {heading}
      <svg
        role="img"
        aria-labelledby="types-title"
        width={label + bars + 50}
        height={byItemType.length * row + 4}
        viewBox={`0 0 ${label + bars + 50} ${byItemType.length * row + 4}`}
        className="chart chart-types"
      >
        {byItemType.map((x, i) => (
          <g key={x.itemType} data-testid="type-bar">
            <text x={label - 8} y={i * row + 18} textAnchor="end" fontSize="13">
              {name(x.itemType)}
            </text>
            <rect className="bar-type" x={label} y={i * row + 4} width={(x.loans / max) * bars} height={row - 8} />
            <text x={label + (x.loans / max) * bars + 6} y={i * row + 18} fontSize="13">
              {x.loans}
            </text>
          </g>
        ))}
      </svg>
      <table className="data-table report-table">
        <thead>
          <tr>
            <th scope="col">{t('reports.itemType')}</th>
            <th scope="col" className="num">
              {t('reports.loans')}
            </th>
          </tr>
        </thead>
        <tbody>
          {byItemType.map((x) => (
            <tr key={x.itemType} data-testid="type-row">
              <th scope="row">{name(x.itemType)}</th>
              <td className="num">{x.loans}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The overdue loans: the list, the CSV and the printable notices (through the browser's print). */
export function OverdueSection({
  overdue,
  print = printHtml,
  now = Date.now,
}: {
  overdue: Overdue;
  print?: (html: string) => void;
  now?: () => number;
}) {
  const { t, i18n } = useTranslation();
  const locale = useDeskLocale();
  const timeZone = useBranchTimeZone();
  const setup = useSession((s) => s.setup);
  const csvHref = `data:text/csv;charset=utf-8,${encodeURIComponent(overdueCsv(overdue, timeZone))}`;
  const printNotices = () =>
    print(
      overdueNoticesHtml(overdue, {
        t,
        language: i18n.language.slice(0, 2),
        locale,
        timeZone,
        libraryName: setup?.libraryName ?? null,
        branchName: setup?.branchName ?? null,
        now: now(),
      }),
    );
  return (
    <section aria-labelledby="overdue">
      <h2 id="overdue">{t('reports.overdue')}</h2>
      <a href={csvHref} download="overdue.csv">
        {t('reports.csv')}
      </a>{' '}
      <button type="button" onClick={printNotices} disabled={overdue.length === 0}>
        {t('reports.printNotices')}
      </button>
      {overdue.length === 0 ? (
        <p>{t('reports.noOverdue')}</p>
      ) : (
        <OverdueTable overdue={overdue} locale={locale} timeZone={timeZone} />
      )}
    </section>
  );
}

type OverdueColumn = 'patron' | 'title' | 'barcode' | 'due' | 'days';

/** The overdue loans as a table staff sort: most overdue first, by patron to call them in turn. */
function OverdueTable({ overdue, locale, timeZone }: { overdue: Overdue; locale: string; timeZone: string | null }) {
  const { t } = useTranslation();
  const { sorted, sort, toggle } = useSort<Overdue[number], OverdueColumn>(
    overdue,
    {
      patron: (o) => o.patronName,
      title: (o) => o.title,
      barcode: (o) => o.itemBarcode,
      due: (o) => o.dueAt,
      days: (o) => o.daysOverdue,
    },
    { key: 'days', direction: 'descending' },
    locale,
  );
  const header = (column: OverdueColumn, label: string) => (
    <SortHeader column={column} sort={sort} onSort={toggle}>
      {label}
    </SortHeader>
  );
  return (
    <table className="data-table">
      <thead>
        <tr>
          {header('patron', t('reports.columns.patron'))}
          {header('title', t('reports.columns.title'))}
          {header('barcode', t('reports.columns.barcode'))}
          {header('due', t('reports.columns.due'))}
          {header('days', t('reports.columns.daysOverdue'))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((o) => (
          <tr key={o.itemBarcode} data-testid="overdue-row">
            <td>{o.patronName}</td>
            <td>{o.title}</td>
            <td>{o.itemBarcode}</td>
            <td>{formatDate(o.dueAt, locale, timeZone)}</td>
            <td>
              <Badge tone="overdue">{t('reports.daysOverdueBadge', { count: o.daysOverdue })}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Copies on their way to another branch: what, which copy, where to. */
export function TransitTable({ transit }: { transit: ApiOutput<'reports.inTransit'> }) {
  const { t } = useTranslation();
  if (transit.length === 0) return <p>{t('reports.noTransit')}</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">{t('reports.columns.title')}</th>
          <th scope="col">{t('reports.columns.barcode')}</th>
          <th scope="col">{t('reports.columns.to')}</th>
        </tr>
      </thead>
      <tbody>
        {transit.map((x) => (
          <tr key={x.itemBarcode} data-testid="transit-row">
            <td>{x.title}</td>
            <td>{x.itemBarcode}</td>
            <td>
              <Badge tone="transit">{x.toBranch}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
