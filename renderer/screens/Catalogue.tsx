// The catalogue: search (results with their availability), a record with its copies, the
// corrections (edit, delete), holds placed from a result, and adding records and copies.
// Each part is its own component under ./catalogue; this screen only wires them together.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { isDialogOpen } from '../components/Dialog';
import { Field } from '../components/Field';
import { PlaceHold } from '../components/PlaceHold';
import { Problem } from '../components/Problem';
import { useLoad } from '../components/useLoad';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';
import { CopyCataloguing } from './catalogue/CopyCataloguing';
import { Labels } from './catalogue/Labels';
import { AddCopyForm, CopiesTable, type ItemType } from './catalogue/Copies';
import { ConfirmDelete } from './catalogue/ConfirmDelete';
import { AddRecordForm, EditRecordDialog } from './catalogue/RecordForm';
import { ResultCount, SearchResults, type Hit } from './catalogue/SearchResults';
import '../styles/records.css';

type RecordView = ApiOutput<'catalogue.record'>;

/** onRequestIll: a search that found nothing offers to ask another library for it (the ILL screen). */
/** `openBarcode`: a copy another screen linked to (a sync exception's), whose record opens at once. */
export function Catalogue({
  onRequestIll,
  openBarcode = null,
}: { onRequestIll?: (query: string) => void; openBarcode?: string | null } = {}) {
  const { t } = useTranslation();
  const currency = useSession((s) => s.setup?.currency ?? 'USD');
  const itemTypes = useLoad(() => client.call('itemTypes.list', {}));
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [record, setRecord] = useState<RecordView | null>(null);
  const [holdOn, setHoldOn] = useState<Hit | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [message, setMessage] = useState('');
  /** A record just catalogued: its panel opens with the focus on its first copy's barcode. */
  const [newRecordId, setNewRecordId] = useState<string | null>(null);

  const guard = (fn: () => Promise<unknown>) =>
    void fn().then(
      () => setError(null),
      (err: unknown) => setError(asError(err)),
    );
  const search = async (q: string) => {
    setQuery(q);
    setHits(q.trim() ? await client.call('catalogue.search', { query: q }) : []);
  };
  const open = async (recordId: string) => setRecord(await client.call('catalogue.record', { recordId }));
  /** A record looked up (not just made): its panel leaves the focus where it is. */
  const look = (recordId: string) => {
    setNewRecordId(null);
    return open(recordId);
  };
  const openCopy = async (barcode: string) => look((await client.call('catalogue.item', { barcode })).recordId);
  // A copy scanned here (into the search, say: a search does not look at barcodes) opens its
  // record. The barcode of a copy being added is that field's own (data-scan-field).
  useNewScans((scan) => {
    if (scan.kind === 'item' && !isDialogOpen()) guard(() => openCopy(scan.barcode));
  });
  // A copy linked from elsewhere: its record opened, with its copies.
  useEffect(() => {
    if (openBarcode) guard(() => openCopy(openBarcode));
  }, [openBarcode]);
  /** After a change: the record and the results as they now are, and what was done, said. */
  const changed = async (said: string, recordId = record?.record.id) => {
    setMessage(said);
    if (recordId) await open(recordId);
    if (query.trim()) await search(query);
  };
  /** A record just catalogued (typed in, or copied from elsewhere): said, and opened for its copies. */
  const added = async (created: { id: string; title: string }) => {
    setMessage(t('catalogue.recordAdded', { title: created.title }));
    setNewRecordId(created.id);
    await open(created.id);
  };

  return (
    <main id="main" className="records-screen">
      <h1>{t('catalogue.title')}</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const q = String(new FormData(e.currentTarget).get('query') ?? '');
          guard(() => search(q));
        }}
      >
        <div className="form-row">
          <Field label={t('catalogue.searchLabel')} name="query" autoComplete="off" autoFocus />
          <button type="submit">{t('patrons.find')}</button>
        </div>
      </form>
      <ResultCount hits={hits} query={query} />
      {onRequestIll && hits?.length === 0 && query.trim() ? (
        <button type="button" onClick={() => onRequestIll(query.trim())}>
          {t('ill.fromCatalogue', { query: query.trim() })}
        </button>
      ) : null}
      <Problem error={error} />
      <SearchResults
        hits={hits ?? []}
        selectedId={record?.record.id ?? null}
        onOpen={(h) => guard(() => look(h.id))}
        onHold={(h) => setHoldOn(h)}
      />
      {holdOn ? (
        <PlaceHold
          key={holdOn.id}
          recordId={holdOn.id}
          title={holdOn.title}
          onCancel={() => setHoldOn(null)}
          onPlaced={async (said) => {
            setHoldOn(null);
            await changed(said, record?.record.id);
          }}
        />
      ) : null}
      <p role="status" className="saved" data-testid="catalogue-message">
        {message}
      </p>
      {record ? (
        <RecordPanel
          key={record.record.id}
          view={record}
          focusFirstCopy={record.record.id === newRecordId}
          itemTypes={itemTypes.data ?? []}
          currency={currency}
          onChanged={(said) => changed(said)}
          onDeleted={async (said) => {
            setRecord(null);
            await changed(said, undefined);
          }}
        />
      ) : null}
      <AddRecordForm onAdded={added} />
      {/* A record copied from another library's catalogue opens here, ready for its copies. */}
      <CopyCataloguing
        onRecord={(recordId) => {
          setNewRecordId(recordId);
          guard(() => open(recordId));
        }}
      />
      <Labels />
    </main>
  );
}

