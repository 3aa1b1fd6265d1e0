// A record's copies: a table with each copy's status as a badge, its status changes, its
// corrections (edit, delete) and, under it, the form that adds the next copy.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { moneyInput } from '../../components/formReader';
import { CheckField, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { SortHeader, useSort } from '../../components/SortableTable';
import { useFormSubmit } from '../../components/useFormSubmit';
import { Badge, type Tone } from '../../components/ui/Badge';
import { useDeskFormat } from '../../format';
import { ConfirmDelete } from './ConfirmDelete';

export type Copy = ApiOutput<'catalogue.record'>['items'][number];
export type ItemType = ApiOutput<'itemTypes.list'>[number];
const CHANGES = ['lost', 'missing', 'damaged', 'undamaged', 'found', 'repaired', 'withdrawn'] as const;

/** Each copy status in a tone (colour and icon) as well as its word. */
export const STATUS_TONE: Record<Copy['status'], Tone> = {
  available: 'ok',
  on_loan: 'info',
  in_transit: 'transit',
  on_hold_shelf: 'hold',
  lost: 'lost',
  missing: 'lost',
  withdrawn: 'lost',
  claimed_returned: 'warning',
  in_repair: 'warning',
};

export function CopyStatus({ copy }: { copy: Copy }) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  return (
    <>
      <Badge tone={STATUS_TONE[copy.status]}>{t(`catalogue.statuses.${copy.status}`)}</Badge>
      {copy.damaged ? (
        <>
          {' '}
          <Badge tone="warning">{t('catalogue.damaged')}</Badge>
        </>
      ) : null}
      {copy.status === 'on_loan' && copy.dueAt !== null ? (
        <div>{t('checkout.due', { date: f.date(copy.dueAt) })}</div>
      ) : null}
    </>
  );
}

type Open = { kind: 'edit'; copy: Copy } | { kind: 'delete'; copy: Copy } | null;

