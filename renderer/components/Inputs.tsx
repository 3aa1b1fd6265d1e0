import { useId, type ComponentProps, type ReactNode } from 'react';

/** A select with its visible label. A field's own error shows under it. */
export function SelectField({ label, hint, error, children, ...select }: { label: string; hint?: string; error?: string | null; children: ReactNode } & ComponentProps<'select'>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-describedby={described || undefined} aria-invalid={error ? true : undefined} {...select}>
        {children}
      </select>
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** A checkbox with its label beside it (the whole label is clickable). */
export function CheckField({ label, ...input }: { label: string } & Omit<ComponentProps<'input'>, 'type'>) {
  return (
    <div className="field check">
      <label>
        <input type="checkbox" {...input} /> {label}
      </label>
    </div>
  );
}

/** A multi-line text box with its visible label. A field's own error shows under it. */
export function TextAreaField({ label, hint, error, ...area }: { label: string; hint?: string; error?: string | null } & ComponentProps<'textarea'>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={described || undefined} aria-invalid={error ? true : undefined} {...area} />
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** Buttons at the foot of a form: the submit first, then cancel (Escape also cancels a dialog). */
export function FormButtons({ submit, cancel, onCancel }: { submit: string; cancel?: string; onCancel?: () => void }) {
  return (
    <div className="form-buttons">
      <button type="submit">{submit}</button>
      {cancel && onCancel ? (
        <button type="button" onClick={onCancel}>
          {cancel}
        </button>
      ) : null}
    </div>
  );
}
