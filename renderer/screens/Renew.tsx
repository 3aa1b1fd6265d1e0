import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { formatDate } from '../format';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';

type Summary = ApiOutput<'patrons.lookup'>;
type Outcome = { itemBarcode: string; title: string; text: string; ok: boolean };

const asError = (err: unknown): ApiErrorBody => (err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });

/** Renew by item (scan it) or by patron (all loans, or the ones ticked). */
export function Renew() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const locale = setup?.locale ?? 'en-US';
  const [patron, setPatron] = useState<Summary | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const itemInput = useRef<HTMLInputElement>(null);
  const patronInput = useRef<HTMLInputElement>(null);
  const due = (at: number) => t('checkout.due', { date: formatDate(at, locale, setup?.timeZone) });

  async function renewItem(itemBarcode: string) {
    setError(null);
    try {
      const r = await client.call('circulation.renew', { itemBarcode });
      setOutcomes((o) => [{ itemBarcode: r.itemBarcode, title: r.title, text: due(r.dueAt), ok: true }, ...o]);
      if (itemInput.current) itemInput.current.value = '';
      if (patron) setPatron(await client.call('patrons.lookup', { barcode: patron.patron.cardBarcode }));
    } catch (err) {
      const e = asError(err);
      setOutcomes((o) => [{ itemBarcode, title: '', text: (e.refusals ?? []).map((x) => t(`refusals.${x.code}`, { ...(x.params ?? {}) })).join(' ') || t([`errors.${e.code}`, 'errors.INTERNAL']), ok: false }, ...o]);
    }
  }

  async function findPatron(barcode: string) {
    setError(null);
    try {
      setPatron(await client.call('patrons.lookup', { barcode }));
      setChosen(new Set());
    } catch (err) {
      setError(asError(err));
    }
  }

  async function renewAll() {
    if (!patron) return;
    const r = await client.call('circulation.renewAll', { patronBarcode: patron.patron.cardBarcode });
    setOutcomes((o) => [
      ...r.renewed.map((l) => ({ itemBarcode: l.itemBarcode, title: l.title, text: due(l.dueAt), ok: true })),
      ...r.refused.map((x) => ({ itemBarcode: x.itemBarcode, title: x.title, text: x.refusals.map((f) => t(`refusals.${f.code}`, { ...((f as { params?: Record<string, string> }).params ?? {}) })).join(' '), ok: false })),
      ...o,
    ]);
    setPatron(await client.call('patrons.lookup', { barcode: patron.patron.cardBarcode }));
  }

  useNewScans((scan) => {
    if (scan.kind === 'patron') void findPatron(scan.barcode);
    else void renewItem(scan.barcode);
  });

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
          <button type="button" disabled={chosen.size === 0} onClick={() => void Promise.all([...chosen].map(renewItem)).then(() => setChosen(new Set()))}>
            {t('renew.renewChosen')}
          </button>
          <button type="button" onClick={() => void renewAll()}>
            {t('kiosk.renewAll')}
          </button>
        </section>
      ) : null}
      <section aria-label={t('renew.results')} aria-live="polite">
        <h2>{t('renew.results')}</h2>
        <ul className="returns">
          {outcomes.map((o, i) => (
            <li key={`${o.itemBarcode}-${outcomes.length - i}`} data-testid="renew-row" className={o.ok ? '' : 'problem'}>
              <strong>{o.title}</strong> ({o.itemBarcode}): {o.text}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