/** One record: its facts, its corrections, its copies and the form for the next copy. */
function RecordPanel({
  view,
  focusFirstCopy,
  itemTypes,
  currency,
  onChanged,
  onDeleted,
}: {
  view: RecordView;
  /** Just catalogued: the focus goes to the barcode of its first copy, the next thing to type or scan. */
  focusFirstCopy: boolean;
  itemTypes: ItemType[];
  currency: string;
  onChanged(said: string): Promise<void>;
  onDeleted(said: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);
  const r = view.record;
  return (
    <section aria-labelledby="record-title" className="panel">
      <h2 id="record-title">{r.title}</h2>
      <p>
        {[r.author, r.isbn ? `ISBN ${r.isbn}` : null, r.callNumber, r.year]
          .filter((x) => x !== null && x !== '')
          .join(' · ')}
      </p>
      <div className="actions">
        <button type="button" onClick={() => setOpen('edit')}>
          {t('catalogue.editRecord')}
        </button>
        <button type="button" onClick={() => setOpen('delete')}>
          {t('catalogue.deleteRecord')}
        </button>
      </div>
      <h3>{t('catalogue.copies')}</h3>
      <CopiesTable copies={view.items} itemTypes={itemTypes} currency={currency} onChanged={onChanged} />
      <AddCopyForm
        recordId={r.id}
        autoFocus={focusFirstCopy}
        itemTypes={itemTypes}
        currency={currency}
        onAdded={(barcode) => onChanged(t('catalogue.copyAdded', { barcode }))}
      />
      {open === 'edit' ? (
        <EditRecordDialog
          record={r}
          onCancel={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            void onChanged(t('catalogue.recordSaved', { title: saved.title }));
          }}
        />
      ) : null}
      {open === 'delete' ? (
        <ConfirmDelete
          title={t('catalogue.deleteRecordTitle', { title: r.title })}
          question={t('catalogue.deleteRecordQuestion', { title: r.title })}
          onCancel={() => setOpen(null)}
          onDelete={async () => {
            await client.call('catalogue.deleteRecord', { recordId: r.id });
            setOpen(null);
            await onDeleted(t('catalogue.recordDeleted', { title: r.title }));
          }}
        />
      ) : null}
    </section>
  );
}
