// Step 2: the PIN. The PIN leaves the page's DOM the moment it is sent (the field is emptied
// before the station answers), so a refused PIN is never left on screen for the next person,
// and Back returns to the card without signing anyone in.
import { useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { Field } from '../../components/Field';
import { KioskProblem } from './KioskProblem';

export function PinStep({
  error,
  busy,
  onPin,
  onBack,
}: {
  error: ApiErrorBody | null;
  busy: boolean;
  onPin(pin: string): Promise<void>;
  onBack(): void;
}) {
  const { t } = useTranslation();
  const field = useRef<HTMLInputElement | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = field.current;
    if (!input) return;
    const pin = input.value;
    input.value = '';
    await onPin(pin);
    // Refused: ready for another try (signed in, the step is gone and so is the field).
    field.current?.focus();
  }
  return (
    <section className="kiosk-step kiosk-centered">
      <h1 id="kiosk-pin-title">{t('kiosk.pinTitle')}</h1>
      <form className="kiosk-entry" onSubmit={(e) => void submit(e)}>
        <Field
          ref={field}
          label={t('kiosk.pin')}
          hint={t('kiosk.pinHint')}
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          required
        />
        <KioskProblem error={error} at="pin" />
        <div className="kiosk-row">
          <button type="button" className="kiosk-button" onClick={onBack}>
            <span aria-hidden="true">← </span>
            {t('kiosk.back')}
          </button>
          <button type="submit" className="kiosk-button kiosk-primary" disabled={busy}>
            {t('kiosk.signIn')}
          </button>
        </div>
      </form>
    </section>
  );
}
