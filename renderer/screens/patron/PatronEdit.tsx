import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { CheckField, FormButtons, SelectField, TextAreaField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';

export type Patron = ApiOutput<'patrons.lookup'>['patron'];
export type PatronChanges = ApiInput<'patrons.update'>['changes'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Edit a patron's details, category, home branch, card expiry, notes and privacy choice. */
export function PatronEditForm({
  patron,
  categories,
  branches,
  onSave,
  onCancel,
}: {
  patron: Patron;
  categories: { code: string; name: string }[];
  branches: { id: string; name: string }[];
  onSave(changes: PatronChanges): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const email = f.optional('email', 200);
    if (email && !EMAIL.test(email)) f.fail('email', t('patron.badEmail'));
    const changes: PatronChanges = {
      firstName: f.required('firstName', 100),
      lastName: f.required('lastName', 100),
      email,
      phone: f.optional('phone', 40),
      address: f.multiLine('address', 400) || null,
      homeBranchId: f.text('homeBranchId') || patron.homeBranchId,
      categoryCode: f.text('categoryCode') || patron.categoryCode,
      cardExpiresOn: f.requiredDate('cardExpiresOn'),
      notes: f.multiLine('notes', 2000),
      keepReadingHistory: f.bool('keepReadingHistory'),
      language: (f.text('language') || null) as PatronChanges['language'],
      noticeChannel: (f.text('noticeChannel') || null) as PatronChanges['noticeChannel'],
    };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(changes);
    } catch (err) {
      setError(asError(err));
    }
  }

  const title = t('patron.editTitle', { name: `${patron.firstName} ${patron.lastName}` });
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        <div className="grid-form">
          <Field
            label={t('patrons.firstName')}
            name="firstName"
            defaultValue={patron.firstName}
            required
            autoFocus
            error={errors.firstName}
          />
          <Field
            label={t('patrons.lastName')}
            name="lastName"
            defaultValue={patron.lastName}
            required
            error={errors.lastName}
          />
          <Field
            label={t('patrons.email')}
            name="email"
            type="email"
            defaultValue={patron.email ?? ''}
            error={errors.email}
          />
          <Field
            label={t('patrons.phone')}
            name="phone"
            type="tel"
            defaultValue={patron.phone ?? ''}
            error={errors.phone}
          />
          <SelectField label={t('patron.category')} name="categoryCode" defaultValue={patron.categoryCode}>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('patron.homeBranch')} name="homeBranchId" defaultValue={patron.homeBranchId}>
            {branches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('patron.cardExpiresOn')}
            name="cardExpiresOn"
            type="date"
            defaultValue={patron.cardExpiresOn}
            required
            error={errors.cardExpiresOn}
          />
        </div>
        <TextAreaField
          label={t('patron.address')}
          name="address"
          defaultValue={patron.address ?? ''}
          rows={2}
          cols={50}
        />
        {errors.address ? <p className="field-error">{errors.address}</p> : null}
        <TextAreaField label={t('patron.notes')} name="notes" defaultValue={patron.notes} rows={3} cols={50} />
        {errors.notes ? <p className="field-error">{errors.notes}</p> : null}
        <CheckField
          label={t('patron.keepHistory')}
          name="keepReadingHistory"
          defaultChecked={patron.keepReadingHistory}
        />
        <SelectField label={t('patron.noticeLanguage')} name="language" defaultValue={patron.language ?? ''}>
          <option value="">{t('patron.noticeLanguageLibrary')}</option>
          <option value="en">{t('noticeSettings.lang.en')}</option>
          <option value="es">{t('noticeSettings.lang.es')}</option>
        </SelectField>
        <SelectField label={t('patron.noticeChannel')} name="noticeChannel" defaultValue={patron.noticeChannel ?? ''}>
          <option value="">{t('patron.noticeChannelDefault')}</option>
          <option value="email">{t('noticeSettings.channel.email')}</option>
          <option value="print">{t('noticeSettings.channel.print')}</option>
        </SelectField>
        <Problem error={error} />
        <FormButtons submit={t('patron.saveChanges')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}
