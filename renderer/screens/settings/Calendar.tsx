import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { FormReader, type FieldErrors } from '../../components/formReader';
import { FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { formatDay, formatMonthDay, monthName, weekdayName } from '../../format';
import { useDeskLocale } from '../../components/useDeskLocale';
import { useSession } from '../../state/session';

export type ClosedDayInput = ApiInput<'calendar.addClosedDay'>['day'];
export type ClosedDay = ClosedDayInput & { id: string };
type Kind = ClosedDayInput['kind'];

/** calendar.list answers loosely typed rows: keep the ones that are closed days. */
export function asClosedDays(rows: Record<string, unknown>[]): ClosedDay[] {
  const out: ClosedDay[] = [];
  for (const r of rows) {
    const id = String(r.id);
    const description = typeof r.description === 'string' ? r.description : undefined;
    if (r.kind === 'date' && typeof r.date === 'string') out.push({ id, kind: 'date', date: r.date, description });
    else if (r.kind === 'weekly' && typeof r.weekday === 'number')
      out.push({ id, kind: 'weekly', weekday: r.weekday, description });
    else if (r.kind === 'yearly' && typeof r.month === 'number' && typeof r.day === 'number')
      out.push({ id, kind: 'yearly', month: r.month, day: r.day, description });
  }
  return out;
}

const order = (d: ClosedDay) =>
  d.kind === 'weekly'
    ? `0${d.weekday}`
    : d.kind === 'yearly'
      ? `1${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`
      : `2${d.date}`;

export interface ClosedDaysEditorProps {
  days: ClosedDay[];
  locale: string;
  onAdd(day: ClosedDayInput): Promise<void>;
  onRemove(day: ClosedDay): Promise<void>;
}

/** The days a branch is closed: one date, a weekday every week, or a day every year. */
export function ClosedDaysEditor({ days, locale, onAdd, onRemove }: ClosedDaysEditorProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('date');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const describe = (d: ClosedDay | ClosedDayInput) =>
    d.kind === 'date'
      ? formatDay(d.date, locale)
      : d.kind === 'weekly'
        ? t('calendar.everyWeek', { day: weekdayName(d.weekday, locale) })
        : t('calendar.everyYear', { date: formatMonthDay(d.month, d.day, locale) });

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormReader(form, t);
    const description = f.optional('description') ?? undefined;
    let day: ClosedDayInput;
    if (kind === 'date') day = { kind, date: f.requiredDate('date'), description };
    else if (kind === 'weekly') day = { kind, weekday: f.int('weekday', 0, 6), description };
    else {
      const month = f.int('month', 1, 12);
      const dayOfMonth = f.int('day', 1, 31);
      // 29 February is allowed: leap years have it.
      if (f.ok && dayOfMonth > new Date(Date.UTC(2000, month, 0)).getUTCDate()) f.fail('day', t('calendar.noSuchDay'));
      day = { kind, month, day: dayOfMonth, description };
    }
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onAdd(day);
      setError(null);
      form.reset();
    } catch (err) {
      setError(asError(err));
    }
  }

  async function remove(d: ClosedDay) {
    try {
      await onRemove(d);
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <section aria-labelledby="calendar-title">
      <h2 id="calendar-title">{t('calendar.title')}</h2>
      {days.length === 0 ? <p>{t('calendar.none')}</p> : null}
      <ul className="returns" aria-label={t('calendar.listLabel')}>
        {[...days]
          .sort((a, b) => order(a).localeCompare(order(b)))
          .map((d) => (
            <li key={d.id} data-testid="closed-day">
              <span>
                {describe(d)}
                {d.description ? ` — ${d.description}` : ''}
              </span>{' '}
              <button
                type="button"
                aria-label={t('calendar.removeDay', { day: describe(d) })}
                onClick={() => void remove(d)}
              >
                {t('calendar.remove')}
              </button>
            </li>
          ))}
      </ul>
      <form onSubmit={(e) => void add(e)} aria-label={t('calendar.add')} className="card" noValidate>
        <h3>{t('calendar.add')}</h3>
        <fieldset>
          <legend>{t('calendar.repeat')}</legend>
          {(['date', 'weekly', 'yearly'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{' '}
              {t(`calendar.kinds.${k}`)}{' '}
            </label>
          ))}
        </fieldset>
        {kind === 'date' ? (
          <Field label={t('calendar.date')} name="date" type="date" required error={errors.date} />
        ) : null}
        {kind === 'weekly' ? (
          <SelectField label={t('calendar.weekday')} name="weekday" defaultValue="0">
            {[0, 1, 2, 3, 4, 5, 6].map((w) => (
              <option key={w} value={w}>
                {weekdayName(w, locale)}
              </option>
            ))}
          </SelectField>
        ) : null}
        {kind === 'yearly' ? (
          <div className="grid-form">
            <SelectField label={t('calendar.month')} name="month" defaultValue="1">
              {[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => (
                <option key={m} value={m}>
                  {monthName(m, locale)}
                </option>
              ))}
            </SelectField>
            <Field
              label={t('calendar.dayOfMonth')}
              name="day"
              inputMode="numeric"
              required
              autoComplete="off"
              error={errors.day}
            />
          </div>
        ) : null}
        <Field label={t('calendar.description')} name="description" autoComplete="off" error={errors.description} />
        <Problem error={error} />
        <FormButtons submit={t('calendar.addSubmit')} />
      </form>
    </section>
  );
}

/** Settings › Closed days, for one branch at a time. */
export function CalendarSettings() {
  const { t } = useTranslation();
  const locale = useDeskLocale();
  const staff = useSession((s) => s.staff);
  const branches = useLoad(() => client.call('branches.list', {}));
  const [chosen, setChosen] = useState<string | null>(null);
  const branchId = chosen ?? staff?.branchId ?? branches.data?.[0]?.id ?? null;
  const days = useLoad(
    async () => (branchId ? asClosedDays(await client.call('calendar.list', { branchId })) : []),
    branchId ?? '',
  );
  return (
    <>
      <SelectField label={t('calendar.branch')} value={branchId ?? ''} onChange={(e) => setChosen(e.target.value)}>
        {(branches.data ?? []).map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </SelectField>
      <Problem error={branches.error ?? days.error} />
      {branchId && days.data ? (
        <ClosedDaysEditor
          days={days.data}
          locale={locale}
          onAdd={async (day) => {
            await client.call('calendar.addClosedDay', { branchId, day });
            await days.reload();
          }}
          onRemove={async (day) => {
            await client.call('calendar.removeClosedDay', { id: day.id });
            await days.reload();
          }}
        />
      ) : null}
    </>
  );
}
