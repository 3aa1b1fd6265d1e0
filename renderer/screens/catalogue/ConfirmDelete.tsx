import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Problem } from '../../components/Problem';

/**
 * "Delete this?" with the station's answer in the dialog itself: a copy on loan or held for a
 * hold, a record with copies, is refused there, with the reason, where the eye is.
 */
export function ConfirmDelete({
  title,
  question,
  onDelete,
  onCancel,
}: {
  title: string;
  question: string;
  onDelete(): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  return (
    <Dialog title={title} onCancel={onCancel}>
      <p>{question}</p>
      <Problem error={error} />
      <div className="form-buttons">
        <button
          type="button"
          className="danger"
          onClick={() =>
            void onDelete().then(
              () => setError(null),
              (err: unknown) => setError(asError(err)),
            )
          }
        >
          {t('form.delete')}
        </button>
        <button type="button" onClick={onCancel} autoFocus>
          {t('form.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
