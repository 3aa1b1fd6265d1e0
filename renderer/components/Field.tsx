import { useId, type ComponentProps } from 'react';

/** An input with its visible label: every control at the desk is labelled. A field's own error shows under it. */
export function Field({ label, hint, error, ...input }: { label: string; hint?: string; error?: string | null } & ComponentProps<'input'>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={described || undefined} aria-invalid={error ? true : undefined} {...input} />
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}
