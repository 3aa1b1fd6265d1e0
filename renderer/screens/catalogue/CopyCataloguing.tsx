import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { Options, SelectField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';

type Result = ApiOutput<'copyCatalogue.search'>;
type Hit = Result['hits'][number];
type SearchBy = 'isbn' | 'title' | 'author';
const SEARCH_BY: readonly SearchBy[] = ['isbn', 'title', 'author'];

/**
 * Catalogue › Copy from another library: search a configured SRU target by ISBN, title or
 * author, see its records, and copy one: it becomes our record and opens (`onRecord`), ready
 * for its copies. The station does the search; offline, it says the target cannot be reached.
 */
export function CopyCataloguing({ onRecord }: { onRecord(recordId: string): void }) {
  const { t } = useTranslation();
  const targets = useLoad(() => client.call('copyCatalogue.targets', {}));
  const [query, setQuery] = useState<{ targetId: string; by: SearchBy; term: string } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    try {
      await work();
      setError(null);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  }

  const search = (q: { targetId: string; by: SearchBy; term: string }, start = 1) =>
    run(async () => {
      setCopied(null);
      const page = await client.call('copyCatalogue.search', { ...q, start });
      setQuery(q);
      // "More" adds the next page under the records already shown.
      setResult((before) => (start > 1 && before ? { ...page, hits: [...before.hits, ...page.hits] } : page));
    });

  const copy = (hit: Hit) =>
    run(async () => {
      const record = await client.call('copyCatalogue.import', { marcxml: hit.marcxml });
      setCopied(record.title);
      setResult(
        (before) =>
          before && {
            ...before,
            hits: before.hits.map((h) => (h === hit ? { ...h, existingRecordId: record.id } : h)),
          },
      );
      onRecord(record.id);
    });

  const list = targets.data ?? [];
  return (
    <section aria-labelledby="copy-cataloguing-title" className="card">
      <h2 id="copy-cataloguing-title">{t('copyCatalogue.title')}</h2>
      <Problem error={targets.error} />
      {targets.data && list.length === 0 ? <p>{t('copyCatalogue.noTargets')}</p> : null}
      {list.length > 0 ? (
        <form
          role="search"
          aria-label={t('copyCatalogue.title')}
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const term = String(f.get('term') ?? '').trim();
            if (!term) return;
            void search({ targetId: String(f.get('targetId')), by: String(f.get('by')) as SearchBy, term });
          }}
        >
          <SelectField label={t('copyCatalogue.target')} name="targetId" defaultValue={list[0]?.id}>
            {list.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('copyCatalogue.searchBy')} name="by" defaultValue="isbn">
            <Options values={SEARCH_BY} label={(b) => t(`copyCatalogue.by.${b}`)} />
          </SelectField>
          <Field label={t('copyCatalogue.term')} name="term" required autoComplete="off" maxLength={200} />
          <button type="submit" disabled={busy}>
            {t('copyCatalogue.search')}
          </button>
        </form>
      ) : null}
      <div aria-live="polite">
        {busy ? <p>{t('copyCatalogue.searching')}</p> : null}
        {copied ? <p role="status">{t('copyCatalogue.copied', { title: copied })}</p> : null}
      </div>
      <Problem error={error} />
      {/* A target's own refusal (a diagnostic) is in its words: shown as it said it. */}
      {error?.code === 'TARGET_ERROR' ? <p className="hint">{error.message}</p> : null}
      {result ? (
        <>
          <p role="status">{t('copyCatalogue.found', { count: result.total, target: result.target.name })}</p>
          <ol className="returns" aria-label={t('copyCatalogue.results')}>
            {result.hits.map((hit) => (
              <li key={`${hit.position}-${hit.controlNumber ?? hit.title}`} data-testid="copy-hit">
                <strong>{hit.title}</strong>
                {hit.author ? ` — ${hit.author}` : ''}
                <br />
                <small>
                  {[hit.publisher, hit.year, hit.isbn ? `ISBN ${hit.isbn}` : null, hit.callNumber]
                    .filter((x) => x !== null && x !== '')
                    .join(' · ')}
                </small>{' '}
                {hit.existingRecordId ? (
                  <button
                    type="button"
                    onClick={() => onRecord(hit.existingRecordId!)}
                    aria-label={t('copyCatalogue.openOursFor', { title: hit.title })}
                  >
                    {t('copyCatalogue.openOurs')}
                  </button>
                ) : (
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => void copy(hit)}
                    aria-label={t('copyCatalogue.copyFor', { title: hit.title })}
                  >
                    {t('copyCatalogue.copy')}
                  </button>
                )}
              </li>
            ))}
          </ol>
          {query && result.hits.length < result.total && result.hits.length > 0 ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void search(query, Math.max(...result.hits.map((h) => h.position)) + 1)}
            >
              {t('copyCatalogue.more')}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
