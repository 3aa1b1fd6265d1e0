// Shelf reading: staff scan a shelf copy after copy with the scanner alone, and each scan says at
// once what is wrong with the copy (a badge per problem, read out politely), with a button for
// what can be put right on the spot (check it in, mark it found). "End of range" lists the copies
// the catalogue expects between the first and last call numbers scanned that nobody scanned. The
// not-seen report, with its CSV, is below. The station records each scan as the copy's last
// sighting (src/services/shelf.ts).
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { compareCallNumbers } from '../../src/domain/call-number';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { Badge, type Tone } from '../components/ui/Badge';
import { dayOf, useDeskFormat } from '../format';
import { useNewScans } from '../state/scans';
import { toCsv } from './ReportParts';
import '../styles/circulation.css';

type Scanned = ApiOutput<'shelf.scan'> & { fixed?: 'checked_in' | 'found' };
type ShelfProblem = Scanned['problems'][number];
type Copy = ApiOutput<'shelf.missing'>[number];

const TONES: Record<ShelfProblem['code'], Tone> = {
  OUT_OF_ORDER: 'warning',
  OTHER_BRANCH: 'transit',
  OTHER_LOCATION: 'transit',
  ON_LOAN: 'info',
  MARKED_LOST: 'lost',
  HOLD_WAITING: 'hold',
  UNEXPECTED_STATUS: 'warning',
};

function ProblemBadges({ r }: { r: Scanned }) {
  const { t } = useTranslation();
  if (r.problems.length === 0) return <Badge tone="ok">{t('shelf.inOrder')}</Badge>;
  return (
    <>
      {r.problems.map((p) => (
        <Badge key={p.code} tone={TONES[p.code]}>
          {t(`shelf.problems.${p.code}`, {
            ...p.params,
            status: p.params?.status ? t(`catalogue.statuses.${String(p.params.status)}`) : '',
          })}
        </Badge>
      ))}
    </>
  );
}

