import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { formatMoney } from '../format';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';

type Returned = ApiOutput<'circulation.checkin'>;

/** Returns: each item says what to do with it next. */
export function Checkin() {
  const { t } = useTranslation();
  const setup = useSession((s) => s.setup);
  const [results, setResults] = useState<Returned[]>([]);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const item = useRef<HTMLInputElement>(null);
  const backdate = useRef<HTMLInputElement>(null);

  async function checkin(itemBarcode: string) {
    setError(null);
    try {
      const r = await client.call('circulation.checkin', { itemBarcode, backdate: backdate.current?.value || null });
      setResults((list) => [r, ...list].slice(0, 50));
      if (item.current) item.current.value = '';
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }

  useNewScans((scan) => {
    if (scan.kind !== 'patron') void checkin(scan.barcode);
  });

  return (
    <main id="main">
      <h1>{t('checkin.title')}</h1>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void checkin(item.current?.value ?? '');
        }}
      >
        <Field label={t('checkin.itemBarcode')} ref={item} name="itemBarcode" autoComplete="off" autoFocus inputMode="numeric" />
        <Field label={t('checkin.backdate')} ref={backdate} name="backdate" type="date" />
        <button type="submit">{t('checkin.submit')}</button>
      </form>
      <Problem error={error} />
      <section aria-label={t('checkin.results')} aria-live="polite">
        <h2>{t('checkin.results')}</h2>
        <ul className="returns">
          {results.map((r, i) => (
            <li key={`${r.itemId}-${results.length - i}`} className={`action-${r.action}`} data-testid="return-row">
              <strong>{r.title}</strong> ({r.itemBarcode}): {t(`checkin.${r.action}`, { branch: r.destinationBranch?.name ?? '' })}
              {r.fine ? ` ${t('checkin.fine', { amount: formatMoney(r.fine.amount, r.fine.currency, setup?.locale ?? 'en-US') })}` : ''}
              {!r.wasOnLoan ? ` ${t('checkin.notOnLoan')}` : ''}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
