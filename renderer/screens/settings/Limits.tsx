import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { ANY } from '../../../src/domain/types';
import { client } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormButtons, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SettingsList } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';

export type PatronLimits = ApiOutput<'rules.saveLimits'>;
export type PatronLimitsInput = ApiInput<'rules.saveLimits'>;
export type ReturnPolicy = ApiOutput<'rules.saveReturnPolicy'>;
export type ReturnPolicyInput = ApiInput<'rules.saveReturnPolicy'>;
type Named = { code: string; name: string };
/** As branches.list gives them: a branch is keyed by its id (its code is for people). */
type Branch = Pick<ApiOutput<'branches.list'>[number], 'id' | 'code' | 'name'>;

const POLICIES = ['home_branch', 'holding_branch', 'stays'] as const;
/** The contract's bound on both limits. */
const MAX_LIMIT = 10_000;

export interface LimitsEditorProps {
  /** null while loading. */
  patronLimits: PatronLimits[] | null;
  returnPolicies: ReturnPolicy[] | null;
  branches: Branch[];
  categories: Named[];
  itemTypes: Named[];
  loadError: ApiErrorBody | null;
  saveLimits(input: PatronLimitsInput): Promise<unknown>;
  saveReturnPolicy(input: ReturnPolicyInput): Promise<unknown>;
  reload(): Promise<void>;
}

/** The most general first, as the rules matrix lists them: `*` branch before a branch, then `*` before a code. */
function byCell<Row extends { branchId: string }>(second: (row: Row) => string) {
  const weight = (r: Row) => (r.branchId === ANY ? 0 : 2) + (second(r) === ANY ? 0 : 1);
  return (a: Row, b: Row) => weight(a) - weight(b) || a.branchId.localeCompare(b.branchId) || second(a).localeCompare(second(b));
}

function useNames({ branches, categories, itemTypes }: Pick<LimitsEditorProps, 'branches' | 'categories' | 'itemTypes'>) {
  const { t } = useTranslation();
  const name = (list: { key: string; name: string }[], key: string) => (key === ANY ? t('rules.any') : (list.find((x) => x.key === key)?.name ?? key));
  const byCode = (list: Named[]) => list.map((x) => ({ key: x.code, name: x.name }));
  return {
    branch: (id: string) => name(branches.map((b) => ({ key: b.id, name: b.name })), id),
    category: (code: string) => name(byCode(categories), code),
    itemType: (code: string) => name(byCode(itemTypes), code),
  };
}

/** The options of a branch, category or item type select: `*` for any, then each by name. */
function AnyOptions({ list }: { list: { key: string; name: string }[] }) {
  const { t } = useTranslation();
  return (
    <>
      <option value={ANY}>{t('rules.any')}</option>
      {list.map((x) => (
        <option key={x.key} value={x.key}>
          {x.name}
        </option>
      ))}
    </>
  );
}

