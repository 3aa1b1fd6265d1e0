// Sorting where staff would sort: a column header is a button that sorts by that column, and
// pressing it again reverses the order. The header carries aria-sort, so a screen reader says
// which column the table is sorted by and which way.
import { useMemo, useState, type ReactNode } from 'react';

export type SortDirection = 'ascending' | 'descending';
export interface SortState<Key extends string> {
  key: Key;
  direction: SortDirection;
}

/** A value a column sorts by: text (compared in the desk's locale), a number or nothing (last). */
export type SortValue = string | number | null | undefined;

/** The rows in the order chosen, and the state and toggle for the headers. */
export function useSort<Row, Key extends string>(
  rows: readonly Row[],
  by: Record<Key, (row: Row) => SortValue>,
  initial: SortState<NoInfer<Key>>,
  locale: string,
) {
  const [sort, setSort] = useState<SortState<Key>>(initial);
  const sorted = useMemo(() => {
    const value = by[sort.key];
    const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1; // nothing sorts last either way
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y)));
    });
    // `by` is a fresh object each render; its functions read only the row, so it is no dependency.
  }, [rows, sort, locale]);
  const toggle = (key: Key) =>
    setSort((s) => ({ key, direction: s.key === key && s.direction === 'ascending' ? 'descending' : 'ascending' }));
  return { sorted, sort, toggle };
}

/** A column header that sorts its table: a button inside the th, aria-sort on the th. */
export function SortHeader<Key extends string>({
  column,
  sort,
  onSort,
  children,
}: {
  column: Key;
  sort: SortState<Key>;
  onSort(key: Key): void;
  children: ReactNode;
}) {
  const active = sort.key === column;
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {children}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}
        </span>
      </button>
    </th>
  );
}
