import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';

/** First run: the library, this branch, and the first administrator. */
export function Setup({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const guessZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '');
    try {
      await client.call('setup.initialize', {
        libraryName: v('libraryName'),
        branchCode: v('branchCode'),
        branchName: v('branchName'),
        timeZone: v('timeZone'),
        currency: v('currency').toUpperCase(),
        locale: v('locale'),
        admin: { username: v('adminUsername'), displayName: v('adminName'), password: v('adminPassword') },
      });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }
  return (
    <main id="main" className="card narrow">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit}>
        <Field label={t('setup.libraryName')} name="libraryName" required />
        <Field label={t('setup.branchCode')} name="branchCode" required defaultValue="MAIN" />
        <Field label={t('setup.branchName')} name="branchName" required />
        <Field label={t('setup.timeZone')} name="timeZone" required defaultValue={guessZone} />
        <Field label={t('setup.currency')} name="currency" required defaultValue="USD" maxLength={3} />
        <Field label={t('setup.locale')} name="locale" required defaultValue={navigator.language || 'en-US'} />
        <Field label={t('setup.adminUsername')} name="adminUsername" required autoComplete="username" />
        <Field label={t('setup.adminName')} name="adminName" required />
        <Field label={t('setup.adminPassword')} name="adminPassword" type="password" required minLength={8} autoComplete="new-password" />
        <Problem error={error} />
        <button type="submit">{t('setup.submit')}</button>
      </form>
    </main>
  );
}
