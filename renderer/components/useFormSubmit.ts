import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { asError } from '../api/errors';
import { FormReader, type FieldErrors } from './formReader';

/**
 * The station's INVALID answer, field by field: each issue whose path names a control of the
 * form (directly, or through `fieldOf`) goes under that control, worded by its reason. What is
 * left (no field to put it under) stays for the form's <Problem>.
 */
export function stationFieldErrors(
  error: ApiErrorBody,
  form: HTMLFormElement,
  t: TFunction,
  fieldOf: (path: string) => string | undefined = (p) => p,
): { errors: FieldErrors; rest: ApiErrorBody | null } {
  if (error.code !== 'INVALID' || !error.issues?.length) return { errors: {}, rest: error };
  const errors: FieldErrors = {};
  const unplaced = [];
  for (const issue of error.issues) {
    const name = fieldOf(issue.path);
    if (name && form.elements.namedItem(name))
      errors[name] ??= t([`form.reasons.${issue.reason ?? 'invalid'}`, 'form.reasons.invalid']);
    else unplaced.push(issue);
  }
  return { errors, rest: unplaced.length ? { ...error, issues: unplaced } : null };
}

/**
 * What every desk form does on submit: `read` checks the fields with a FormReader, and only a
 * form without field errors reaches `save`. The field errors go under their fields, and so does
 * a station's INVALID answer that names a field; another refusal is kept for the form's
 * <Problem> (next to its Save button) and the form stays as typed to fix it; a save that goes
 * through clears it (a form that stays open after saving shows no old refusal).
 *
 * `afterSave` gets the form element itself, taken before anything is awaited: React's event (and
 * its currentTarget) is not the form's any more once the station has answered (#12 bug 1: a
 * form reset after an await threw, and a record that was made was reported as not made).
 * `fieldOf` names the control a station issue's path belongs to (changes.isbn -> isbn).
 */
export interface FormSubmitOptions {
  fieldOf?: (path: string) => string | undefined;
  afterSave?: (form: HTMLFormElement) => void;
}

export function useFormSubmit<Value>(
  read: (form: FormReader) => Value,
  save: (value: Value) => Promise<void>,
  { fieldOf, afterSave }: FormSubmitOptions = {},
): { errors: FieldErrors; error: ApiErrorBody | null; onSubmit(e: FormEvent<HTMLFormElement>): void; busy: boolean } {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormReader(formElement, t);
    const value = read(form);
    setErrors(form.errors);
    if (!form.ok) return;
    setBusy(true);
    try {
      await save(value);
      setError(null);
      afterSave?.(formElement);
    } catch (err) {
      const placed = stationFieldErrors(asError(err), formElement, t, fieldOf);
      setErrors(placed.errors);
      setError(placed.rest);
    } finally {
      setBusy(false);
    }
  }
  return { errors, error, busy, onSubmit: (e) => void submit(e) };
}
