import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { asError } from '../api/errors';
import { FormReader, type FieldErrors } from './formReader';

/**
 * What every desk form does on submit: `read` checks the fields with a FormReader, and only a
 * form without field errors reaches `save`. The field errors go under their fields; a refusal
 * from the station is kept for the form's <Problem> and the dialog stays open to fix it; a save
 * that goes through clears it (a form that stays open after saving shows no old refusal).
 */
export function useFormSubmit<Value>(
  read: (form: FormReader) => Value,
  save: (value: Value) => Promise<void>,
): { errors: FieldErrors; error: ApiErrorBody | null; onSubmit(e: FormEvent<HTMLFormElement>): void } {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormReader(e.currentTarget, t);
    const value = read(form);
    setErrors(form.errors);
    if (!form.ok) return;
    try {
      await save(value);
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  }
  return { errors, error, onSubmit: (e) => void submit(e) };
}
