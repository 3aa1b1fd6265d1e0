import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { parseMoney } from '../../src/domain/money';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from '../components/Field';
import { Problem } from '../components/Problem';
import { useBranchTimeZone, useDeskLocale } from '../components/useDeskLocale';
import { formatDate, formatMoney } from '../format';
import { useSession } from '../state/session';
import { CopyCataloguing } from './catalogue/CopyCataloguing';
import { Labels } from './catalogue/Labels';

type RecordView = ApiOutput<'catalogue.record'>;
const CHANGES = ['lost', 'missing', 'damaged', 'undamaged', 'found', 'withdrawn'] as const;

/** The catalogue: search, a record with its copies and their status, adding records and copies. */
export function Catalogue() {
  const { t } = useTranslation();
  const currency = useSession((s) => s.setup?.currency ?? 'USD');
  const locale = useDeskLocale();
  const timeZone = useBranchTimeZone();
  const [hits, setHits] = useState<ApiOutput<'catalogue.search'>>([]);
  const [record, setRecord] = useState<RecordView | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  const open = async (recordId: string) => setRecord(await client.call('catalogue.record', { recordId }));
  const guard = (fn: () => Promise<unknown>) => () =>
    void fn().then(
      () => setError(null),
      (err: unknown) => setError(asError(err)),
    );

  async function addRecord(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '').trim() || null;
    const year = v('year');
    const created = await client.call('catalogue.addRecord', { title: v('title') ?? '', author: v('author'), isbn: v('isbn'), callNumber: v('callNumber'), year: year ? Number(year) : null });
    await open(created.id);
    e.currentTarget.reset();
  }

  async function addItem(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!record) return;
    const f = new FormData(e.currentTarget);
    const price = parseMoney(String(f.get('price') ?? ''), currency);
    await client.call('catalogue.addItem', { barcode: String(f.get('barcode') ?? ''), recordId: record.record.id, itemTypeCode: String(f.get('itemType') || 'BOOK'), replacementPrice: price });
    await open(record.record.id);
  }

  return (
    <main id="main">
      <h1>{t('catalogue.title')}</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get('query') ?? '');
          guard(async () => setHits(await client.call('catalogue.search', { query: q })))();
        }}
      >
        <Field label={t('holds.search')} name="query" autoComplete="off" autoFocus />
        <button type="submit">{t('patrons.find')}</button>
      </form>
      <ul className="returns">
        {hits.map((h) => (
          <li key={h.id}>
            <button type="button" onClick={guard(() => open(h.id))}>
              {h.title} {h.author ? `— ${h.author}` : ''}
            </button>
          </li>
        ))}
      </ul>
      <Problem error={error} />
      {record ? (
        <section aria-labelledby="record-title">
          <h2 id="record-title">{record.record.title}</h2>
          <p>
            {record.record.author} {record.record.isbn ? `· ISBN ${record.record.isbn}` : ''} {record.record.callNumber ? `· ${record.record.callNumber}` : ''}
          </p>
          <table className="loans">
            <thead>
              <tr>
                <th scope="col">{t('catalogue.barcode')}</th>
                <th scope="col">{t('catalogue.status')}</th>
                <th scope="col">{t('catalogue.price')}</th>
                <th scope="col">{t('catalogue.change')}</th>
              </tr>
            </thead>
            <tbody>
              {record.items.map((i) => (
                <tr key={i.id} data-testid="copy-row">
                  <td>{i.barcode}</td>
                  <td>
                    {t(`catalogue.statuses.${i.status}`)}
                    {i.damaged ? ` · ${t('catalogue.damaged')}` : ''}
                    {i.status === 'on_loan' && i.dueAt !== null ? ` · ${t('checkout.due', { date: formatDate(i.dueAt, locale, timeZone) })}` : ''}
                  </td>
                  <td>{i.replacementPrice !== null ? formatMoney(i.replacementPrice, currency, locale) : ''}</td>
                  <td>
                    <label className="sr-only" htmlFor={`change-${i.id}`}>
                      {t('catalogue.changeFor', { barcode: i.barcode })}
                    </label>
                    <select
                      id={`change-${i.id}`}
                      value=""
                      onChange={(e) => guard(async () => (await client.call('catalogue.setItemStatus', { itemBarcode: i.barcode, change: e.target.value as (typeof CHANGES)[number] }), open(record.record.id)))()}
                    >
                      <option value="">{t('catalogue.chooseChange')}</option>
                      {CHANGES.map((c) => (
                        <option key={c} value={c}>
                          {t(`catalogue.changes.${c}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form onSubmit={(e) => guard(() => addItem(e))()} aria-label={t('catalogue.addItem')}>
            <h3>{t('catalogue.addItem')}</h3>
            <Field label={t('checkout.itemBarcode')} name="barcode" required autoComplete="off" />
            <Field label={t('catalogue.itemType')} name="itemType" defaultValue="BOOK" />
            <Field label={t('catalogue.price')} name="price" inputMode="decimal" />
            <button type="submit">{t('catalogue.addItem')}</button>
          </form>
        </section>
      ) : null}
      <form onSubmit={(e) => guard(() => addRecord(e))()} aria-label={t('catalogue.addRecord')} className="card">
        <h2>{t('catalogue.addRecord')}</h2>
        <Field label={t('catalogue.recordTitle')} name="title" required />
        <Field label={t('catalogue.author')} name="author" />
        <Field label="ISBN" name="isbn" />
        <Field label={t('catalogue.callNumber')} name="callNumber" />
        <Field label={t('catalogue.year')} name="year" inputMode="numeric" />
        <button type="submit">{t('catalogue.addRecord')}</button>
      </form>
      <CopyCataloguing onRecord={(recordId) => guard(() => open(recordId))()} />
      <Labels />
    </main>
  );
}