export function Shelf() {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const [location, setLocation] = useState('');
  const [since, setSince] = useState(() => Date.now());
  const [scans, setScans] = useState<Scanned[]>([]);
  const [missing, setMissing] = useState<Copy[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [said, setSaid] = useState('');
  const field = useRef<HTMLInputElement>(null);
  // Scans go to the station one after another, each naming the copy recorded just before it:
  // a scanner is faster than a round trip, and the order is the whole point.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const previous = useRef<string | null>(null);

  function scan(itemBarcode: string) {
    const barcode = itemBarcode.trim();
    if (!barcode) return;
    if (field.current) field.current.value = '';
    queue.current = queue.current.then(async () => {
      setError(null);
      try {
        const r = await client.call('shelf.scan', {
          itemBarcode: barcode,
          previousBarcode: previous.current,
          location: location.trim() || null,
        });
        previous.current = r.itemBarcode;
        setScans((list) => [r, ...list]);
      } catch (err) {
        setError(asError(err));
      }
    });
  }

  useNewScans((s) => {
    if (s.kind !== 'patron') scan(s.barcode);
  });

  function newRange() {
    setScans([]);
    previous.current = null;
    setMissing(null);
    setError(null);
    setSince(Date.now());
    setSaid(t('shelf.rangeStarted'));
    field.current?.focus();
  }

  async function endRange() {
    setError(null);
    const numbers = scans
      .map((s) => s.callNumber)
      .filter((c): c is string => !!c?.trim())
      .sort(compareCallNumbers);
    if (numbers.length === 0) {
      setSaid(t('shelf.nothingScanned'));
      return;
    }
    try {
      // Seen since the range began, by the station's clock (its first scan's time), whatever this PC's says.
      const began = Math.min(since, scans[scans.length - 1]!.seenAt);
      const list = await client.call('shelf.missing', {
        from: numbers[0]!,
        to: numbers[numbers.length - 1]!,
        location: location.trim() || null,
        since: began,
      });
      setMissing(list);
      setSaid(t('shelf.missingCount', { count: list.length }));
    } catch (err) {
      setError(asError(err));
    }
  }

  async function fix(r: Scanned, how: 'checked_in' | 'found') {
    setError(null);
    try {
      if (how === 'checked_in') await client.call('circulation.checkin', { itemBarcode: r.itemBarcode });
      else await client.call('catalogue.setItemStatus', { itemBarcode: r.itemBarcode, change: 'found' });
      setScans((list) => list.map((x) => (x === r ? { ...x, fixed: how } : x)));
      setSaid(t(how === 'checked_in' ? 'shelf.checkedIn' : 'shelf.markedFound', { barcode: r.itemBarcode }));
      field.current?.focus();
    } catch (err) {
      setError(asError(err));
    }
  }

  const latest = scans[0];
  return (
    <main id="main" className="circ shelf">
      <h1>{t('shelf.title')}</h1>
      <p>{t('shelf.intro')}</p>
      <form
        className="barcode-bar"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          scan(field.current?.value ?? '');
        }}
      >
        <Field
          label={t('shelf.itemBarcode')}
          ref={field}
          name="itemBarcode"
          data-barcode-field=""
          autoComplete="off"
          autoFocus
          inputMode="numeric"
        />
        <Field
          label={t('shelf.location')}
          hint={t('shelf.locationHint')}
          name="location"
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          maxLength={100}
        />
        <button type="submit">{t('shelf.record')}</button>
        <button type="button" onClick={() => void endRange()}>
          {t('shelf.endRange')}
        </button>
        <button type="button" className="quiet" onClick={newRange}>
          {t('shelf.newRange')}
        </button>
      </form>
      <Problem error={error} />
      <p role="status" className="sr-status" data-testid="shelf-said">
        {said}
      </p>
      {latest ? (
        <section aria-labelledby="shelf-latest" className="shelf-latest" data-testid="shelf-latest" aria-live="polite">
          <h2 id="shelf-latest">{t('shelf.latest')}</h2>
          <p>
            <strong>{latest.callNumber ?? t('shelf.noCallNumber')}</strong> · {latest.title} ({latest.itemBarcode})
          </p>
          <p className="badges">
            <ProblemBadges r={latest} />
          </p>
        </section>
      ) : null}
      <section aria-labelledby="shelf-scans">
        <h2 id="shelf-scans">
          {t('shelf.scans')}{' '}
          <span className="count" data-testid="shelf-count">
            {t('shelf.count', { count: scans.length })}
          </span>
        </h2>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('catalogue.callNumber')}</th>
              <th scope="col">{t('circ.colTitle')}</th>
              <th scope="col">{t('circ.colBarcode')}</th>
              <th scope="col">{t('shelf.colProblems')}</th>
              <th scope="col">{t('circ.colAction')}</th>
            </tr>
          </thead>
          <tbody>
            {scans.map((r, i) => (
              <tr
                key={`${r.itemId}-${scans.length - i}`}
                data-testid="shelf-row"
                className={i === 0 ? 'latest' : undefined}
              >
                <td className="nowrap">{r.callNumber ?? ''}</td>
                <td>{r.title}</td>
                <td className="nowrap">{r.itemBarcode}</td>
                <td className="badges">
                  <ProblemBadges r={r} />
                  {r.fixed ? (
                    <Badge tone="ok">{t(r.fixed === 'checked_in' ? 'shelf.fixedCheckedIn' : 'shelf.fixedFound')}</Badge>
                  ) : null}
                </td>
                <td className="nowrap">
                  {!r.fixed && r.problems.some((p) => p.code === 'ON_LOAN') ? (
                    <button type="button" className="small" onClick={() => void fix(r, 'checked_in')}>
                      {t('shelf.checkIn', { barcode: r.itemBarcode })}
                    </button>
                  ) : null}
                  {!r.fixed && r.problems.some((p) => p.code === 'MARKED_LOST') ? (
                    <button type="button" className="small" onClick={() => void fix(r, 'found')}>
                      {t('shelf.markFound', { barcode: r.itemBarcode })}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {missing ? (
        <section aria-labelledby="shelf-missing" data-testid="shelf-missing">
          <h2 id="shelf-missing">{t('shelf.missingTitle')}</h2>
          {missing.length === 0 ? (
            <p>{t('shelf.noneMissing')}</p>
          ) : (
            <CopyTable copies={missing} label={t('shelf.missingTitle')} />
          )}
        </section>
      ) : null}
      <NotSeenReport location={location} timeZone={f.timeZone} />
    </main>
  );
}

function CopyTable({ copies, label }: { copies: Copy[]; label: string }) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  return (
    <table className="data-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('catalogue.callNumber')}</th>
          <th scope="col">{t('circ.colTitle')}</th>
          <th scope="col">{t('circ.colBarcode')}</th>
          <th scope="col">{t('shelf.colStatus')}</th>
          <th scope="col">{t('shelf.colLastSeen')}</th>
        </tr>
      </thead>
      <tbody>
        {copies.map((c) => (
          <tr key={c.itemId}>
            <td className="nowrap">{c.callNumber ?? ''}</td>
            <td>{c.title}</td>
            <td className="nowrap">{c.itemBarcode}</td>
            <td>{t(`catalogue.statuses.${c.status}`)}</td>
            <td>{c.lastSeenAt === null ? t('shelf.neverSeen') : f.date(c.lastSeenAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Copies of this branch not seen since a day: on screen and as CSV. */
function NotSeenReport({ location, timeZone }: { location: string; timeZone: string | null }) {
  const { t } = useTranslation();
  const [since, setSince] = useState('');
  const [copies, setCopies] = useState<Copy[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const csv = copies
    ? toCsv(
        copies.map((c) => ({
          barcode: c.itemBarcode,
          callNumber: c.callNumber ?? '',
          title: c.title,
          location: c.location ?? '',
          status: c.status,
          lastSeen: c.lastSeenAt === null ? '' : dayOf(c.lastSeenAt, timeZone),
        })),
      )
    : '';
  return (
    <section aria-labelledby="not-seen" className="not-seen">
      <h2 id="not-seen">{t('shelf.notSeenTitle')}</h2>
      <form
        className="barcode-bar"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setError(null);
          client
            .call('shelf.notSeen', { since, location: location.trim() || null })
            .then(setCopies, (err: unknown) => setError(asError(err)));
        }}
      >
        <Field
          label={t('shelf.notSeenSince')}
          name="notSeenSince"
          type="date"
          required
          value={since}
          onChange={(e) => setSince(e.target.value)}
        />
        <button type="submit">{t('shelf.showNotSeen')}</button>
      </form>
      <Problem error={error} />
      {copies ? (
        <>
          <p data-testid="not-seen-count">{t('shelf.notSeenCount', { count: copies.length })}</p>
          {copies.length > 0 ? (
            <>
              <a
                href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`}
                download={`not-seen-since-${since}.csv`}
              >
                {t('reports.csv')}
              </a>
              <CopyTable copies={copies} label={t('shelf.notSeenTitle')} />
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
