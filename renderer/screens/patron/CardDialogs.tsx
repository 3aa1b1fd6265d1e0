import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { DEFAULT_BARCODE_RULES, validateBarcode } from '../../../src/domain/barcode';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { FormButtons } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useNewScans } from '../../state/scans';
import { useSession } from '../../state/session';

/** A new card for a lost one: the old barcode stops working at once. Scanning the new card fills it in. */
export function ReplaceCardDialog({
  onSave,
  onCancel,
}: {
  onSave(cardBarcode: string): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  useNewScans((scan) => {
    if (!input.current) return;
    input.current.value = scan.barcode;
    input.current.focus();
  });
  const rule = useSession((s) => s.setup?.barcodes.patron) ?? DEFAULT_BARCODE_RULES.patron;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const raw = f.required('cardBarcode', 64);
    const checked = validateBarcode(rule, raw);
    if (raw && !checked.ok) f.fail('cardBarcode', t(`patron.barcodeProblem.${checked.reason}`));
    setErrors(f.errors);
    if (!f.ok || !checked.ok) return;
    try {
      await onSave(checked.barcode);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <Dialog title={t('patron.replaceTitle')} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={t('patron.replaceTitle')} noValidate>
        <p>{t('patron.replaceIntro')}</p>
        <Field
          label={t('patron.newCard')}
          ref={input}
          name="cardBarcode"
          required
          autoComplete="off"
          inputMode="numeric"
          autoFocus
          error={errors.cardBarcode}
        />
        <Problem error={error} />
        <FormButtons submit={t('patron.replaceSubmit')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** The PIN for the self-checkout, typed twice. */
export function SetPinDialog({ onSave, onCancel }: { onSave(pin: string): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const pin = f.required('pin', 8);
    if (pin && !/^\d{4,8}$/.test(pin)) f.fail('pin', t('patron.pinRule'));
    else if (pin !== f.text('confirmPin')) f.fail('confirmPin', t('patron.pinMismatch'));
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(pin);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <Dialog title={t('patron.pinTitle')} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={t('patron.pinTitle')} noValidate>
        <Field
          label={t('patrons.pin')}
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          required
          autoFocus
          error={errors.pin}
        />
        <Field
          label={t('patron.confirmPin')}
          name="confirmPin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          required
          error={errors.confirmPin}
        />
        <Problem error={error} />
        <FormButtons submit={t('patron.pinSubmit')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}
