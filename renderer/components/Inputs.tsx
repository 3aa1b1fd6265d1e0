import type { ComponentProps, ReactNode } from 'react';
import { FieldFrame, type FieldText } from './Field';

/** A select with its visible label. A field's own error shows under it. */
export function SelectField({
  label,
  hint,
  error,
  children,
  ...select
}: FieldText & { children: ReactNode } & ComponentProps<'select'>) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(control) => (
        <select {...control} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
}

/** A select's options, one per value, each shown in words. */
export function Options<Value extends string>({
  values,
  label,
}: {
  values: readonly Value[];
  label(value: Value): string;
}) {
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {label(value)}
        </option>
      ))}
    </>
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
export function TextAreaField({ label, hint, error, ...area }: FieldText & ComponentProps<'textarea'>) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(control) => <textarea {...control} {...area} />}
    </FieldFrame>
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
