import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { Dialog } from './Dialog';
import { FormButtons } from './Inputs';
import { Problem } from './Problem';

export interface FormDialogProps {
  /** The dialog's heading, which also names its form. */
  title: string;
  onSubmit(e: FormEvent<HTMLFormElement>): void;
  /** The station's answer to the last save, shown above the buttons. */
  error: ApiErrorBody | null;
  /** The submit button's label. */
  submit: string;
  onCancel(): void;
  children: ReactNode;
}

/** An edit dialog holding one form: its fields, then the station's refusal, then Save and Cancel. */
export function FormDialog({ title, onSubmit, error, submit, onCancel, children }: FormDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        {children}
        <Problem error={error} />
        <FormButtons submit={submit} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}
