import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { OverrideForm } from '../components/OverrideForm';
import { Problem, localised } from '../components/Problem';
import { formatDate } from '../format';
import { useDesk, type RenewOutcome, type RenewOutcomeBody, type RenewRefusal } from '../state/desk';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';


/** A refusal a supervisor may lend through: every reason given is overridable. */
const overridable = (o: RenewOutcome): boolean => !o.ok && !o.overridden && o.refusals.length > 0 && o.refusals.every((r) => r.overridable);

/**
 * Renew by item (scan it) or by patron (all loans, or the ones ticked). A refusal a supervisor
 * may override has its Override button. The patron and the lines live in the desk store, so they
 * are still here after a visit to another screen.
 */
export function Renew() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const locale = setup?.locale ?? 'en-US';
  const patron = useDesk((s) => s.renew.patron);
  const outcomes = useDesk((s) => s.renew.outcomes);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [overriding, setOverriding] = useState<number | null>(null);
  const itemInput = useRef<HTMLInputElement>(null);
  const patronInput = useRef<HTMLInputElement>(null);
  const due = (at: number) => t('checkout.due', { date: formatDate(at, locale, setup?.timeZone) });
  const desk = () => useDesk.getState();

  async function refreshPatron() {
    const p = desk().renew.patron;
    if (p) desk().setRenewPatron(await client.call('patrons.lookup', { barcode: p.patron.cardBarcode }));
  }

  async function renewItem(itemBarcode: string, override?: { token: string; codes: string[] }): Promise<boolean> {
    setError(null);
    try {
      const r = await client.call('circulation.renew', { itemBarcode, ...(override ? { override } : {}) });
      desk().renewOutcomes([{ itemBarcode: r.itemBarcode, title: r.title, ok: true, dueAt: r.dueAt }]);
      if (itemInput.current) itemInput.current.value = '';
      await refreshPatron();
      return true;
    } catch (err) {
      const e = asError(err);
      if (override) {
        // Refused even so (or the grant expired): say why, and keep the refused line as it was.
        setError(e);
        return false;
      }
      desk().renewOutcomes([{ itemBarcode, title: '', ok: false, refusals: e.refusals ?? [], errorCode: e.refusals?.length ? null : e.code }]);
      return false;
    }
  }

  async function findPatron(barcode: string) {
    setError(null);
    try {
      desk().setRenewPatron(await client.call('patrons.lookup', { barcode }));
      setChosen(new Set());
    } catch (err) {
      setError(asError(err));
    }
  }

  async function renewAll() {
    if (!patron) return;
    setError(null);
    try {
      const r = await client.call('circulation.renewAll', { patronBarcode: patron.patron.cardBarcode });
      desk().renewOutcomes([
        ...r.renewed.map((l): RenewOutcomeBody => ({ itemBarcode: l.itemBarcode, title: l.title, ok: true, dueAt: l.dueAt })),
        ...r.refused.map(
          (x): RenewOutcomeBody => ({
            itemBarcode: x.itemBarcode,
            title: x.title,
            ok: false,
            refusals: x.refusals as RenewRefusal[],
            errorCode: null,
          }),
        ),
      ]);
      await refreshPatron();
    } catch (err) {
      setError(asError(err));
    }
  }

  async function overrideGranted(o: RenewOutcome, token: string) {
    if (o.ok) return;
    const done = await renewItem(o.itemBarcode, { token, codes: o.refusals.map((r) => r.code) });
    if (done) {
      desk().markOverridden(o.key);
      setOverriding(null);
    }
  }

  useNewScans((scan) => {
    if (scan.kind === 'patron') void findPatron(scan.barcode);
    else void renewItem(scan.barcode);
  });

  const why = (o: RenewOutcome) =>
    o.ok
      ? due(o.dueAt)
      : o.refusals.map((x) => t(`refusals.${x.code}`, localised(x.params ?? {}, locale))).join(' ') || t([`errors.${o.errorCode ?? 'INTERNAL'}`, 'errors.INTERNAL']);
  const beingOverridden = outcomes.find((o) => o.key === overriding && overridable(o));

  return (
    <main id="main">
      <h1>{t('renew.title')}</h1>
      <form onSubmit={(e: FormEvent) => (e.preventDefault(), void renewItem(itemInput.current?.value ?? ''))}>
        <Field label={t('checkout.itemBarcode')} ref={itemInput} name="itemBarcode" autoComplete="off" autoFocus inputMode="numeric" />
        <button type="submit">{t('renew.renewItem')}</button>
      </form>
      <form onSubmit={(e: FormEvent) => (e.preventDefault(), void findPatron(patronInput.current?.value ?? ''))}>
        <Field label={t('checkout.patronBarcode')} ref={patronInput} name="patronBarcode" autoComplete="off" inputMode="numeric" />
        <button type="submit">{t('checkout.find')}</button>
      </form>
      <Problem error={error} />
      {patron ? (
        <section aria-label={`${patron.patron.firstName} ${patron.patron.lastName}`}>
          <h2>
            {patron.patron.firstName} {patron.patron.lastName}
          </h2>
          <ul className="returns">
            {patron.loans.map((l) => (
              <li key={l.loanId}>
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(l.itemBarcode)}
                    onChange={(e) => setChosen((c) => {
                      const next = new Set(c);
                      if (e.target.checked) next.add(l.itemBarcode);
                      else next.delete(l.itemBarcode);
                      return next;
                    })}
                  />{' '}
                  {l.title} ({l.itemBarcode}): {due(l.dueAt)}
                </label>
              </li>
            ))}
          </ul>
          <button type="button" disabled={chosen.size === 0} onClick={() => void Promise.all([...chosen].map((b) => renewItem(b))).then(() => setChosen(new Set()))}>
            {t('renew.renewChosen')}
          </button>
          <button type="button" onClick={() => void renewAll()}>
            {t('kiosk.renewAll')}
          </button>
        </section>
      ) : null}
      {beingOverridden ? (
        <OverrideForm
          key={beingOverridden.key}
          submitLabel={t('renew.overrideSubmit')}
          onCancel={() => setOverriding(null)}
          onGranted={(token) => void overrideGranted(beingOverridden, token)}
        />
      ) : null}
      <section aria-label={t('renew.results')} aria-live="polite">
        <h2>{t('renew.results')}</h2>
        <ul className="returns">
          {outcomes.map((o) => (
            <li key={o.key} data-testid="renew-row" className={o.ok ? '' : 'problem'}>
              <strong>{o.title}</strong> ({o.itemBarcode}): {why(o)}
              {!o.ok && o.overridden ? ` ${t('renew.overridden')}` : ''}
              {overridable(o) && overriding !== o.key ? (
                <>
                  {' '}
                  <button type="button" onClick={() => setOverriding(o.key)}>
                    {t('checkout.override')}
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
