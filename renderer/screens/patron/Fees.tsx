import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, moneyInput, type FieldErrors } from '../../components/formReader';
import { FormButtons } from '../../components/Inputs';
import { OverrideForm } from '../../components/OverrideForm';
import { Problem } from '../../components/Problem';
import { formatDate, formatMoney } from '../../format';

type Fee = ApiOutput<'fees.waive'>;

/** Fees still owed, each with a button to waive it. */
export function FeeList({ fees, locale, onWaive }: { fees: Fee[]; locale: string; onWaive(fee: Fee): void }) {
  const { t } = useTranslation();
  const owed = fees.filter((f) => f.outstanding > 0);
  if (owed.length === 0) return null;
  return (
    <ul aria-label={t('patron.fees')}>
      {owed.map((f) => (
        <li key={f.id} data-testid="fee">
          {f.description}: {formatMoney(f.outstanding, f.currency, locale)} ({formatDate(f.createdAt, locale)}){' '}
          <button type="button" aria-label={t('patron.waiveFee', { fee: f.description })} onClick={() => onWaive(f)}>
            {t('patron.waive')}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Waive a fee, in full or in part, with a reason. Only staff allowed to waive fees may: when the
 * station refuses the signed-in account, a supervisor types their own credentials here and the
 * waiver goes through once on their grant (fees.waive's `override`).
 */
export function WaiveDialog({
  fee,
  locale,
  onSave,
  onCancel,
}: {
  fee: Fee;
  locale: string;
  onSave(input: { reason: string; amount: number | null; override?: { token: string } }): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  // What was refused for lack of permission: a supervisor's grant sends it again.
  const [refused, setRefused] = useState<{ reason: string; amount: number | null } | null>(null);
  async function save(input: { reason: string; amount: number | null }, override?: { token: string }) {
    try {
      await onSave(override ? { ...input, override } : input);
    } catch (err) {
      const e = asError(err);
      setError(e);
      // Refused even on a grant (it expired): the supervisor's form stays for another try.
      if (!override) setRefused(e.code === 'FORBIDDEN' ? input : null);
    }
  }
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const reason = f.required('reason', 500);
    const amount = f.money('amount', fee.currency);
    if (f.ok && (amount <= 0 || amount > fee.outstanding)) f.fail('amount', t('patron.waiveRange', { max: formatMoney(fee.outstanding, fee.currency, locale) }));
    setErrors(f.errors);
    setRefused(null);
    if (!f.ok) return;
    void save({ reason, amount: amount === fee.outstanding ? null : amount });
  }
  const title = t('patron.waiveTitle', { fee: fee.description });
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={submit} aria-label={title} noValidate>
        <Field label={t('patron.waiveAmount', { currency: fee.currency })} name="amount" defaultValue={moneyInput(fee.outstanding, fee.currency)} inputMode="decimal" autoComplete="off" error={errors.amount} />
        <Field label={t('patron.waiveReason')} name="reason" required autoComplete="off" autoFocus error={errors.reason} />
        <Problem error={error} />
        {refused ? <p>{t('patron.waiveNeedsSupervisor')}</p> : null}
        <FormButtons submit={t('patron.waiveSubmit')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
      {refused ? <OverrideForm submitLabel={t('patron.waiveOverrideSubmit')} onCancel={() => setRefused(null)} onGranted={(token) => void save(refused, { token })} /> : null}
    </Dialog>
  );
}
