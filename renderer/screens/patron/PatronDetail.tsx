import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Problem } from '../../components/Problem';
import { useDeskLocale } from '../../components/useDeskLocale';
import { useLoad } from '../../components/useLoad';
import { useSession } from '../../state/session';
import { AddBlockDialog, BlockList } from './Blocks';
import { ReplaceCardDialog, SetPinDialog } from './CardDialogs';
import { FeesPanel } from './Fees';
import { PatronEditForm } from './PatronEdit';
import { PatronHolds } from './PatronHolds';
import { Badge } from '../../components/ui/Badge';
import { useDeskFormat } from '../../format';
import { PatronNotices } from './PatronNotices';
import { ReadingHistory } from './ReadingHistory';
import '../../styles/records.css';

type Summary = ApiOutput<'patrons.lookup'>;
type Open = { kind: 'edit' } | { kind: 'replace' } | { kind: 'pin' } | { kind: 'block' } | null;

/** One patron at the desk: details, card, PIN, blocks, notes, fees (pay, waive), loans and, if they chose it, reading history. */
export function PatronDetail({
  summary,
  onChange,
  focusName = false,
}: {
  summary: Summary;
  onChange(next: Summary): void;
  /** The focus goes to the patron's name as it appears (just registered: the form that had it is gone). */
  focusName?: boolean;
}) {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const locale = useDeskLocale();
  const tz = setup?.timeZone ?? null;
  const f = useDeskFormat();
  const p = summary.patron;
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [message, setMessage] = useState('');
  const name = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusName) name.current?.focus();
  }, []);
  const lists = useLoad(async () => {
    const [categories, branches] = await Promise.all([
      client.call('categories.list', {}),
      client.call('branches.list', {}),
    ]);
    return { categories, branches };
  });
  const branchName = lists.data?.branches.find((b) => b.id === p.homeBranchId)?.name ?? '';

  /** Runs a change; a dialog shows its own errors, so those rethrow. */
  const done = (next: Summary, said: string) => {
    onChange(next);
    setOpen(null);
    setError(null);
    setMessage(said);
  };
  const refresh = () => client.call('patrons.get', { patronId: p.id });
  async function act(run: () => Promise<Summary>, said: string) {
    try {
      done(await run(), said);
    } catch (err) {
      setError(asError(err));
    }
  }

  /** A patron locked out of the kiosk by wrong PINs, at the desk: lift it, and say whether there was one. */
  async function clearLockout() {
    try {
      const { wasLocked } = await client.call('auth.clearLockout', { patronId: p.id });
      setError(null);
      setMessage(t(wasLocked ? 'patron.lockoutCleared' : 'patron.notLocked'));
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <section aria-label={`${p.firstName} ${p.lastName}`} className="patron">
      <h2 ref={name} tabIndex={-1}>
        {p.firstName} {p.lastName}
      </h2>
      <dl>
        <dt>{t('patron.card')}</dt>
        <dd data-testid="patron-card">{p.cardBarcode}</dd>
        <dt>{t('checkout.category')}</dt>
        <dd>{summary.categoryName}</dd>
        <dt>{t('checkout.expires')}</dt>
        <dd data-testid="card-expires">{f.day(p.cardExpiresOn)}</dd>
        <dt>{t('patron.homeBranch')}</dt>
        <dd>{branchName}</dd>
        <dt>{t('patrons.email')}</dt>
        <dd>{p.email ?? '—'}</dd>
        <dt>{t('patrons.phone')}</dt>
        <dd>{p.phone ?? '—'}</dd>
        <dt>{t('patron.pinSet')}</dt>
        <dd>{p.hasPin ? t('form.yes') : t('form.no')}</dd>
        <dt>{t('patron.privacy')}</dt>
        <dd>{p.keepReadingHistory ? t('patron.historyKept') : t('patron.historyNotKept')}</dd>
        {p.notes ? (
          <>
            <dt>{t('patron.notes')}</dt>
            <dd data-testid="patron-notes" className="notes">
              {p.notes}
            </dd>
          </>
        ) : null}
      </dl>
      <BlockList
        blocks={summary.blocks}
        locale={locale}
        onRemove={(b) =>
          void act(async () => {
            await client.call('patrons.removeBlock', { blockId: b.id });
            return refresh();
          }, t('patron.blockRemoved'))
        }
      />
      <div className="actions">
        <button type="button" onClick={() => setOpen({ kind: 'edit' })}>
          {t('patron.edit')}
        </button>
        <button
          type="button"
          onClick={() => void act(() => client.call('patrons.renewCard', { patronId: p.id }), t('patron.cardRenewed'))}
        >
          {t('patron.renewCard')}
        </button>
        <button type="button" onClick={() => setOpen({ kind: 'replace' })}>
          {t('patron.replaceCard')}
        </button>
        <button type="button" onClick={() => setOpen({ kind: 'pin' })}>
          {t('patron.setPin')}
        </button>
        <button type="button" onClick={() => void clearLockout()}>
          {t('patron.clearLockout')}
        </button>
        <button type="button" onClick={() => setOpen({ kind: 'block' })}>
          {t('patron.addBlock')}
        </button>
      </div>
      <p role="status" className="saved">
        {message}
      </p>
      <Problem error={error} />

      {/* Fees, accruing fines, payments, charges, waivers and their history (./Fees.tsx); its state is one patron's. */}
      <FeesPanel key={p.id} summary={summary} locale={locale} timeZone={tz} onChange={onChange} />

      {summary.loans.length > 0 ? (
        <>
          <h3 id="patron-loans">{t('checkout.loans')}</h3>
          <table className="data-table" aria-labelledby="patron-loans">
            <thead>
              <tr>
                <th scope="col">{t('catalogue.recordTitle')}</th>
                <th scope="col">{t('catalogue.barcode')}</th>
                <th scope="col">{t('patron.dueColumn')}</th>
                <th scope="col">{t('catalogue.status')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.loans.map((l) => (
                <tr key={l.loanId} data-testid="patron-loan">
                  <td>{l.title}</td>
                  <td>{l.itemBarcode}</td>
                  <td>{t('checkout.due', { date: f.date(l.dueAt) })}</td>
                  <td>
                    {l.overdue ? (
                      <Badge tone="overdue">{t('patron.overdue')}</Badge>
                    ) : (
                      <Badge tone="ok">{t('patron.onTime')}</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      <PatronHolds summary={summary} onPlaced={async (said) => done(await refresh(), said)} />

      {p.keepReadingHistory ? <ReadingHistory key={p.id} patronId={p.id} locale={locale} timeZone={tz} /> : null}

      <PatronNotices key={`notices-${p.id}`} patronId={p.id} locale={locale} timeZone={tz} />

      {open?.kind === 'edit' ? (
        <PatronEditForm
          patron={p}
          categories={lists.data?.categories ?? [{ code: p.categoryCode, name: summary.categoryName }]}
          branches={lists.data?.branches ?? [{ id: p.homeBranchId, name: branchName }]}
          onCancel={() => setOpen(null)}
          onSave={async (changes) =>
            done(await client.call('patrons.update', { patronId: p.id, changes }), t('patron.saved'))
          }
        />
      ) : null}
      {open?.kind === 'replace' ? (
        <ReplaceCardDialog
          onCancel={() => setOpen(null)}
          onSave={async (cardBarcode) =>
            done(
              await client.call('patrons.replaceCard', { patronId: p.id, cardBarcode }),
              t('patron.cardReplaced', { card: cardBarcode }),
            )
          }
        />
      ) : null}
      {open?.kind === 'pin' ? (
        <SetPinDialog
          onCancel={() => setOpen(null)}
          onSave={async (pin) => {
            await client.call('patrons.setPin', { patronId: p.id, pin });
            done(await refresh(), t('patron.pinSaved'));
          }}
        />
      ) : null}
      {open?.kind === 'block' ? (
        <AddBlockDialog
          onCancel={() => setOpen(null)}
          onSave={async (block) =>
            done(await client.call('patrons.addBlock', { patronId: p.id, ...block }), t('patron.blockAdded'))
          }
        />
      ) : null}
    </section>
  );
}
