import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { DEFAULT_RULE } from '../../../src/domain/rules';
import { ANY } from '../../../src/domain/types';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { moneyInput } from '../../components/formReader';
import { CheckField, Options, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useDeskLocale } from '../../components/useDeskLocale';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';
import { formatDay, formatMoney } from '../../format';
import { useSession } from '../../state/session';
import { AnySelect, branchKeys, codeKeys, loadMatrix, useCellNames } from './cells';

export type Rule = ApiOutput<'rules.save'>;
export type RuleInput = ApiInput<'rules.save'>;
type Named = { code: string; name: string };
type Branch = { id: string; code?: string; name: string };

export interface RulesEditorProps {
  rules: Rule[];
  branches: Branch[];
  categories: Named[];
  itemTypes: Named[];
  currency: string;
  locale: string;
  onSave(rule: RuleInput, replaces: Rule | null): Promise<void>;
  onDelete(rule: Rule): Promise<void>;
}

// Where a new rule starts when the library has no catch-all rule to copy: the rule the station
// applies in that case, but with no fine cap. DEFAULT_RULE's cap is a fixed 500 minor units
// whatever the library's currency; the form leaves the cap empty (no limit) for the library to set.
const BLANK: RuleInput = { ...DEFAULT_RULE, fineCap: null };
const HARD_MODES = ['before', 'exactly', 'after'] as const;

/** The most specific first, as the station picks them: branch, then category, then item type. */
const specificity = (r: Rule) =>
  (r.branchId === ANY ? 0 : 4) + (r.categoryCode === ANY ? 0 : 2) + (r.itemTypeCode === ANY ? 0 : 1);

