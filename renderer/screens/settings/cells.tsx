// The tables keyed by branch × patron category × item type (`*` for any): the circulation
// rules, patron limits and return policy. What they load, and how they name and pick a cell's keys.
import type { ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { ANY } from '../../../src/domain/types';
import { client } from '../../api/client';
import { SelectField } from '../../components/Inputs';

type Keyed = { key: string; name: string };
type Named = { code: string; name: string };
type Branch = { id: string; name: string };

/** A branch is keyed by its id (its code is for people); a patron category or an item type by its code. */
export const branchKeys = (branches: readonly Branch[]): Keyed[] => branches.map((b) => ({ key: b.id, name: b.name }));
export const codeKeys = (list: readonly Named[]): Keyed[] => list.map((x) => ({ key: x.code, name: x.name }));

/** The names of a cell's keys: `*` is any, and a key no longer listed shows as itself. */
export function useCellNames({
  branches,
  categories,
  itemTypes,
}: {
  branches: readonly Branch[];
  categories: readonly Named[];
  itemTypes: readonly Named[];
}) {
  const { t } = useTranslation();
  const name = (list: Keyed[], key: string) =>
    key === ANY ? t('rules.any') : (list.find((x) => x.key === key)?.name ?? key);
  return {
    branch: (id: string) => name(branchKeys(branches), id),
    category: (code: string) => name(codeKeys(categories), code),
    itemType: (code: string) => name(codeKeys(itemTypes), code),
  };
}

/** A select of a branch, patron category or item type: `*` for any, then each by name. */
export function AnySelect({
  list,
  ...select
}: { list: Keyed[] } & Omit<ComponentProps<typeof SelectField>, 'children'>) {
  const { t } = useTranslation();
  return (
    <SelectField {...select}>
      <option value={ANY}>{t('rules.any')}</option>
      {list.map((x) => (
        <option key={x.key} value={x.key}>
          {x.name}
        </option>
      ))}
    </SelectField>
  );
}

/** The rules matrix with the branches, patron categories and item types that name its cells. */
export async function loadMatrix() {
  const [matrix, branches, categories, itemTypes] = await Promise.all([
    client.call('rules.list', {}),
    client.call('branches.list', {}),
    client.call('categories.list', {}),
    client.call('itemTypes.list', {}),
  ]);
  return { matrix, branches, categories, itemTypes };
}
