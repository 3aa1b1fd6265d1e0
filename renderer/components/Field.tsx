import { useId, type ComponentProps, type ReactNode } from 'react';

/** The words around a control: its label, an optional hint, and its own error if it has one. */
export interface FieldText {
  label: string;
  hint?: string;
  error?: string | null;
}

/** What a labelled control carries so its label, hint and error are tied to it. */
export interface FieldControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A control's visible label, its hint and its own error under it: the control itself is drawn by `children`. */
export function FieldFrame({
  label,
  hint,
  error,
  children,
}: FieldText & { children: (control: FieldControlProps) => ReactNode }) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? true : undefined })}
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** An input with its visible label: every control at the desk is labelled. A field's own error shows under it. */
export function Field({ label, hint, error, ...input }: FieldText & ComponentProps<'input'>) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(control) => <input {...control} {...input} />}
    </FieldFrame>
  );
}
