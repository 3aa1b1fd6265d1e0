import { useCallback, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { OverrideForm } from '../components/OverrideForm';
import { PatronCard, dayIn } from '../components/PatronAtDesk';
import { PatronFinder } from '../components/PatronFinder';
import { Problem, localised } from '../components/Problem';
import { Badge } from '../components/ui/Badge';
import { useDeskFormat } from '../format';
import { useDesk, type RenewOutcome, type RenewOutcomeBody, type RenewRefusal } from '../state/desk';
import { useNewScans } from '../state/scans';
import '../styles/circulation.css';

/** A refusal a supervisor may lend through: every reason given is overridable. */
const overridable = (o: RenewOutcome): boolean =>
  !o.ok && !o.overridden && o.refusals.length > 0 && o.refusals.every((r) => r.overridable);

/**
 * Renew by item (scan it) or by patron (all loans, or the ones ticked): the patron on the left,
 * the renewals on the right, each saying its new due date and how many renewals are left, or
 * why it was refused. A refusal a supervisor may override has its Override button. The patron
 * and the lines live in the desk store, so they are still here after a visit to another screen.
 */
export function Renew() {
  const { t } = useTranslation();
  // The one formatter: the desk's language, the branch's zone.
  const format = useDeskFormat();
  const locale = format.locale;
  const tz = format.timeZone;
  const patron = useDesk((s) => s.renew.patron);
  const outcomes = useDesk((s) => s.renew.outcomes);
  const [card, setCard] = useState(patron?.patron.cardBarcode ?? '');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [overriding, setOverriding] = useState<number | null>(null);
  const itemInput = useRef<HTMLInputElement>(null);
  const due = format.date;
  const desk = () => useDesk.getState();
  // One function for the life of the screen (the patron box is memoised), calling the latest findPatron.
  const findLatest = useRef<(card: string) => void>(() => undefined);
  findLatest.current = (card) => void findPatron(card);
  const onFind = useCallback((card: string) => findLatest.current(card), []);

  async function refreshPatron() {
    const p = desk().renew.patron;
    if (p) desk().setRenewPatron(await client.call('patrons.lookup', { barcode: p.patron.cardBarcode }));
  }

  async function renewItem(itemBarcode: string, override?: { token: string; codes: string[] }): Promise<boolean> {
    setError(null);
    // Renewed or refused, the line below names the barcode: the field is ready for the next one.
    if (itemInput.current) itemInput.current.value = '';
    try {
      const r = await client.call('circulation.renew', { itemBarcode, ...(override ? { override } : {}) });
      desk().renewOutcomes([
        { itemBarcode: r.itemBarcode, title: r.title, ok: true, dueAt: r.dueAt, renewalsLeft: r.renewalsLeft },
      ]);
      await refreshPatron();
      return true;
    } catch (err) {
      const e = asError(err);
      if (override) {
        // Refused even so (or the grant expired): say why, and keep the refused line as it was.
        setError(e);
        return false;
      }
      // A refusal carries no title: the patron on screen may have the copy on loan, and name it.
      const title = desk().renew.patron?.loans.find((l) => l.itemBarcode === itemBarcode.trim())?.title ?? '';
      desk().renewOutcomes([
        { itemBarcode, title, ok: false, refusals: e.refusals ?? [], errorCode: e.refusals?.length ? null : e.code },
      ]);
      return false;
    }
  }

  async function findPatron(barcode: string) {
    setError(null);
    try {
      const summary = await client.call('patrons.lookup', { barcode });
      desk().setRenewPatron(summary);
      setCard(summary.patron.cardBarcode);
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
        ...r.renewed.map((l): RenewOutcomeBody => ({
          itemBarcode: l.itemBarcode,
          title: l.title,
          ok: true,
          dueAt: l.dueAt,
          renewalsLeft: l.renewalsLeft,
        })),
        ...r.refused.map((x): RenewOutcomeBody => ({
          itemBarcode: x.itemBarcode,
          title: x.title,
          ok: false,
          refusals: x.refusals as RenewRefusal[],
          errorCode: null,
        })),
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

  const why = (o: RenewOutcome & { ok: false }) =>
    o.refusals.map((x) => t(`refusals.${x.code}`, localised(x.params ?? {}, locale))).join(' ') ||
    t([`errors.${o.errorCode ?? 'INTERNAL'}`, 'errors.INTERNAL']);
  const beingOverridden = outcomes.find((o) => o.key === overriding && overridable(o));

  return (
    <main id="main" className="circ renew">
      <h1>{t('renew.title')}</h1>
      <div className="circ-layout">
        <div className="circ-patron">
          <PatronFinder value={card} onValueChange={setCard} onFind={onFind} />
          {patron ? (
            <>
              <PatronCard summary={patron} today={dayIn(Date.now(), tz)} locale={locale} />
              <fieldset className="renew-loans">
                <legend>{t('renew.patronLoans')}</legend>
                {patron.loans.length === 0 ? <p>{t('renew.noLoans')}</p> : null}
                <ul>
                  {patron.loans.map((l) => (
                    <li key={l.loanId}>
                      <label>
                        <input
                          type="checkbox"
                          checked={chosen.has(l.itemBarcode)}
                          onChange={(e) =>
                            setChosen((c) => {
                              const next = new Set(c);
                              if (e.target.checked) next.add(l.itemBarcode);
                              else next.delete(l.itemBarcode);
                              return next;
                            })
                          }
                        />{' '}
                        {l.title} ({l.itemBarcode}): {t('checkout.due', { date: due(l.dueAt) })}
                        {l.overdue ? (
                          <>
                            {' '}
                            <Badge tone="overdue">{t('checkout.overdue')}</Badge>
                          </>
                        ) : null}
                      </label>
                    </li>
                  ))}
                </ul>
                <div className="actions">
                  <button
                    type="button"
                    disabled={chosen.size === 0}
                    onClick={() =>
                      void Promise.all([...chosen].map((b) => renewItem(b))).then(() => setChosen(new Set()))
                    }
                  >
                    {t('renew.renewChosen')}
                  </button>
                  <button type="button" disabled={patron.loans.length === 0} onClick={() => void renewAll()}>
                    {t('kiosk.renewAll')}
                  </button>
                </div>
              </fieldset>
            </>
          ) : null}
        </div>
        <div className="circ-work">
          <form
            className="barcode-bar"
            onSubmit={(e: FormEvent) => (e.preventDefault(), void renewItem(itemInput.current?.value ?? ''))}
          >
            <Field
              label={t('checkout.itemBarcode')}
              ref={itemInput}
              name="itemBarcode"
              autoComplete="off"
              autoFocus
              inputMode="numeric"
            />
            <button type="submit">{t('renew.renewItem')}</button>
          </form>
          <Problem error={error} />
          {beingOverridden ? (
            <OverrideForm
              key={beingOverridden.key}
              submitLabel={t('renew.overrideSubmit')}
              onCancel={() => setOverriding(null)}
              onGranted={(token) => void overrideGranted(beingOverridden, token)}
            />
          ) : null}
          <section aria-labelledby="renew-results" className="renew-results">
            <h2 id="renew-results">
              {t('renew.results')}{' '}
              <span className="count">{t('renew.count', { count: outcomes.filter((o) => o.ok).length })}</span>
            </h2>
            <table className="data-table" aria-live="polite">
              <thead>
                <tr>
                  <th scope="col">{t('circ.colTitle')}</th>
                  <th scope="col">{t('circ.colBarcode')}</th>
                  <th scope="col">{t('circ.colStatus')}</th>
                  <th scope="col">{t('circ.colAction')}</th>
                </tr>
              </thead>
              <tbody>
                {outcomes.map((o) => (
                  <tr key={o.key} data-testid="renew-row" className={o.ok ? undefined : 'refused'}>
                    <td>{o.title}</td>
                    <td className="nowrap">{o.itemBarcode}</td>
                    <td>
                      {o.ok ? (
                        <>
                          <Badge tone="ok">{t('checkout.renewed', { date: due(o.dueAt) })}</Badge>{' '}
                          <span className="renewals-left">
                            {o.renewalsLeft > 0
                              ? t('renew.renewalsLeft', { count: o.renewalsLeft })
                              : t('renew.noRenewalsLeft')}
                          </span>
                        </>
                      ) : (
                        <>
                          <Badge tone="refused">{t('renew.refused')}</Badge> {why(o)}
                          {o.overridden ? ` ${t('renew.overridden')}` : ''}
                        </>
                      )}
                    </td>
                    <td className="nowrap">
                      {overridable(o) && overriding !== o.key ? (
                        <button type="button" className="small" onClick={() => setOverriding(o.key)}>
                          {t('checkout.override')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
    </main>
  );
}
