// Staff leave kiosk mode with their own user name and password, on the welcome screen only.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { ApiError, staffSignIn } from '../../api/client';
import { Field } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { leaveKioskMode } from '../../kioskMode';
import { signInStaff } from '../../state/session';

export function StaffExit() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function leave(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    try {
      await signInStaff(form, staffSignIn);
      leaveKioskMode();
      // Back to the desk: the same page without the kiosk path or hash.
      window.location.hash = '';
      window.history.replaceState(null, '', window.location.pathname.replace(/kiosk\/?$/, ''));
      window.dispatchEvent(new PopStateEvent('popstate'));
    } catch (err) {
      // The password is not kept on screen after a refusal.
      const password = form.elements.namedItem('password');
      if (password instanceof HTMLInputElement) password.value = '';
      setError(err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) });
    }
  }
  return (
    <div className="kiosk-staff">
      <button type="button" className="kiosk-staff-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('kiosk.staffExit')}
      </button>
      {open ? (
        <form onSubmit={(e) => void leave(e)} aria-label={t('kiosk.staffExit')}>
          <Field label={t('signIn.username')} name="username" required autoComplete="off" />
          <Field label={t('signIn.password')} name="password" type="password" required autoComplete="off" />
          <Problem error={error} />
          <button type="submit" className="kiosk-button">
            {t('signIn.submit')}
          </button>
        </form>
      ) : null}
    </div>
  );
}
