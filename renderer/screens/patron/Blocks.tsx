import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { formatDay } from '../../format';

type Block = ApiOutput<'patrons.lookup'>['blocks'][number];
export type BlockInput = Omit<ApiInput<'patrons.addBlock'>, 'patronId'>;
const KINDS = ['manual', 'barred', 'lost_card'] as const;

/** A patron's blocks, each with its reason and end date, and a button to lift it. */
export function BlockList({
  blocks,
  locale,
  onRemove,
}: {
  blocks: Block[];
  locale: string;
  onRemove(block: Block): void;
}) {
  const { t } = useTranslation();
  if (blocks.length === 0) return null;
  return (
    <div className="alerts" role="note" aria-label={t('checkout.blocks')}>
      <ul>
        {blocks.map((b) => (
          <li key={b.id} data-testid="block">
            <strong>{t(`patron.blockKinds.${b.kind}`)}</strong>: {b.reason}
            {b.until ? ` (${t('patron.until', { date: formatDay(b.until, locale) })})` : ''}{' '}
            <button
              type="button"
              aria-label={t('patron.removeBlockFor', { reason: b.reason })}
              onClick={() => onRemove(b)}
            >
              {t('patron.removeBlock')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A new block: why, of what kind, and until when (empty: until lifted). */
export function AddBlockDialog({ onSave, onCancel }: { onSave(block: BlockInput): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const block: BlockInput = {
      kind: KINDS.find((k) => k === f.text('kind')) ?? 'manual',
      reason: f.required('reason', 500),
      until: f.date('until'),
    };
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave(block);
    } catch (err) {
      setError(asError(err));
    }
  }
  return (
    <Dialog title={t('patron.blockTitle')} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={t('patron.blockTitle')} noValidate>
        <SelectField label={t('patron.blockKind')} name="kind" defaultValue="manual" autoFocus>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`patron.blockKinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <Field label={t('patron.blockReason')} name="reason" required autoComplete="off" error={errors.reason} />
        <Field
          label={t('patron.blockUntil')}
          name="until"
          type="date"
          hint={t('patron.blockUntilHint')}
          error={errors.until}
        />
        <Problem error={error} />
        <FormButtons submit={t('patron.blockSubmit')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}
