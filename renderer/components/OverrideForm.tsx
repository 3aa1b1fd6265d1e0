import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from './Field';
import { Problem } from './Problem';

/**
 * A supervisor types their own credentials on the spot; the station checks them and hands back
 * a one-time override token for the command that was refused (check-out, renewal, a fee waiver).
 */
export function OverrideForm({
  onGranted,
  onCancel,
  submitLabel,
}: {
  onGranted(token: string): void;
  onCancel(): void;
  submitLabel?: string;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      const r = await client.call('auth.verifySupervisor', {
        username: String(f.get('username')),
        password: String(f.get('password')),
      });
      onGranted(r.overrideToken);
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }
  return (
    <form onSubmit={submit} className="override" aria-label={t('checkout.overrideTitle')}>
      <h2>{t('checkout.overrideTitle')}</h2>
      <Field label={t('checkout.supervisor')} name="username" required autoComplete="off" autoFocus />
      <Field label={t('checkout.supervisorPassword')} name="password" type="password" required autoComplete="off" />
      <Problem error={error} />
      <button type="submit">{submitLabel ?? t('checkout.overrideSubmit')}</button>
      <button type="button" onClick={onCancel}>
        {t('checkout.cancel')}
      </button>
    </form>
  );
}
