// Interlibrary loan (docs/ill.md): the open requests by state, each with what to do next; a new
// borrowing request (from a catalogue search that found nothing, or typed) and a new lending
// request (typed, or read from an ISO 18626 message); the pull list; a request's ISO 18626
// messages to send. Every button is one station command; a slip prints by itself when a
// package leaves.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { Badge, type Tone } from '../components/ui/Badge';
import { useDeskFormat } from '../format';
import { printHtml } from '../print';

type Request = ApiOutput<'ill.list'>[number];

/** The order the screen lists states in: the life cycle's, borrowing then lending. */
const BORROWING_STATES = ['requested', 'sent', 'shipped', 'received', 'on_loan', 'returned'] as const;
const LENDING_STATES = ['requested', 'pulled', 'checked_out', 'shipped'] as const;

const TONE: Record<string, Tone> = {
  requested: 'info',
  sent: 'info',
  shipped: 'transit',
  received: 'hold',
  on_loan: 'ok',
  returned: 'warning',
  pulled: 'hold',
  checked_out: 'ok',
};

const text = (form: FormData, name: string) => {
  const v = String(form.get(name) ?? '').trim();
  return v === '' ? null : v;
};

export function Ill({ draftTitle = null }: { draftTitle?: string | null }) {
  const { t } = useTranslation();
  const [requests, setRequests] = useState<Request[]>([]);
  const [pulls, setPulls] = useState<ApiOutput<'ill.pullList'>>([]);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [xml, setXml] = useState<{ title: string; xml: string } | null>(null);
  const [lendingDraft, setLendingDraft] = useState<Partial<Record<string, string>>>({});

  const refresh = async () => {
    setRequests(await client.call('ill.list', {}));
    setPulls(await client.call('ill.pullList', {}));
  };
  useEffect(() => void refresh().catch((err: unknown) => setError(asError(err))), []);

  /** Runs one step, says it was done, prints the package's slip on the system printer when there is no receipt printer. */
  async function run(work: () => Promise<unknown>, done: string) {
    setError(null);
    setMessage('');
    try {
      const answer = (await work()) as { slipHtml?: string | null; printJob?: number | null } | undefined;
      if (answer?.slipHtml && answer.printJob == null) printHtml(answer.slipHtml);
      setMessage(done);
      await refresh();
    } catch (err) {
      setError(asError(err));
    }
  }

  async function requestBorrowing(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const target = e.currentTarget;
    await run(async () => {
      const patron = await client.call('patrons.lookup', { barcode: String(form.get('card') ?? '') });
      await client.call('ill.requestBorrowing', {
        patronId: patron.patron.id,
        title: String(form.get('title') ?? ''),
        author: text(form, 'author'),
        isbn: text(form, 'isbn'),
        partnerName: String(form.get('partner') ?? ''),
        partnerAgencyId: text(form, 'agency'),
        needBy: text(form, 'needBy'),
      });
      target.reset();
    }, t('ill.saidRequested'));
  }

  async function recordLending(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const target = e.currentTarget;
    await run(async () => {
      await client.call('ill.recordLending', {
        partnerName: String(form.get('partner') ?? ''),
        partnerAgencyId: text(form, 'agency'),
        libraryCardBarcode: String(form.get('card') ?? ''),
        requestingRequestId: String(form.get('theirId') ?? ''),
        title: String(form.get('title') ?? ''),
        author: text(form, 'author'),
        isbn: text(form, 'isbn'),
        lenderDueOn: text(form, 'due'),
      });
      target.reset();
      setLendingDraft({});
    }, t('ill.saidRecorded'));
  }

  /** An ISO 18626 request that arrived fills the lending form. */
  async function readMessage(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    try {
      const m = await client.call('ill.readIso', { xml: String(form.get('xml') ?? '') });
      setLendingDraft({
        title: m.title ?? '',
        author: m.author ?? '',
        isbn: m.isbn ?? '',
        agency: m.requestingAgencyId,
        theirId: m.requestingAgencyRequestId,
      });
      setMessage(t('ill.saidRead', { kind: t(`ill.messages.${m.kind}`) }));
    } catch (err) {
      setError(asError(err));
    }
  }

  async function exportMessage(r: Request, kind: 'request' | 'supplyingAgencyMessage' | 'requestingAgencyMessage') {
    setError(null);
    try {
      setXml({ title: r.title, xml: (await client.call('ill.exportIso', { id: r.id, message: kind })).xml });
    } catch (err) {
      setError(asError(err));
    }
  }

  const open = (direction: 'borrowing' | 'lending', status: string) =>
    requests.filter((r) => r.direction === direction && r.status === status);

  return (
    <main id="main" className="ill">
      <h1>{t('ill.title')}</h1>
      <p role="status" className="saved">
        {message}
      </p>
      <Problem error={error} />

      {(['borrowing', 'lending'] as const).map((direction) => (
        <section key={direction} aria-labelledby={`ill-${direction}`}>
          <h2 id={`ill-${direction}`}>{t(`ill.${direction}`)}</h2>
          {(direction === 'borrowing' ? BORROWING_STATES : LENDING_STATES).map((status) => {
            const list = open(direction, status);
            if (list.length === 0) return null;
            return (
              <section key={status} aria-labelledby={`ill-${direction}-${status}`}>
                <h3 id={`ill-${direction}-${status}`}>
                  {t(`ill.status.${status}`)} ({list.length})
                </h3>
                <table className="records">
                  <thead>
                    <tr>
                      <th scope="col">{t('ill.col.title')}</th>
                      <th scope="col">{t(direction === 'borrowing' ? 'ill.col.patron' : 'ill.col.library')}</th>
                      <th scope="col">{t(direction === 'borrowing' ? 'ill.col.lender' : 'ill.col.requestId')}</th>
                      <th scope="col">{t('ill.col.since')}</th>
                      <th scope="col">{t('ill.col.next')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((r) => (
                      <RequestRow key={r.id} request={r} run={run} onExport={(kind) => void exportMessage(r, kind)} />
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
          {(direction === 'borrowing' ? BORROWING_STATES : LENDING_STATES).every(
            (s) => open(direction, s).length === 0,
          ) ? (
            <p>{t('ill.none')}</p>
          ) : null}
        </section>
      ))}

      {xml ? (
        <section aria-labelledby="ill-xml">
          <h2 id="ill-xml">{t('ill.isoFor', { title: xml.title })}</h2>
          <label className="field">
            {t('ill.isoCopy')}
            <textarea readOnly rows={10} value={xml.xml} className="iso-xml" />
          </label>
        </section>
      ) : null}

      <section aria-labelledby="ill-pull">
        <h2 id="ill-pull">{t('ill.pullList')}</h2>
        {pulls.length === 0 ? <p>{t('ill.pullNone')}</p> : null}
        <ul>
          {pulls.map((p) => (
            <li key={p.requestId}>
              <strong>{p.title}</strong> — {p.partnerName}:{' '}
              {p.copies.length === 0
                ? t('ill.noCopy')
                : p.copies.map((c) => `${c.itemBarcode}${c.callNumber ? ` (${c.callNumber})` : ''}`).join(', ')}
            </li>
          ))}
        </ul>
      </section>

      {/* The two new-request forms side by side (one above the other in a narrow window), each
          a panel whose fields share rows: the screen's lists stay in sight above them. */}
      <div className="ill-new">
        <section aria-labelledby="ill-new-borrowing" className="panel">
          <h2 id="ill-new-borrowing">{t('ill.newBorrowing')}</h2>
          <form onSubmit={(e) => void requestBorrowing(e)} key={draftTitle ?? ''} className="grid-form">
            <Field label={t('ill.field.card')} name="card" required autoComplete="off" inputMode="numeric" />
            <Field label={t('ill.field.title')} name="title" required defaultValue={draftTitle ?? ''} />
            <Field label={t('ill.field.author')} name="author" />
            <Field label={t('ill.field.isbn')} name="isbn" />
            <Field label={t('ill.field.lender')} name="partner" required />
            <Field label={t('ill.field.agency')} name="agency" hint={t('ill.field.agencyHint')} />
            <Field label={t('ill.field.needBy')} name="needBy" type="date" />
            <div className="form-buttons ill-submit">
              <button type="submit">{t('ill.requestButton')}</button>
            </div>
          </form>
        </section>

        <section aria-labelledby="ill-new-lending" className="panel">
          <h2 id="ill-new-lending">{t('ill.newLending')}</h2>
          <form onSubmit={(e) => void readMessage(e)}>
            <label className="field">
              {t('ill.field.xml')}
              <textarea name="xml" rows={4} />
            </label>
            <div className="form-buttons">
              <button type="submit">{t('ill.readButton')}</button>
            </div>
          </form>
          <form onSubmit={(e) => void recordLending(e)} key={JSON.stringify(lendingDraft)} className="grid-form">
            <Field label={t('ill.field.library')} name="partner" required />
            <Field
              label={t('ill.field.agency')}
              name="agency"
              defaultValue={lendingDraft.agency ?? ''}
              hint={t('ill.field.agencyHint')}
            />
            <Field label={t('ill.field.libraryCard')} name="card" required autoComplete="off" inputMode="numeric" />
            <Field label={t('ill.field.theirId')} name="theirId" required defaultValue={lendingDraft.theirId ?? ''} />
            <Field label={t('ill.field.title')} name="title" required defaultValue={lendingDraft.title ?? ''} />
            <Field label={t('ill.field.author')} name="author" defaultValue={lendingDraft.author ?? ''} />
            <Field label={t('ill.field.isbn')} name="isbn" defaultValue={lendingDraft.isbn ?? ''} />
            <Field label={t('ill.field.dueBack')} name="due" type="date" />
            <div className="form-buttons ill-submit">
              <button type="submit">{t('ill.recordButton')}</button>
            </div>
          </form>
        </section>
      </div>
    </main>
  );
}

/** One request: what it is, since when, and the buttons for its next step. */
function RequestRow({
  request: r,
  run,
  onExport,
}: {
  request: Request;
  run: (work: () => Promise<unknown>, done: string) => Promise<void>;
  onExport: (kind: 'request' | 'supplyingAgencyMessage' | 'requestingAgencyMessage') => void;
}) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const [date, setDate] = useState(r.lenderDueOn ?? '');
  const [barcode, setBarcode] = useState('');
  const said = (status: string) => t('ill.saidStep', { title: r.title, status: t(`ill.status.${status}`) });
  const step =
    (name: 'ill.send' | 'ill.shipBack' | 'ill.shipLending' | 'ill.cancel' | 'ill.markUnfilled', status: string) => () =>
      void run(() => client.call(name, { id: r.id }), said(status));
  const who = r.patron ? `${r.patron.firstName} ${r.patron.lastName}`.trim() : '';
  const label = (action: string) => t('ill.actionFor', { action: t(`ill.action.${action}`), title: r.title });
  let next: ReactNode = <span>{t(`ill.action.${r.nextAction}`)}</span>;
  switch (r.nextAction) {
    case 'send':
      next = (
        <button type="button" aria-label={label('send')} onClick={step('ill.send', 'sent')}>
          {t('ill.action.send')}
        </button>
      );
      break;
    case 'mark_shipped':
    case 'receive':
      next = (
        <>
          <label>
            {t('ill.field.lenderDue')} <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>{' '}
          <button
            type="button"
            aria-label={label(r.nextAction)}
            onClick={() =>
              void run(
                () =>
                  r.nextAction === 'receive'
                    ? client.call('ill.receive', { id: r.id, lenderDueOn: date })
                    : client.call('ill.markShipped', { id: r.id, lenderDueOn: date || null }),
                said(r.nextAction === 'receive' ? 'received' : 'shipped'),
              )
            }
          >
            {t(`ill.action.${r.nextAction}`)}
          </button>
        </>
      );
      break;
    case 'ship_back':
      next = (
        <button type="button" aria-label={label('ship_back')} onClick={step('ill.shipBack', 'shipped_back')}>
          {t('ill.action.ship_back')}
        </button>
      );
      break;
    case 'pull':
      next = (
        <>
          <label>
            {t('ill.field.itemBarcode')}{' '}
            <input
              value={barcode}
              onChange={(e) => setBarcode(e.target.value)}
              autoComplete="off"
              inputMode="numeric"
            />
          </label>{' '}
          <button
            type="button"
            aria-label={label('pull')}
            onClick={() => void run(() => client.call('ill.pull', { id: r.id, itemBarcode: barcode }), said('pulled'))}
          >
            {t('ill.action.pull')}
          </button>
        </>
      );
      break;
    case 'check_out_to_library':
      next = (
        <button
          type="button"
          aria-label={label('check_out_to_library')}
          onClick={() =>
            void run(
              () =>
                client.call('circulation.checkout', {
                  patronBarcode: r.patron?.cardBarcode ?? '',
                  itemBarcode: r.itemBarcode ?? '',
                }),
              said('checked_out'),
            )
          }
        >
          {t('ill.action.check_out_to_library')}
        </button>
      );
      break;
    case 'ship':
      next = (
        <button type="button" aria-label={label('ship')} onClick={step('ill.shipLending', 'shipped')}>
          {t('ill.action.ship')}
        </button>
      );
      break;
  }
  const cancellable = r.nextSteps.includes('cancelled');
  return (
    <tr>
      <td>
        <strong>{r.title}</strong>
        {r.author ? <div>{r.author}</div> : null}
        {r.itemBarcode ? <div>{r.itemBarcode}</div> : null}
        <Badge tone={TONE[r.status] ?? 'info'}>{t(`ill.status.${r.status}`)}</Badge>
      </td>
      <td>{r.direction === 'borrowing' ? who : r.partnerName}</td>
      <td>{r.direction === 'borrowing' ? r.partnerName : r.requestingRequestId}</td>
      <td>
        {f.date(r.updatedAt)}
        {r.needBy ? <div>{t('ill.needBy', { date: f.day(r.needBy) })}</div> : null}
        {r.lenderDueOn ? <div>{t('ill.dueBack', { date: f.day(r.lenderDueOn) })}</div> : null}
      </td>
      <td>
        {next}
        {cancellable ? (
          <>
            {' '}
            <button
              type="button"
              className="quiet"
              aria-label={label('cancel')}
              onClick={step('ill.cancel', 'cancelled')}
            >
              {t('ill.action.cancel')}
            </button>{' '}
            <button
              type="button"
              className="quiet"
              aria-label={label('unfilled')}
              onClick={step('ill.markUnfilled', 'unfilled')}
            >
              {t('ill.action.unfilled')}
            </button>
          </>
        ) : null}{' '}
        <button
          type="button"
          className="quiet"
          aria-label={t('ill.isoFor', { title: r.title })}
          onClick={() =>
            onExport(
              r.direction === 'borrowing'
                ? r.status === 'requested'
                  ? 'request'
                  : 'requestingAgencyMessage'
                : 'supplyingAgencyMessage',
            )
          }
        >
          {t('ill.isoButton')}
        </button>
      </td>
    </tr>
  );
}
