// Settings › Notices: when notices go out, the library's SMTP server, the templates in English
// and Spanish with a preview, "Send now", and the letters waiting to be printed (docs/notices.md).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiOutput } from '../../../src/api/contract';
import {
  NOTICE_LANGUAGES,
  NOTICE_PLACEHOLDERS,
  NOTICE_TEMPLATE_KEYS,
  type NoticeLanguage,
  type NoticeSettings,
  type NoticeTemplateKey,
} from '../../../src/domain/notices';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { CheckField, FormButtons, SelectField, TextAreaField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';
import { printHtml } from '../../print';
import type { ApiErrorBody } from '../../../src/api/contract';

type View = ApiOutput<'notices.settings'>;

/** When, and how: the schedule and the SMTP server. */
function ScheduleForm({
  view,
  saved,
  onSaved,
}: {
  view: View;
  saved: string;
  onSaved(message: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const s = view.settings;
  const { errors, error, onSubmit } = useFormSubmit(
    (f) => {
      const overdueDays = ['overdue1', 'overdue2', 'overdue3']
        .map((n) => f.optInt(n, 1, 365))
        .filter((d): d is number => d !== null);
      if (overdueDays.some((d, i) => i > 0 && d <= overdueDays[i - 1]!))
        f.fail('overdue2', t('noticeSettings.overdueOrder'));
      const host = f.optional('smtpHost', 253);
      const settings: NoticeSettings = {
        ...s,
        enabled: f.bool('enabled'),
        courtesyDaysBefore: f.optInt('courtesy', 1, 60),
        overdueDays,
        holdReady: f.bool('holdReady'),
        holdExpiringDaysBefore: f.optInt('holdExpiring', 1, 60),
        lostBills: f.bool('lostBills'),
        senderStationId: f.bool('sender')
          ? view.stationId
          : s.senderStationId === view.stationId
            ? null
            : s.senderStationId,
        smtp: host
          ? {
              host,
              port: f.int('smtpPort', 1, 65535),
              secure: f.bool('smtpSecure'),
              user: f.optional('smtpUser', 200),
              from: f.required('smtpFrom', 300),
            }
          : null,
      };
      const password = f.text('smtpPassword');
      return { settings, ...(password ? { smtpPassword: password } : {}) };
    },
    async (input) => {
      await client.call('notices.saveSettings', input);
      await onSaved(t('noticeSettings.saved'));
    },
  );
  return (
    <form onSubmit={onSubmit} aria-labelledby="notices-schedule-title" noValidate>
      <h3 id="notices-schedule-title">{t('noticeSettings.schedule')}</h3>
      <CheckField label={t('noticeSettings.enabled')} name="enabled" defaultChecked={s.enabled} />
      <CheckField label={t('noticeSettings.sender')} name="sender" defaultChecked={view.isSender} />
      <p>
        {view.isSender
          ? t('noticeSettings.isSender')
          : s.senderStationId
            ? t('noticeSettings.otherSender')
            : t('noticeSettings.noSender')}
      </p>
      <Field
        label={t('noticeSettings.courtesy')}
        hint={t('noticeSettings.daysHint')}
        name="courtesy"
        inputMode="numeric"
        defaultValue={s.courtesyDaysBefore?.toString() ?? ''}
        error={errors.courtesy}
      />
      <fieldset>
        <legend>{t('noticeSettings.overdue')}</legend>
        <Field
          label={t('noticeSettings.overdue1')}
          name="overdue1"
          inputMode="numeric"
          defaultValue={s.overdueDays[0]?.toString() ?? ''}
          error={errors.overdue1}
        />
        <Field
          label={t('noticeSettings.overdue2')}
          name="overdue2"
          inputMode="numeric"
          defaultValue={s.overdueDays[1]?.toString() ?? ''}
          error={errors.overdue2}
        />
        <Field
          label={t('noticeSettings.overdue3')}
          name="overdue3"
          inputMode="numeric"
          defaultValue={s.overdueDays[2]?.toString() ?? ''}
          error={errors.overdue3}
        />
      </fieldset>
      <CheckField label={t('noticeSettings.holdReady')} name="holdReady" defaultChecked={s.holdReady} />
      <Field
        label={t('noticeSettings.holdExpiring')}
        hint={t('noticeSettings.daysHint')}
        name="holdExpiring"
        inputMode="numeric"
        defaultValue={s.holdExpiringDaysBefore?.toString() ?? ''}
        error={errors.holdExpiring}
      />
      <CheckField label={t('noticeSettings.lostBills')} name="lostBills" defaultChecked={s.lostBills} />
      <fieldset>
        <legend>{t('noticeSettings.smtp')}</legend>
        <Field
          label={t('noticeSettings.smtpHost')}
          name="smtpHost"
          defaultValue={s.smtp?.host ?? ''}
          error={errors.smtpHost}
          autoComplete="off"
        />
        <Field
          label={t('noticeSettings.smtpPort')}
          name="smtpPort"
          inputMode="numeric"
          defaultValue={String(s.smtp?.port ?? 587)}
          error={errors.smtpPort}
        />
        <CheckField label={t('noticeSettings.smtpSecure')} name="smtpSecure" defaultChecked={s.smtp?.secure ?? false} />
        <Field
          label={t('noticeSettings.smtpUser')}
          name="smtpUser"
          defaultValue={s.smtp?.user ?? ''}
          error={errors.smtpUser}
          autoComplete="off"
        />
        <Field
          label={t('noticeSettings.smtpPassword')}
          hint={view.smtpPasswordSet ? t('noticeSettings.passwordKept') : t('noticeSettings.passwordLocal')}
          name="smtpPassword"
          type="password"
          autoComplete="new-password"
          error={errors.smtpPassword}
        />
        <Field
          label={t('noticeSettings.smtpFrom')}
          hint={t('noticeSettings.smtpFromHint')}
          name="smtpFrom"
          defaultValue={s.smtp?.from ?? ''}
          error={errors.smtpFrom}
        />
      </fieldset>
      <Problem error={error} />
      <FormButtons submit={t('noticeSettings.save')} />
      <p role="status" className="saved">
        {saved}
      </p>
    </form>
  );
}

/** One template at a time, in one language, with its preview. */
function TemplateEditor({ view, onSaved }: { view: View; onSaved(): Promise<void> }) {
  const { t } = useTranslation();
  const [key, setKey] = useState<NoticeTemplateKey>('courtesy');
  const [language, setLanguage] = useState<NoticeLanguage>('en');
  const current = view.settings.templates[key][language];
  const [preview, setPreview] = useState<{ subject: string; body: string } | null>(null);
  const [saved, setSaved] = useState('');
  const [previewError, setPreviewError] = useState<ApiErrorBody | null>(null);
  const read = (form: HTMLFormElement) => {
    const data = new FormData(form);
    return { subject: String(data.get('subject') ?? ''), body: String(data.get('body') ?? '') };
  };
  const { error, onSubmit } = useFormSubmit(
    (f) => ({ subject: f.required('subject', 200), body: f.multiLine('body', 5000) }),
    async (template) => {
      const templates = {
        ...view.settings.templates,
        [key]: { ...view.settings.templates[key], [language]: template },
      };
      await client.call('notices.saveSettings', { settings: { ...view.settings, templates } });
      setSaved(t('noticeSettings.templateSaved'));
      await onSaved();
    },
  );
  return (
    <section aria-labelledby="notices-templates-title">
      <h3 id="notices-templates-title">{t('noticeSettings.templates')}</h3>
      <p>
        {t('noticeSettings.placeholders')} <code>{NOTICE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}</code>
      </p>
      <SelectField
        label={t('noticeSettings.template')}
        name="templateKey"
        value={key}
        onChange={(e) => {
          setKey(e.target.value as NoticeTemplateKey);
          setPreview(null);
        }}
      >
        {NOTICE_TEMPLATE_KEYS.map((k) => (
          <option key={k} value={k}>
            {t(`noticeSettings.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('noticeSettings.language')}
        name="templateLanguage"
        value={language}
        onChange={(e) => {
          setLanguage(e.target.value as NoticeLanguage);
          setPreview(null);
        }}
      >
        {NOTICE_LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`noticeSettings.lang.${l}`)}
          </option>
        ))}
      </SelectField>
      <form key={`${key}-${language}`} onSubmit={onSubmit} aria-label={t('noticeSettings.template')} noValidate>
        <Field label={t('noticeSettings.subject')} name="subject" defaultValue={current.subject} required />
        <TextAreaField label={t('noticeSettings.body')} name="body" defaultValue={current.body} rows={10} />
        <Problem error={error ?? previewError} />
        <button
          type="button"
          onClick={(e) => {
            const form = e.currentTarget.form!;
            setPreviewError(null);
            client
              .call('notices.preview', { template: read(form), language })
              .then(setPreview, (err: unknown) => setPreviewError(asError(err)));
          }}
        >
          {t('noticeSettings.preview')}
        </button>
        <FormButtons submit={t('noticeSettings.saveTemplate')} />
        <p role="status" className="saved">
          {saved}
        </p>
      </form>
      {preview ? (
        <figure aria-label={t('noticeSettings.previewTitle')} data-testid="notice-preview">
          <figcaption>
            <strong>{preview.subject}</strong>
          </figcaption>
          <pre style={{ whiteSpace: 'pre-wrap' }}>{preview.body}</pre>
        </figure>
      ) : null}
    </section>
  );
}

/** Send now, what waits, and the letters to print. */
function Outbox({ onRun }: { onRun(): Promise<void> }) {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(() => client.call('notices.status', {}));
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState<ApiErrorBody | null>(null);
  const [letterIds, setLetterIds] = useState<string[]>([]);
  const act = (work: () => Promise<void>) => () => {
    setActionError(null);
    work().then(reload, (e: unknown) => setActionError(asError(e)));
  };
  if (!data) return <Problem error={error} />;
  return (
    <section aria-labelledby="notices-outbox-title">
      <h3 id="notices-outbox-title">{t('noticeSettings.outbox')}</h3>
      <p data-testid="notice-counts">{t('noticeSettings.counts', data.counts)}</p>
      <button
        type="button"
        onClick={act(async () => {
          const r = await client.call('notices.run', {});
          setMessage(
            r.skipped
              ? t(`noticeSettings.skipped.${r.skipped}`)
              : t('noticeSettings.ran', r) +
                  (r.waiting > 0 && r.lastError ? ` ${t('noticeSettings.serverSaid', { error: r.lastError })}` : ''),
          );
          await onRun();
        })}
      >
        {t('noticeSettings.sendNow')}
      </button>
      <button
        type="button"
        disabled={data.counts.queuedPrint === 0}
        onClick={act(async () => {
          const page = await client.call('notices.letters', {});
          setLetterIds(page.ids);
          printHtml(page.html);
        })}
      >
        {t('noticeSettings.printLetters', { count: data.counts.queuedPrint })}
      </button>
      {letterIds.length > 0 ? (
        <button
          type="button"
          onClick={act(async () => {
            const r = await client.call('notices.markPrinted', { ids: letterIds });
            setLetterIds([]);
            setMessage(t('noticeSettings.markedPrinted', { count: r.printed }));
          })}
        >
          {t('noticeSettings.markPrinted', { count: letterIds.length })}
        </button>
      ) : null}
      <p role="status" data-testid="notice-run">
        {message}
      </p>
      <Problem error={actionError} />
      {data.attention.length > 0 ? (
        <table>
          <caption>{t('noticeSettings.attention')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('noticeSettings.kindColumn')}</th>
              <th scope="col">{t('noticeSettings.statusColumn')}</th>
              <th scope="col">{t('noticeSettings.errorColumn')}</th>
              <th scope="col">{t('noticeSettings.actionColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {data.attention.map((n) => (
              <tr key={n.id}>
                <td>{t(`noticeSettings.noticeKind.${n.kind}`)}</td>
                <td>{t(`noticeSettings.status.${n.status}`)}</td>
                <td>
                  {n.error} {n.messageId ? <code>{n.messageId}</code> : null}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={act(async () => void (await client.call('notices.retry', { id: n.id })))}
                  >
                    {t('noticeSettings.retry')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function NoticesSettings() {
  const { t } = useTranslation();
  const { data, error, reload } = useLoad(() => client.call('notices.settings', {}));
  // Kept here: the form is made anew from what the station saved (its key), and the word that
  // it was saved must outlive it.
  const [scheduleSaved, setScheduleSaved] = useState('');
  if (!data) return <Problem error={error} />;
  return (
    <section aria-labelledby="notices-title">
      <h2 id="notices-title">{t('noticeSettings.title')}</h2>
      <ScheduleForm
        key={JSON.stringify(data.settings)}
        view={data}
        saved={scheduleSaved}
        onSaved={async (message) => {
          await reload();
          setScheduleSaved(message);
        }}
      />
      <TemplateEditor view={data} onSaved={reload} />
      <Outbox onRun={reload} />
    </section>
  );
}
