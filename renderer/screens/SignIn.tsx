import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError, staffSignIn } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { signInStaff } from '../state/session';

export function SignIn() {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    try {
      await signInStaff(e.currentTarget, staffSignIn);
    } catch (err) {
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }
  return (
    <main id="main" className="card narrow">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={submit}>
        <Field label={t('signIn.username')} name="username" required autoComplete="username" autoFocus />
        <Field label={t('signIn.password')} name="password" type="password" required autoComplete="current-password" />
        <Problem error={error} />
        <button type="submit">{t('signIn.submit')}</button>
      </form>
    </main>
  );
}
