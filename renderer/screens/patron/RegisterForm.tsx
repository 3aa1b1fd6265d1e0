// Registering a patron. Every problem shows where the eye is (#12 bug 6): a field's own under
// it (a card already someone else's under the card), anything else next to the Save button, and
// announced (role=alert) either way.
import { useTranslation } from 'react-i18next';
import type { ApiInput, ApiOutput } from '../../../src/api/contract';
import { ApiError, client } from '../../api/client';
import { Field } from '../../components/Field';
import { CheckField, FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useFormSubmit } from '../../components/useFormSubmit';

type Summary = ApiOutput<'patrons.register'>;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The station's "that card is someone else's" (CONFLICT) as what it is: a problem of the card field. */
const cardTaken = (err: unknown) =>
  err instanceof ApiError && err.body.code === 'CONFLICT'
    ? new ApiError({
        code: 'INVALID',
        message: err.body.message,
        issues: [{ path: 'cardBarcode', message: err.body.message, reason: 'cardInUse' }],
      })
    : err;

export function RegisterForm({
  categories,
  onRegistered,
  onCancel,
}: {
  categories: { code: string; name: string }[];
  onRegistered(summary: Summary): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { errors, error, onSubmit, busy } = useFormSubmit(
    (f): ApiInput<'patrons.register'> => {
      const email = f.optional('email', 200);
      if (email && !EMAIL.test(email)) f.fail('email', t('patron.badEmail'));
      const pin = f.text('pin');
      if (pin && !/^\d{4,8}$/.test(pin)) f.fail('pin', t('patrons.pinRule'));
      return {
        cardBarcode: f.required('cardBarcode', 64),
        firstName: f.required('firstName', 100),
        lastName: f.required('lastName', 100),
        email,
        phone: f.optional('phone', 40),
        categoryCode: f.text('categoryCode') || categories[0]?.code || 'ADULT',
        pin: pin || null,
        keepReadingHistory: f.bool('keepReadingHistory'),
      };
    },
    async (input) => {
      try {
        onRegistered(await client.call('patrons.register', input));
      } catch (err) {
        throw cardTaken(err);
      }
    },
  );
  return (
    <form onSubmit={onSubmit} aria-label={t('patrons.register')} className="panel" noValidate>
      <h2>{t('patrons.register')}</h2>
      <div className="grid-form">
        <Field
          label={t('checkout.patronBarcode')}
          name="cardBarcode"
          required
          autoComplete="off"
          autoFocus
          data-scan-field="kept"
          error={errors.cardBarcode}
        />
        <Field label={t('patrons.firstName')} name="firstName" required error={errors.firstName} />
        <Field label={t('patrons.lastName')} name="lastName" required error={errors.lastName} />
        <Field label={t('patrons.email')} name="email" type="email" error={errors.email} />
        <Field label={t('patrons.phone')} name="phone" type="tel" error={errors.phone} />
        <SelectField
          label={t('patron.category')}
          name="categoryCode"
          defaultValue={categories.find((c) => c.code === 'ADULT')?.code ?? categories[0]?.code}
        >
          {categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('patrons.pin')}
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          error={errors.pin}
        />
      </div>
      <CheckField label={t('patrons.keepHistory')} name="keepReadingHistory" />
      {/* Next to the button pressed: a refusal is seen and heard where Save was. */}
      <Problem error={error} />
      <div aria-busy={busy}>
        <FormButtons submit={t('patrons.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </div>
    </form>
  );
}