/** The limits for one branch × patron category: a new one picks its cell, an existing one keeps it. */
export function PatronLimitsForm({
  row,
  branches,
  categories,
  itemTypes,
  onSave,
  onCancel,
}: Pick<LimitsEditorProps, 'branches' | 'categories' | 'itemTypes'> & { row: PatronLimits | null; onSave(input: PatronLimitsInput): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const names = useNames({ branches, categories, itemTypes });
  const { errors, error, onSubmit } = useFormSubmit(
    (f): PatronLimitsInput => ({
      branchId: row?.branchId ?? (f.text('branchId') || ANY),
      categoryCode: row?.categoryCode ?? (f.text('categoryCode') || ANY),
      totalMaxLoans: f.optInt('totalMaxLoans', 0, MAX_LIMIT),
      maxHolds: f.optInt('maxHolds', 0, MAX_LIMIT),
    }),
    onSave,
  );
  const title = row ? t('limits.editTitle', { cell: `${names.branch(row.branchId)} / ${names.category(row.categoryCode)}` }) : t('limits.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        {row ? (
          <>
            <p>
              {t('rules.branch')}: <strong>{names.branch(row.branchId)}</strong>
            </p>
            <p>
              {t('rules.category')}: <strong>{names.category(row.categoryCode)}</strong>
            </p>
          </>
        ) : (
          <div className="grid-form">
            <SelectField label={t('rules.branch')} name="branchId" defaultValue={ANY} autoFocus>
              <AnyOptions list={branches.map((b) => ({ key: b.id, name: b.name }))} />
            </SelectField>
            <SelectField label={t('rules.category')} name="categoryCode" defaultValue={ANY}>
              <AnyOptions list={categories.map((c) => ({ key: c.code, name: c.name }))} />
            </SelectField>
          </div>
        )}
        <div className="grid-form">
          <Field
            label={t('limits.totalMaxLoans')}
            name="totalMaxLoans"
            defaultValue={row?.totalMaxLoans ?? ''}
            inputMode="numeric"
            autoComplete="off"
            autoFocus={!!row}
            error={errors.totalMaxLoans}
            hint={t('rules.blankNoLimit')}
          />
          <Field label={t('limits.maxHolds')} name="maxHolds" defaultValue={row?.maxHolds ?? ''} inputMode="numeric" autoComplete="off" error={errors.maxHolds} hint={t('rules.blankNoLimit')} />
        </div>
        <Problem error={error} />
        <FormButtons submit={t('limits.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** Where a returned item goes, for one branch × item type: a new one picks its cell, an existing one keeps it. */
export function ReturnPolicyForm({
  row,
  branches,
  categories,
  itemTypes,
  onSave,
  onCancel,
}: Pick<LimitsEditorProps, 'branches' | 'categories' | 'itemTypes'> & { row: ReturnPolicy | null; onSave(input: ReturnPolicyInput): Promise<void>; onCancel(): void }) {
  const { t } = useTranslation();
  const names = useNames({ branches, categories, itemTypes });
  const { error, onSubmit } = useFormSubmit(
    (f): ReturnPolicyInput => ({
      branchId: row?.branchId ?? (f.text('branchId') || ANY),
      itemTypeCode: row?.itemTypeCode ?? (f.text('itemTypeCode') || ANY),
      returnPolicy: POLICIES.find((p) => p === f.text('returnPolicy')) ?? 'home_branch',
    }),
    onSave,
  );
  const title = row ? t('returnPolicy.editTitle', { cell: `${names.branch(row.branchId)} / ${names.itemType(row.itemTypeCode)}` }) : t('returnPolicy.addTitle');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={onSubmit} aria-label={title} noValidate>
        {row ? (
          <>
            <p>
              {t('returnPolicy.branch')}: <strong>{names.branch(row.branchId)}</strong>
            </p>
            <p>
              {t('rules.itemType')}: <strong>{names.itemType(row.itemTypeCode)}</strong>
            </p>
          </>
        ) : (
          <div className="grid-form">
            <SelectField label={t('returnPolicy.branch')} name="branchId" defaultValue={ANY} autoFocus>
              <AnyOptions list={branches.map((b) => ({ key: b.id, name: b.name }))} />
            </SelectField>
            <SelectField label={t('rules.itemType')} name="itemTypeCode" defaultValue={ANY}>
              <AnyOptions list={itemTypes.map((c) => ({ key: c.code, name: c.name }))} />
            </SelectField>
          </div>
        )}
        <SelectField label={t('returnPolicy.goesTo')} name="returnPolicy" defaultValue={row?.returnPolicy ?? 'home_branch'} autoFocus={!!row}>
          {POLICIES.map((p) => (
            <option key={p} value={p}>
              {t(`returnPolicy.policy.${p}`)}
            </option>
          ))}
        </SelectField>
        <Problem error={error} />
        <FormButtons submit={t('returnPolicy.save')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/**
 * The two rule tables beside the circulation rules: a patron's loans and holds at once per
 * branch × patron category, and where a returned item goes per branch × item type (`*` for any).
 */
export function LimitsEditor(props: LimitsEditorProps) {
  const { t } = useTranslation();
  const { branches, categories, itemTypes } = props;
  const names = useNames(props);
  const limitCell = (l: PatronLimits) => `${names.branch(l.branchId)} / ${names.category(l.categoryCode)}`;
  const policyCell = (p: ReturnPolicy) => `${names.branch(p.branchId)} / ${names.itemType(p.itemTypeCode)}`;
  const limit = (n: number | null) => (n === null ? t('limits.noLimit') : String(n));
  return (
    <>
      <SettingsList<PatronLimits, PatronLimitsInput>
        title={t('limits.title')}
        headingId="patron-limits-title"
        loadError={props.loadError}
        rows={props.patronLimits ? [...props.patronLimits].sort(byCell((l) => l.categoryCode)) : null}
        rowKey={(l) => l.id}
        rowTestId="limit-row"
        columns={[
          { header: t('rules.branch'), cell: (l) => names.branch(l.branchId) },
          { header: t('rules.category'), cell: (l) => names.category(l.categoryCode) },
          { header: t('limits.loans'), cell: (l) => limit(l.totalMaxLoans) },
          { header: t('limits.holds'), cell: (l) => limit(l.maxHolds) },
        ]}
        editLabel={(l) => t('limits.editOne', { cell: limitCell(l) })}
        addLabel={t('limits.add')}
        save={props.saveLimits}
        reload={props.reload}
        renderForm={({ row, onSave, onCancel }) => (
          <PatronLimitsForm row={row} branches={branches} categories={categories} itemTypes={itemTypes} onSave={onSave} onCancel={onCancel} />
        )}
      >
        <p>{t('limits.explain')}</p>
      </SettingsList>
      <SettingsList<ReturnPolicy, ReturnPolicyInput>
        title={t('returnPolicy.title')}
        headingId="return-policy-title"
        loadError={null}
        rows={props.returnPolicies ? [...props.returnPolicies].sort(byCell((p) => p.itemTypeCode)) : null}
        rowKey={(p) => p.id}
        rowTestId="return-policy-row"
        columns={[
          { header: t('returnPolicy.branch'), cell: (p) => names.branch(p.branchId) },
          { header: t('rules.itemType'), cell: (p) => names.itemType(p.itemTypeCode) },
          { header: t('returnPolicy.goesTo'), cell: (p) => t(`returnPolicy.policy.${p.returnPolicy}`) },
        ]}
        editLabel={(p) => t('returnPolicy.editOne', { cell: policyCell(p) })}
        addLabel={t('returnPolicy.add')}
        save={props.saveReturnPolicy}
        reload={props.reload}
        renderForm={({ row, onSave, onCancel }) => (
          <ReturnPolicyForm row={row} branches={branches} categories={categories} itemTypes={itemTypes} onSave={onSave} onCancel={onCancel} />
        )}
      >
        <p>{t('returnPolicy.explain')}</p>
      </SettingsList>
    </>
  );
}

/** Settings › Limits and returns, on the station's data. */
export function LimitsSettings() {
  const { data, error, reload } = useLoad(async () => {
    const [matrix, branches, categories, itemTypes] = await Promise.all([
      client.call('rules.list', {}),
      client.call('branches.list', {}),
      client.call('categories.list', {}),
      client.call('itemTypes.list', {}),
    ]);
    // The contract lists these rows loosely; they are the rows rules.saveLimits and rules.saveReturnPolicy answer with.
    return { patronLimits: matrix.patronLimits as PatronLimits[], returnPolicies: matrix.branchItemPolicies as ReturnPolicy[], branches, categories, itemTypes };
  });
  return (
    <LimitsEditor
      patronLimits={data?.patronLimits ?? null}
      returnPolicies={data?.returnPolicies ?? null}
      branches={data?.branches ?? []}
      categories={data?.categories ?? []}
      itemTypes={data?.itemTypes ?? []}
      loadError={error}
      saveLimits={(input) => client.call('rules.saveLimits', input)}
      saveReturnPolicy={(input) => client.call('rules.saveReturnPolicy', input)}
      reload={reload}
    />
  );
}