export function CopiesTable({
  copies,
  itemTypes,
  currency,
  onChanged,
}: {
  copies: Copy[];
  itemTypes: ItemType[];
  currency: string;
  onChanged(said: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const f = useDeskFormat();
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const typeName = (code: string) => itemTypes.find((x) => x.code === code)?.name ?? code;
  const { sorted, sort, toggle } = useSort(
    copies,
    {
      barcode: (c) => c.barcode,
      type: (c) => typeName(c.itemTypeCode),
      status: (c) => t(`catalogue.statuses.${c.status}`),
      price: (c) => c.replacementPrice,
    },
    { key: 'barcode', direction: 'ascending' },
    f.locale,
  );
  const change = (copy: Copy, to: (typeof CHANGES)[number]) =>
    void client.call('catalogue.setItemStatus', { itemBarcode: copy.barcode, change: to }).then(
      () => {
        setError(null);
        return onChanged(t('catalogue.statusChanged', { barcode: copy.barcode }));
      },
      (err: unknown) => setError(asError(err)),
    );
  if (copies.length === 0) return <p>{t('catalogue.noCopies')}</p>;
  return (
    <>
      <table className="data-table" aria-label={t('catalogue.copies')}>
        <thead>
          <tr>
            <SortHeader column="barcode" sort={sort} onSort={toggle}>
              {t('catalogue.barcode')}
            </SortHeader>
            <SortHeader column="type" sort={sort} onSort={toggle}>
              {t('catalogue.itemType')}
            </SortHeader>
            <SortHeader column="status" sort={sort} onSort={toggle}>
              {t('catalogue.status')}
            </SortHeader>
            <SortHeader column="price" sort={sort} onSort={toggle}>
              {t('catalogue.price')}
            </SortHeader>
            <th scope="col">{t('catalogue.change')}</th>
            <th scope="col">{t('catalogue.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr key={c.id} data-testid="copy-row">
              <td>{c.barcode}</td>
              <td>{typeName(c.itemTypeCode)}</td>
              <td>
                <CopyStatus copy={c} />
              </td>
              <td>{c.replacementPrice !== null ? f.money(c.replacementPrice, currency) : '—'}</td>
              <td>
                <label className="sr-only" htmlFor={`change-${c.id}`}>
                  {t('catalogue.changeFor', { barcode: c.barcode })}
                </label>
                <select
                  id={`change-${c.id}`}
                  value=""
                  onChange={(e) => change(c, e.target.value as (typeof CHANGES)[number])}
                >
                  <option value="">{t('catalogue.chooseChange')}</option>
                  {CHANGES.map((x) => (
                    <option key={x} value={x}>
                      {t(`catalogue.changes.${x}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td className="actions-cell">
                <button
                  type="button"
                  aria-label={t('catalogue.editCopy', { barcode: c.barcode })}
                  onClick={() => setOpen({ kind: 'edit', copy: c })}
                >
                  {t('form.edit')}
                </button>
                <button
                  type="button"
                  aria-label={t('catalogue.deleteCopy', { barcode: c.barcode })}
                  onClick={() => setOpen({ kind: 'delete', copy: c })}
                >
                  {t('form.delete')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Problem error={error} />
      {open?.kind === 'edit' ? (
        <EditCopyDialog
          copy={open.copy}
          itemTypes={itemTypes}
          currency={currency}
          onCancel={() => setOpen(null)}
          onSaved={async () => {
            setOpen(null);
            await onChanged(t('catalogue.copySaved', { barcode: open.copy.barcode }));
          }}
        />
      ) : null}
      {open?.kind === 'delete' ? (
        <ConfirmDelete
          title={t('catalogue.deleteCopy', { barcode: open.copy.barcode })}
          question={t('catalogue.deleteCopyQuestion', { barcode: open.copy.barcode })}
          onCancel={() => setOpen(null)}
          onDelete={async () => {
            await client.call('catalogue.deleteItem', { itemId: open.copy.id });
            setOpen(null);
            await onChanged(t('catalogue.copyDeleted', { barcode: open.copy.barcode }));
          }}
        />
      ) : null}
    </>
  );
}

function ItemTypeField({
  itemTypes,
  defaultValue,
  error,
}: {
  itemTypes: ItemType[];
  defaultValue: string;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField label={t('catalogue.itemType')} name="itemType" defaultValue={defaultValue} error={error}>
      {itemTypes.map((x) => (
        <option key={x.code} value={x.code}>
          {x.name}
        </option>
      ))}
    </SelectField>
  );
}

const PRICE_FIELD = (path: string) =>
  path.endsWith('replacementPrice') ? 'price' : path.endsWith('itemTypeCode') ? 'itemType' : path;

function EditCopyDialog({
  copy,
  itemTypes,
  currency,
  onSaved,
  onCancel,
}: {
  copy: Copy;
  itemTypes: ItemType[];
  currency: string;
  onSaved(): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { errors, error, onSubmit } = useFormSubmit(
    (f) => ({
      itemTypeCode: f.text('itemType') || copy.itemTypeCode,
      replacementPrice: f.optMoney('price', currency),
      notForLoan: f.bool('notForLoan'),
      location: f.text('location').trim() || null,
    }),
    async (changes) => {
      await client.call('catalogue.updateItem', { itemId: copy.id, changes });
      await onSaved();
    },
    { fieldOf: PRICE_FIELD },
  );
  return (
    <FormDialog
      title={t('catalogue.editCopy', { barcode: copy.barcode })}
      onSubmit={onSubmit}
      error={error}
      submit={t('catalogue.saveCopy')}
      onCancel={onCancel}
    >
      <ItemTypeField itemTypes={itemTypes} defaultValue={copy.itemTypeCode} error={errors.itemType} />
      <Field
        label={t('catalogue.price')}
        name="price"
        inputMode="decimal"
        defaultValue={moneyInput(copy.replacementPrice, currency)}
        error={errors.price}
      />
      <Field
        label={t('catalogue.location')}
        hint={t('catalogue.locationHint')}
        name="location"
        maxLength={100}
        defaultValue={copy.location ?? ''}
      />
      <CheckField label={t('catalogue.notForLoan')} name="notForLoan" defaultChecked={copy.notForLoan} />
    </FormDialog>
  );
}

/**
 * Add a copy. Once the station has it, the form is ready for the next one: the barcode field
 * empty and focused, the item type and price kept (a box of the same title is catalogued in a row).
 */
export function AddCopyForm({
  recordId,
  autoFocus = false,
  itemTypes,
  currency,
  onAdded,
}: {
  recordId: string;
  /** The barcode field focused as the form appears (a record just catalogued). */
  autoFocus?: boolean;
  itemTypes: ItemType[];
  currency: string;
  onAdded(barcode: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const barcodeRef = useRef<HTMLInputElement>(null);
  const { errors, error, onSubmit, busy } = useFormSubmit(
    (f) => ({
      barcode: f.required('barcode', 64),
      itemTypeCode: f.text('itemType') || (itemTypes[0]?.code ?? 'BOOK'),
      replacementPrice: f.optMoney('price', currency),
      location: f.text('location').trim() || null,
    }),
    async (input) => {
      const copy = await client.call('catalogue.addItem', { ...input, recordId });
      await onAdded(copy.barcode);
    },
    {
      fieldOf: PRICE_FIELD,
      afterSave: (form) => {
        const barcode = form.elements.namedItem('barcode');
        if (barcode instanceof HTMLInputElement) barcode.value = '';
        barcodeRef.current?.focus();
      },
    },
  );
  return (
    <form onSubmit={onSubmit} aria-label={t('catalogue.addItem')} noValidate>
      <h3>{t('catalogue.addItem')}</h3>
      <div className="form-row">
        <Field
          ref={barcodeRef}
          label={t('checkout.itemBarcode')}
          name="barcode"
          required
          autoComplete="off"
          autoFocus={autoFocus}
          data-scan-field="typed"
          error={errors.barcode}
        />
        <ItemTypeField
          itemTypes={itemTypes}
          defaultValue={itemTypes.find((x) => x.code === 'BOOK')?.code ?? itemTypes[0]?.code ?? ''}
          error={errors.itemType}
        />
        <Field label={t('catalogue.price')} name="price" inputMode="decimal" error={errors.price} />
        <Field label={t('catalogue.location')} name="location" maxLength={100} />
      </div>
      <Problem error={error} />
      <button type="submit" disabled={busy}>
        {t('catalogue.addItem')}
      </button>
    </form>
  );
}
