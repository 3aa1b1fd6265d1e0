import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { ApiError, client } from '../../api/client';
import { Field } from '../../components/Field';
import { Problem } from '../../components/Problem';

type Status = ApiOutput<'import.status'>;

/** A request body is at most 1 MB over HTTP: pieces of 512 KB are ~700 KB as base64. */
const PIECE = 512 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const asProblem = (e: unknown): ApiErrorBody =>
  e instanceof ApiError ? e.body : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };

/**
 * Settings › Import and export: a MARC catalogue or a patron CSV into this station (a dry run
 * first, if wished), with a progress bar and the report of what did not go in; and the offline
 * circulation files for Koha and Evergreen. Large catalogues go faster from the command line
 * (docs/data-in-and-out.md).
 */
export function ImportSettings() {
  const { t } = useTranslation();
  const fileRef = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<'marc' | 'patrons'>('marc');
  const [phase, setPhase] = useState<'idle' | 'sending' | 'importing'>('idle');
  const [sent, setSent] = useState(0);
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  async function start(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError({ code: 'INVALID', message: t('import.chooseFile') });
      return;
    }
    setError(null);
    setStatus(null);
    setPhase('sending');
    try {
      let uploadId: string | null = null;
      for (let at = 0; at < file.size || (at === 0 && file.size === 0); at += PIECE) {
        const piece = new Uint8Array(await file.slice(at, at + PIECE).arrayBuffer());
        const r: { uploadId: string; bytes: number } = await client.call('import.upload', {
          uploadId,
          chunk: toBase64(piece),
        });
        uploadId = r.uploadId;
        setSent(Math.min(1, r.bytes / Math.max(1, file.size)));
        if (file.size === 0) break;
      }
      const defaultCode = String(form.get('defaultCode') ?? '').trim() || null;
      const { jobId } = await client.call('import.start', {
        uploadId: uploadId!,
        kind,
        dryRun: form.get('dryRun') === 'on',
        ...(kind === 'marc' ? { defaultItemType: defaultCode } : { defaultCategory: defaultCode }),
      });
      setPhase('importing');
      for (;;) {
        const s = await client.call('import.status', { jobId });
        setStatus(s);
        if (s.state !== 'running') break;
        await new Promise((done) => setTimeout(done, 400));
      }
    } catch (err) {
      setError(asProblem(err));
    } finally {
      setPhase('idle');
    }
  }

  const fraction =
    phase === 'sending'
      ? sent
      : status
        ? status.state === 'running'
          ? status.bytes / Math.max(1, status.totalBytes)
          : 1
        : 0;
  const report = status?.report ?? null;
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <form onSubmit={(e) => void start(e)} aria-label={t('import.title')} noValidate>
        <fieldset>
          <legend>{t('import.what')}</legend>
          <label>
            <input type="radio" name="kind" value="marc" checked={kind === 'marc'} onChange={() => setKind('marc')} />{' '}
            {t('import.marc')}
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              value="patrons"
              checked={kind === 'patrons'}
              onChange={() => setKind('patrons')}
            />{' '}
            {t('import.patrons')}
          </label>
        </fieldset>
        <label htmlFor="import-file">{t('import.file')}</label>
        <input
          id="import-file"
          ref={fileRef}
          type="file"
          name="file"
          accept={kind === 'marc' ? '.mrc,.marc,.dat,.xml,.iso' : '.csv,.txt,.tsv'}
        />
        <Field
          label={kind === 'marc' ? t('import.defaultItemType') : t('import.defaultCategory')}
          name="defaultCode"
          autoComplete="off"
          hint={t('import.defaultHint')}
        />
        <label>
          <input type="checkbox" name="dryRun" defaultChecked /> {t('import.dryRun')}
        </label>
        <button type="submit" disabled={phase !== 'idle'}>
          {t('import.start')}
        </button>
      </form>
      {phase !== 'idle' || status ? (
        <div>
          <p id="import-progress-label">
            {phase === 'sending'
              ? t('import.sending')
              : status?.state === 'running'
                ? t('import.importing', { read: status.read })
                : t('import.finished')}
          </p>
          <progress aria-labelledby="import-progress-label" max={100} value={Math.round(fraction * 100)} />
        </div>
      ) : null}
      <Problem error={error} />
      {status?.state === 'failed' ? <p role="alert">{t('import.failed', { message: status.error ?? '' })}</p> : null}
      {report ? (
        <section aria-labelledby="import-report-title">
          <h3 id="import-report-title">{report.dryRun ? t('import.reportDry') : t('import.report')}</h3>
          <p data-testid="import-counts">
            {t(status?.kind === 'marc' ? 'import.countsMarc' : 'import.countsPatrons', {
              read: report.read,
              added: report.added,
              updated: report.updated,
              copies: report.copies,
              skipped: report.skipped,
            })}
          </p>
          {report.skippedRows.length > 0 ? (
            <table>
              <caption>{t('import.skippedCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('import.position')}</th>
                  <th scope="col">{t('import.id')}</th>
                  <th scope="col">{t('import.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.skippedRows.map((row) => (
                  <tr key={row.position} data-testid="import-skipped-row">
                    <td>{row.position}</td>
                    <td>{row.id ?? ''}</td>
                    <td>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
      <PatronsExport />
      <OfflineExport />
    </section>
  );
}

/** The browser saves `text` as a file called `name`. */
function saveFile(text: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** Every patron as CSV, in Koha's column names (no PIN, loans or history). */
function PatronsExport() {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function save() {
    setError(null);
    setDone(null);
    try {
      const r = await client.call('export.patrons', {});
      saveFile(r.csv, 'circa-patrons.csv', 'text/csv');
      setDone(t('import.patronsExported', { count: r.patrons }));
    } catch (err) {
      setError(asProblem(err));
    }
  }
  return (
    <section aria-labelledby="patrons-export-title">
      <h3 id="patrons-export-title">{t('import.patronsExportTitle')}</h3>
      <button type="button" onClick={() => void save()}>
        {t('import.patronsExport')}
      </button>
      {done ? <p role="status">{done}</p> : null}
      <Problem error={error} />
    </section>
  );
}

/** Koha's .koc or Evergreen's offline file for a span of days, saved by the browser. */
function OfflineExport() {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const format = form.get('format') === 'evergreen' ? 'evergreen' : 'koc';
    setError(null);
    setDone(null);
    try {
      const r = await client.call('export.offline', {
        format,
        from: String(form.get('from') ?? ''),
        to: String(form.get('to') ?? ''),
        again: form.get('again') === 'on',
      });
      saveFile(
        r.text,
        `circa-${String(form.get('from'))}-${String(form.get('to'))}.${format === 'koc' ? 'koc' : 'json'}`,
        'text/plain',
      );
      setDone(t('import.exported', { count: r.transactions }));
    } catch (err) {
      setError(asProblem(err));
    }
  }
  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="offline-export-title" noValidate>
      <h3 id="offline-export-title">{t('import.offlineTitle')}</h3>
      <label htmlFor="offline-format">{t('import.format')}</label>
      <select id="offline-format" name="format" defaultValue="koc">
        <option value="koc">{t('import.koc')}</option>
        <option value="evergreen">{t('import.evergreen')}</option>
      </select>
      <Field label={t('import.from')} name="from" type="date" required />
      <Field label={t('import.to')} name="to" type="date" required />
      <label>
        <input type="checkbox" name="again" /> {t('import.again')}
      </label>
      <button type="submit">{t('import.export')}</button>
      {done ? <p role="status">{done}</p> : null}
      <Problem error={error} />
    </form>
  );
}
