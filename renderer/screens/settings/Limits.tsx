import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { ANY } from '../../../src/domain/types';
import { client } from '../../api/client';
import { Field } from '../../components/Field';
import { FormDialog, type FormDialogProps } from '../../components/FormDialog';
import { Options, SelectField } from '../../components/Inputs';
import { SettingsList, type SettingsFormProps } from '../../components/SettingsList';
import { useFormSubmit } from '../../components/useFormSubmit';
import { useLoad } from '../../components/useLoad';
import { AnySelect, branchKeys, codeKeys, loadMatrix, useCellNames } from './cells';

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
  return (a: Row, b: Row) =>
    weight(a) - weight(b) || a.branchId.localeCompare(b.branchId) || second(a).localeCompare(second(b));
}

/** An edit dialog of either table: the row (null for a new one), how to finish, and what names a cell's keys. */
type CellFormProps<Row, Input> = Pick<LimitsEditorProps, 'branches' | 'categories' | 'itemTypes'> &
  SettingsFormProps<Row, Input>;
type CellNames = ReturnType<typeof useCellNames>;
/** An existing row's cell, by name. */
type Cell = { branch: string; second: string };
const limitCell = (names: CellNames, l: Pick<PatronLimits, 'branchId' | 'categoryCode'>): Cell => ({
  branch: names.branch(l.branchId),
  second: names.category(l.categoryCode),
});
const policyCell = (names: CellNames, p: Pick<ReturnPolicy, 'branchId' | 'itemTypeCode'>): Cell => ({
  branch: names.branch(p.branchId),
  second: names.itemType(p.itemTypeCode),
});
const cellName = (cell: Cell) => `${cell.branch} / ${cell.second}`;

/**
 * The dialog of one row of a table keyed by branch × a second key (a patron category or an item
 * type): a new row picks its cell, `*` for any; an existing one keeps its cell and shows it.
 */
function CellFormDialog({
  branches,
  branchLabel,
  second,
  cell,
  children,
  ...dialog
}: FormDialogProps & {
  branches: Branch[];
  branchLabel: string;
  /** The second key's select: its label, its field's name and its choices. */
  second: { label: string; name: string; list: Named[] };
  /** null for a new row. */
  cell: Cell | null;
}) {
  return (
    <FormDialog {...dialog}>
      {cell ? (
        <>
          <p>
            {branchLabel}: <strong>{cell.branch}</strong>
          </p>
          <p>
            {second.label}: <strong>{cell.second}</strong>
          </p>
        </>
      ) : (
        <div className="grid-form">
          <AnySelect label={branchLabel} name="branchId" defaultValue={ANY} autoFocus list={branchKeys(branches)} />
          <AnySelect label={second.label} name={second.name} defaultValue={ANY} list={codeKeys(second.list)} />
        </div>
      )}
      {children}
    </FormDialog>
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
}: CellFormProps<PatronLimits, PatronLimitsInput>) {
  const { t } = useTranslation();
  const names = useCellNames({ branches, categories, itemTypes });
  const { errors, error, onSubmit } = useFormSubmit(
    (f): PatronLimitsInput => ({
      branchId: row?.branchId ?? (f.text('branchId') || ANY),
      categoryCode: row?.categoryCode ?? (f.text('categoryCode') || ANY),
      totalMaxLoans: f.optInt('totalMaxLoans', 0, MAX_LIMIT),
      maxHolds: f.optInt('maxHolds', 0, MAX_LIMIT),
    }),
    onSave,
  );
  const cell = row ? limitCell(names, row) : null;
  return (
    <CellFormDialog
      title={cell ? t('limits.editTitle', { cell: cellName(cell) }) : t('limits.addTitle')}
      onSubmit={onSubmit}
      error={error}
      submit={t('limits.save')}
      onCancel={onCancel}
      branches={branches}
      branchLabel={t('rules.branch')}
      second={{ label: t('rules.category'), name: 'categoryCode', list: categories }}
      cell={cell}
    >
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
        <Field
          label={t('limits.maxHolds')}
          name="maxHolds"
          defaultValue={row?.maxHolds ?? ''}
          inputMode="numeric"
          autoComplete="off"
          error={errors.maxHolds}
          hint={t('rules.blankNoLimit')}
        />
      </div>
    </CellFormDialog>
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
}: CellFormProps<ReturnPolicy, ReturnPolicyInput>) {
  const { t } = useTranslation();
  const names = useCellNames({ branches, categories, itemTypes });
  const { error, onSubmit } = useFormSubmit(
    (f): ReturnPolicyInput => ({
      branchId: row?.branchId ?? (f.text('branchId') || ANY),
      itemTypeCode: row?.itemTypeCode ?? (f.text('itemTypeCode') || ANY),
      returnPolicy: POLICIES.find((p) => p === f.text('returnPolicy')) ?? 'home_branch',
    }),
    onSave,
  );
  const cell = row ? policyCell(names, row) : null;
  return (
    <CellFormDialog
      title={cell ? t('returnPolicy.editTitle', { cell: cellName(cell) }) : t('returnPolicy.addTitle')}
      onSubmit={onSubmit}
      error={error}
      submit={t('returnPolicy.save')}
      onCancel={onCancel}
      branches={branches}
      branchLabel={t('returnPolicy.branch')}
      second={{ label: t('rules.itemType'), name: 'itemTypeCode', list: itemTypes }}
      cell={cell}
    >
      <SelectField
        label={t('returnPolicy.goesTo')}
        name="returnPolicy"
        defaultValue={row?.returnPolicy ?? 'home_branch'}
        autoFocus={!!row}
      >
        <Options values={POLICIES} label={(p) => t(`returnPolicy.policy.${p}`)} />
      </SelectField>
    </CellFormDialog>
  );
}

/**
 * The two rule tables beside the circulation rules: a patron's loans and holds at once per
 * branch × patron category, and where a returned item goes per branch × item type (`*` for any).
 */
export function LimitsEditor(props: LimitsEditorProps) {
  const { t } = useTranslation();
  const keys = { branches: props.branches, categories: props.categories, itemTypes: props.itemTypes };
  const names = useCellNames(keys);
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
        editLabel={(l) => t('limits.editOne', { cell: cellName(limitCell(names, l)) })}
        addLabel={t('limits.add')}
        save={props.saveLimits}
        reload={props.reload}
        renderForm={(form) => <PatronLimitsForm {...form} {...keys} />}
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
        editLabel={(p) => t('returnPolicy.editOne', { cell: cellName(policyCell(names, p)) })}
        addLabel={t('returnPolicy.add')}
        save={props.saveReturnPolicy}
        reload={props.reload}
        renderForm={(form) => <ReturnPolicyForm {...form} {...keys} />}
      >
        <p>{t('returnPolicy.explain')}</p>
      </SettingsList>
    </>
  );
}

/** Settings › Limits and returns, on the station's data. */
export function LimitsSettings() {
  const { data, error, reload } = useLoad(async () => {
    const { matrix, branches, categories, itemTypes } = await loadMatrix();
    return {
      patronLimits: matrix.patronLimits,
      returnPolicies: matrix.branchItemPolicies,
      branches,
      categories,
      itemTypes,
    };
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
