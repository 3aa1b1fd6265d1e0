// A bibliographic record's fields, for adding one (a form on the screen) and correcting one (a
// dialog). Checked here as the station checks them (an ISBN's check digit, a year as a number),
// each problem under its field; an ISBN another record already has is a warning, not a refusal.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiInput, ApiOutput } from '../../../src/api/contract';
import { isValidIsbn } from '../../../src/domain/isbn';
import { client } from '../../api/client';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import type { FieldErrors, FormReader } from '../../components/formReader';
import { Problem } from '../../components/Problem';
import { useFormSubmit } from '../../components/useFormSubmit';

export type BibRecord = ApiOutput<'catalogue.record'>['record'];
type RecordInput = ApiInput<'catalogue.addRecord'>;

/** The record's fields as typed, checked: the input the station takes. */
export function readRecord(f: FormReader, t: (key: string) => string): RecordInput {
  const title = f.required('title', 500);
  const isbn = f.optional('isbn', 20);
  if (isbn && !isValidIsbn(isbn)) f.fail('isbn', t('form.reasons.isbn'));
  const year = f.text('year');
  if (year && !/^\d{1,4}$/.test(year)) f.fail('year', t('form.reasons.year'));
  return {
    title,
    author: f.optional('author', 300),
    isbn,
    callNumber: f.optional('callNumber', 100),
    year: year ? Number(year) : null,
  };
}

/** Other records with this ISBN, looked up when the ISBN field is left: "already in the catalogue as ...". */
function useDuplicateIsbn(exceptRecordId: string | null) {
  const [dupes, setDupes] = useState<ApiOutput<'catalogue.findIsbn'>>([]);
  const check = (isbn: string) => {
    if (!isbn.trim() || !isValidIsbn(isbn)) return setDupes([]);
    void client.call('catalogue.findIsbn', { isbn }).then(
      (found) => setDupes(found.filter((r) => r.id !== exceptRecordId)),
      () => setDupes([]),
    );
  };
  return { dupes, check, clear: () => setDupes([]) };
}

function RecordFields({
  record,
  errors,
  onIsbnBlur,
  dupes,
}: {
  record?: BibRecord;
  errors: FieldErrors;
  onIsbnBlur(isbn: string): void;
  dupes: ApiOutput<'catalogue.findIsbn'>;
}) {
  const { t } = useTranslation();
  return (
    <div className="grid-form">
      <Field
        label={t('catalogue.recordTitle')}
        name="title"
        required
        defaultValue={record?.title ?? ''}
        error={errors.title}
      />
      <Field label={t('catalogue.author')} name="author" defaultValue={record?.author ?? ''} error={errors.author} />
      <div>
        <Field
          label="ISBN"
          name="isbn"
          defaultValue={record?.isbn ?? ''}
          autoComplete="off"
          error={errors.isbn}
          onBlur={(e) => onIsbnBlur(e.currentTarget.value)}
        />
        <div role="status">
          {dupes.length > 0 ? (
            <p className="warning-note" data-testid="isbn-warning">
              {t('catalogue.isbnExists', { count: dupes.length, titles: dupes.map((d) => d.title).join('; ') })}
            </p>
          ) : null}
        </div>
      </div>
      <Field
        label={t('catalogue.callNumber')}
        name="callNumber"
        defaultValue={record?.callNumber ?? ''}
        error={errors.callNumber}
      />
      <Field
        label={t('catalogue.year')}
        name="year"
        inputMode="numeric"
        defaultValue={record?.year ?? ''}
        error={errors.year}
      />
    </div>
  );
}

/** Add a record: on the screen, always there; emptied for the next one once the station has it. */
export function AddRecordForm({ onAdded }: { onAdded(record: BibRecord): Promise<void> }) {
  const { t } = useTranslation();
  const isbn = useDuplicateIsbn(null);
  const { errors, error, onSubmit, busy } = useFormSubmit(
    (f) => readRecord(f, t),
    async (input) => {
      const created = await client.call('catalogue.addRecord', input);
      isbn.clear();
      await onAdded(created);
    },
    { afterSave: (form) => form.reset() },
  );
  return (
    <form onSubmit={onSubmit} aria-label={t('catalogue.addRecord')} className="panel" noValidate>
      <h2>{t('catalogue.addRecord')}</h2>
      <RecordFields errors={errors} onIsbnBlur={isbn.check} dupes={isbn.dupes} />
      <Problem error={error} />
      <button type="submit" disabled={busy}>
        {t('catalogue.addRecord')}
      </button>
    </form>
  );
}

/** Correct a record: a dialog with its fields as they are. */
export function EditRecordDialog({
  record,
  onSaved,
  onCancel,
}: {
  record: BibRecord;
  onSaved(record: BibRecord): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const isbn = useDuplicateIsbn(record.id);
  const { errors, error, onSubmit } = useFormSubmit(
    (f) => readRecord(f, t),
    async (changes) => onSaved(await client.call('catalogue.updateRecord', { recordId: record.id, changes })),
    { fieldOf: (path) => path.replace(/^changes\./, '') },
  );
  return (
    <FormDialog
      title={t('catalogue.editRecordTitle', { title: record.title })}
      onSubmit={onSubmit}
      error={error}
      submit={t('catalogue.saveRecord')}
      onCancel={onCancel}
    >
      <RecordFields record={record} errors={errors} onIsbnBlur={isbn.check} dupes={isbn.dupes} />
    </FormDialog>
  );
}