/** The circulation rules matrix: one row per branch × patron category × item type, `*` for any. */
export function RulesEditor(props: RulesEditorProps) {
  const { t } = useTranslation();
  const { rules, currency, locale } = props;
  const [editing, setEditing] = useState<{ rule: Rule | null; start: RuleInput } | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  // Rules name a branch by its id, a category or item type by its code.
  const names = useCellNames(props);
  const money = (x: number) => formatMoney(x, currency, locale);
  const sorted = [...rules].sort(
    (a, b) =>
      specificity(a) - specificity(b) ||
      a.branchId.localeCompare(b.branchId) ||
      a.categoryCode.localeCompare(b.categoryCode) ||
      a.itemTypeCode.localeCompare(b.itemTypeCode),
  );
  const fallback = rules.find((r) => r.branchId === ANY && r.categoryCode === ANY && r.itemTypeCode === ANY);

  async function remove(rule: Rule) {
    setError(null);
    try {
      await props.onDelete(rule);
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">{t('rules.title')}</h2>
      <p>{t('rules.intro')}</p>
      <table className="matrix">
        <caption className="sr-only">{t('rules.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('rules.branch')}</th>
            <th scope="col">{t('rules.category')}</th>
            <th scope="col">{t('rules.itemType')}</th>
            <th scope="col">{t('rules.loan')}</th>
            <th scope="col">{t('rules.renewals')}</th>
            <th scope="col">{t('rules.fine')}</th>
            <th scope="col">{t('rules.grace')}</th>
            <th scope="col">{t('rules.cap')}</th>
            <th scope="col">{t('rules.hardDueDate')}</th>
            <th scope="col">{t('rules.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => {
            const cell = `${names.branch(r.branchId)} / ${names.category(r.categoryCode)} / ${names.itemType(r.itemTypeCode)}`;
            return (
              <tr key={r.id} data-testid="rule-row">
                <td>{names.branch(r.branchId)}</td>
                <td>{names.category(r.categoryCode)}</td>
                <td>{names.itemType(r.itemTypeCode)}</td>
                <td>{t(`rules.period.${r.loanUnit}`, { count: r.loanLength })}</td>
                <td>{r.renewalsAllowed}</td>
                <td>{t('rules.finePer', { amount: money(r.fineAmount), count: r.finePeriod })}</td>
                <td>{t('rules.period.days', { count: r.graceDays })}</td>
                <td>{r.fineCap === null ? t('rules.none') : money(r.fineCap)}</td>
                <td>
                  {r.hardDueDate
                    ? `${t(`rules.hardMode.${r.hardDueDateMode}`)} ${formatDay(r.hardDueDate, locale)}`
                    : t('rules.none')}
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={t('rules.editCell', { cell })}
                    onClick={() => setEditing({ rule: r, start: r })}
                  >
                    {t('form.edit')}
                  </button>
                  <button type="button" aria-label={t('rules.deleteCell', { cell })} onClick={() => void remove(r)}>
                    {t('form.delete')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Problem error={error} />
      <button
        type="button"
        onClick={() =>
          setEditing({
            rule: null,
            start: { ...(fallback ?? BLANK), branchId: ANY, categoryCode: ANY, itemTypeCode: ANY },
          })
        }
      >
        {t('rules.add')}
      </button>
      {editing ? (
        <RuleForm
          {...props}
          rule={editing.rule}
          start={editing.start}
          onCancel={() => setEditing(null)}
          onSaved={() => setEditing(null)}
        />
      ) : null}
    </section>
  );
}

function RuleForm({
  rule,
  start,
  branches,
  categories,
  itemTypes,
  currency,
  onSave,
  onCancel,
  onSaved,
}: RulesEditorProps & { rule: Rule | null; start: RuleInput; onCancel(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const { errors, error, onSubmit } = useFormSubmit(
    (f): RuleInput => ({
      branchId: f.text('branchId') || ANY,
      categoryCode: f.text('categoryCode') || ANY,
      itemTypeCode: f.text('itemTypeCode') || ANY,
      loanLength: f.int('loanLength', 0, 100_000),
      loanUnit: f.text('loanUnit') === 'hours' ? 'hours' : 'days',
      hardDueDate: f.date('hardDueDate'),
      hardDueDateMode: HARD_MODES.find((m) => m === f.text('hardDueDateMode')) ?? 'before',
      maxLoans: f.optInt('maxLoans', 0),
      renewalsAllowed: f.int('renewalsAllowed', 0, 1000),
      renewalPeriod: f.optInt('renewalPeriod', 1, 100_000),
      noRenewalBeforeDays: f.optInt('noRenewalBeforeDays', 0, 100_000),
      fineAmount: f.money('fineAmount', currency),
      finePeriod: f.int('finePeriod', 1, 1000),
      graceDays: f.int('graceDays', 0, 1000),
      fineCap: f.optMoney('fineCap', currency),
      capFineAtReplacementPrice: f.bool('capFineAtReplacementPrice'),
      holdsAllowed: f.bool('holdsAllowed'),
      holdsPerTitle: f.int('holdsPerTitle', 0, 1000),
      onShelfHoldsAllowed: f.bool('onShelfHoldsAllowed'),
      pickupPeriodDays: f.int('pickupPeriodDays', 1, 1000),
    }),
    async (next) => {
      await onSave(next, rule);
      onSaved();
    },
  );

  const num = (name: keyof RuleInput, label: string, value: number | null, hint?: string) => (
    <Field
      label={label}
      name={name}
      defaultValue={value ?? ''}
      inputMode="numeric"
      autoComplete="off"
      error={errors[name]}
      hint={hint}
    />
  );
  return (
    <FormDialog
      title={rule ? t('rules.editTitle') : t('rules.addTitle')}
      onSubmit={onSubmit}
      error={error}
      submit={t('rules.save')}
      onCancel={onCancel}
    >
      <fieldset>
        <legend>{t('rules.appliesTo')}</legend>
        <div className="grid-form">
          <AnySelect
            label={t('rules.branch')}
            name="branchId"
            defaultValue={start.branchId}
            autoFocus
            list={branchKeys(branches)}
          />
          <AnySelect
            label={t('rules.category')}
            name="categoryCode"
            defaultValue={start.categoryCode}
            list={codeKeys(categories)}
          />
          <AnySelect
            label={t('rules.itemType')}
            name="itemTypeCode"
            defaultValue={start.itemTypeCode}
            list={codeKeys(itemTypes)}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rules.loanSection')}</legend>
        <div className="grid-form">
          {num('loanLength', t('rules.loanLength'), start.loanLength)}
          <SelectField label={t('rules.loanUnit')} name="loanUnit" defaultValue={start.loanUnit}>
            <option value="days">{t('rules.units.days')}</option>
            <option value="hours">{t('rules.units.hours')}</option>
          </SelectField>
          {num('maxLoans', t('rules.maxLoans'), start.maxLoans, t('rules.blankNoLimit'))}
          <Field
            label={t('rules.hardDueDate')}
            name="hardDueDate"
            type="date"
            defaultValue={start.hardDueDate ?? ''}
            error={errors.hardDueDate}
            hint={t('rules.blankNone')}
          />
          <SelectField label={t('rules.hardDueDateMode')} name="hardDueDateMode" defaultValue={start.hardDueDateMode}>
            <Options values={HARD_MODES} label={(m) => t(`rules.hardModeLong.${m}`)} />
          </SelectField>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rules.renewalSection')}</legend>
        <div className="grid-form">
          {num('renewalsAllowed', t('rules.renewalsAllowed'), start.renewalsAllowed)}
          {num('renewalPeriod', t('rules.renewalPeriod'), start.renewalPeriod, t('rules.blankSamePeriod'))}
          {num('noRenewalBeforeDays', t('rules.noRenewalBefore'), start.noRenewalBeforeDays, t('rules.blankAnyTime'))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rules.fineSection')}</legend>
        <div className="grid-form">
          <Field
            label={t('rules.fineAmount', { currency })}
            name="fineAmount"
            defaultValue={moneyInput(start.fineAmount, currency)}
            inputMode="decimal"
            autoComplete="off"
            error={errors.fineAmount}
          />
          {num('finePeriod', t('rules.finePeriod'), start.finePeriod)}
          {num('graceDays', t('rules.graceDays'), start.graceDays)}
          <Field
            label={t('rules.fineCap', { currency })}
            name="fineCap"
            defaultValue={moneyInput(start.fineCap, currency)}
            inputMode="decimal"
            autoComplete="off"
            error={errors.fineCap}
            hint={t('rules.blankNoLimit')}
          />
        </div>
        <CheckField
          label={t('rules.capAtPrice')}
          name="capFineAtReplacementPrice"
          defaultChecked={start.capFineAtReplacementPrice}
        />
      </fieldset>
      <fieldset>
        <legend>{t('rules.holdSection')}</legend>
        <CheckField label={t('rules.holdsAllowed')} name="holdsAllowed" defaultChecked={start.holdsAllowed} />
        <CheckField
          label={t('rules.onShelfHolds')}
          name="onShelfHoldsAllowed"
          defaultChecked={start.onShelfHoldsAllowed}
        />
        <div className="grid-form">
          {num('holdsPerTitle', t('rules.holdsPerTitle'), start.holdsPerTitle)}
          {num('pickupPeriodDays', t('rules.pickupDays'), start.pickupPeriodDays)}
        </div>
      </fieldset>
    </FormDialog>
  );
}

/** Settings › Circulation rules, on the station's data. */
export function RulesSettings() {
  const setup = useSession((s) => s.setup);
  const locale = useDeskLocale();
  const { data, error, reload } = useLoad(async () => {
    const { matrix, branches, categories, itemTypes } = await loadMatrix();
    return { rules: matrix.rules, branches, categories, itemTypes };
  });
  if (!data) return <Problem error={error} />;
  return (
    <RulesEditor
      {...data}
      currency={setup?.currency ?? 'USD'}
      locale={locale}
      onSave={async (rule, replaces) => {
        const saved = await client.call('rules.save', rule);
        // Moved to another cell of the matrix: the old cell's rule goes.
        if (replaces && replaces.id !== saved.id) await client.call('rules.delete', { id: replaces.id });
        await reload();
      }}
      onDelete={async (rule) => {
        await client.call('rules.delete', { id: rule.id });
        await reload();
      }}
    />
  );
}
