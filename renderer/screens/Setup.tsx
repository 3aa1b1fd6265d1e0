import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { CurrencyField, TimeZoneField } from '../components/TimeZoneField';
import '../styles/records.css';

type Mode = 'new' | 'join';

/** A set-up refused as FORBIDDEN was asked from another machine (only the station's own may): said so, not "your account". */
const asApiError = (err: unknown): ApiErrorBody => {
  const body: ApiErrorBody = err instanceof ApiError ? err.body : { code: 'INTERNAL', message: String(err) };
  return body.code === 'FORBIDDEN' ? { ...body, code: 'SETUP_LOCAL_ONLY' } : body;
};

/** First run: either a new library (this station is the whole system) or joining a library's hub. */
export function Setup({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('new');
  return (
    <main id="main" className="card narrow">
      <h1>{t('setup.title')}</h1>
      <fieldset className="choice">
        <legend>{t('setup.modeLabel')}</legend>
        {(['new', 'join'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />{' '}
            {t(m === 'new' ? 'setup.modeNew' : 'setup.modeJoin')}
          </label>
        ))}
      </fieldset>
      {mode === 'new' ? <NewLibrary onDone={onDone} /> : <JoinHub onDone={onDone} />}
    </main>
  );
}

/** The library, this branch, and the first administrator. */
function NewLibrary({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const guessZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '');
    // The two lists take only what they list: nothing chosen is said at the list, not sent.
    const missing = Object.fromEntries(
      (['timeZone', 'currency'] as const).filter((k) => !v(k)).map((k) => [k, t(`form.reasons.${k}`)]),
    );
    setFieldErrors(missing);
    if (Object.keys(missing).length > 0) return;
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
      setError(asApiError(err));
    }
  }
  return (
    <form onSubmit={submit}>
      <p>{t('setup.intro')}</p>
      <Field label={t('setup.libraryName')} name="libraryName" required />
      <Field label={t('setup.branchCode')} name="branchCode" required defaultValue="MAIN" />
      <Field label={t('setup.branchName')} name="branchName" required />
      <TimeZoneField
        label={t('setup.timeZone')}
        name="timeZone"
        defaultValue={guessZone}
        error={fieldErrors.timeZone}
      />
      <CurrencyField label={t('setup.currency')} name="currency" defaultValue="USD" error={fieldErrors.currency} />
      <Field label={t('setup.locale')} name="locale" required defaultValue={navigator.language || 'en-US'} />
      <Field label={t('setup.adminUsername')} name="adminUsername" required autoComplete="username" />
      <Field label={t('setup.adminName')} name="adminName" required />
      <Field
        label={t('setup.adminPassword')}
        name="adminPassword"
        type="password"
        required
        minLength={8}
        autoComplete="new-password"
      />
      <Problem error={error} />
      <button type="submit">{t('setup.submit')}</button>
    </form>
  );
}

/** The hub's address and a one-time enrolment code; the library then loads in the background. */
function JoinHub({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    setBusy(true);
    try {
      await client.call('setup.join', { hubUrl: v('hubUrl'), code: v('code'), stationName: v('stationName') });
      onDone();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-busy={busy}>
      <p>{t('setup.joinIntro')}</p>
      <Field
        label={t('setup.hubUrl')}
        hint={t('setup.hubUrlHint')}
        name="hubUrl"
        type="url"
        required
        autoComplete="url"
      />
      <Field label={t('setup.enrolmentCode')} name="code" required autoComplete="off" spellCheck={false} />
      <Field label={t('setup.stationName')} hint={t('setup.stationNameHint')} name="stationName" required />
      <Problem error={error} />
      <button type="submit" disabled={busy}>
        {t('setup.joinSubmit')}
      </button>
    </form>
  );
}

/** After joining: the library's rows stream in; progress until the first sync is complete. */
export function LoadingLibrary({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const [sync, setSync] = useState<Record<string, unknown>>({});
  useEffect(() => {
    const timer = setInterval(() => {
      void client
        .call('status.get', {})
        .then((s) => setSync(s.sync))
        .catch(() => undefined);
      void client
        .call('setup.status', {})
        .then((s) => (s.loadingLibrary ? undefined : onDone()))
        .catch(() => undefined);
    }, 1_000);
    return () => clearInterval(timer);
  }, [onDone]);
  const load = sync.initialLoad as { done: number; total: number } | null | undefined;
  const pulled = typeof sync.pulled === 'number' ? sync.pulled : 0;
  const lastError = typeof sync.lastError === 'string' ? sync.lastError : null;
  return (
    <main id="main" className="card narrow">
      <h1>{t('setup.loadingTitle')}</h1>
      <p>{t('setup.loadingIntro')}</p>
      {load && load.total > 0 ? (
        <>
          <progress max={load.total} value={load.done} aria-label={t('setup.loadingTitle')} />
          <p aria-live="polite">{t('setup.loadingProgress', { done: load.done, total: load.total })}</p>
        </>
      ) : (
        <p aria-live="polite">{t('setup.loadingRows', { done: pulled })}</p>
      )}
      {lastError ? <p role="alert">{t('setup.loadingError', { error: lastError })}</p> : null}
    </main>
  );
}
