import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { Problem } from './Problem';

export interface SettingsColumn<Row> {
  header: string;
  cell(row: Row): ReactNode;
}

/** What the edit dialog is handed: the row to edit (null for a new one) and how to finish. */
export interface SettingsFormProps<Row, Input> {
  row: Row | null;
  onSave(input: Input): Promise<void>;
  onCancel(): void;
}

export interface SettingsListProps<Row, Input> {
  title: string;
  /** The heading's id, which labels the section. */
  headingId: string;
  loadError: ApiErrorBody | null;
  /** null while loading shows no table; pass [] to show the headers until the rows arrive. */
  rows: readonly Row[] | null;
  rowKey(row: Row): string;
  rowTestId: string;
  /** The columns before the last one, which holds each row's Edit button. */
  columns: readonly SettingsColumn<Row>[];
  /** The Edit button's accessible name, which says which row it edits. */
  editLabel(row: Row): string;
  addLabel: string;
  /** Sends the form's input to the station; on success the dialog closes and the rows reload. */
  save(input: Input): Promise<unknown>;
  reload(): Promise<void>;
  renderForm(form: SettingsFormProps<Row, Input>): ReactNode;
  /** Shown under the Add button, such as a note of what was just saved. */
  children?: ReactNode;
}

/** A settings section listing entries, each with an Edit button, an Add button and one edit dialog at a time. */
export function SettingsList<Row, Input>(props: SettingsListProps<Row, Input>) {
  const { t } = useTranslation();
  const { rows, columns, save, reload } = props;
  const [editing, setEditing] = useState<{ row: Row | null } | null>(null);
  return (
    <section aria-labelledby={props.headingId}>
      <h2 id={props.headingId}>{props.title}</h2>
      <Problem error={props.loadError} />
      {rows ? (
        <table className="matrix">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col">
                  {column.header}
                </th>
              ))}
              <th scope="col">{t('rules.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={props.rowKey(row)} data-testid={props.rowTestId}>
                {columns.map((column) => (
                  <td key={column.header}>{column.cell(row)}</td>
                ))}
                <td>
                  <button type="button" aria-label={props.editLabel(row)} onClick={() => setEditing({ row })}>
                    {t('form.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <button type="button" onClick={() => setEditing({ row: null })}>
        {props.addLabel}
      </button>
      {props.children}
      {editing
        ? props.renderForm({
            row: editing.row,
            onCancel: () => setEditing(null),
            onSave: async (input) => {
              await save(input);
              setEditing(null);
              await reload();
            },
          })
        : null}
    </section>
  );
}
