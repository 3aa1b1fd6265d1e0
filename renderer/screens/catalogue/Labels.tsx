import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiInput, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Field } from '../../components/Field';
import { Options, SelectField, TextAreaField } from '../../components/Inputs';
import { Problem } from '../../components/Problem';
import { useFormSubmit } from '../../components/useFormSubmit';

type Request = ApiInput<'labels.pdf'>;
type Made = ApiOutput<'labels.pdf'>;
type Which = 'addedToday' | 'range' | 'search' | 'barcodes';
const WHICH: readonly Which[] = ['addedToday', 'range', 'search', 'barcodes'];
const SHEETS = ['avery5160', 'l7160'] as const;
const PER_SHEET: Record<(typeof SHEETS)[number], number> = { avery5160: 30, l7160: 21 };
const KINDS = ['barcode', 'spine'] as const;
const SYMBOLOGIES = ['codabar', 'code128'] as const;

/** Midnight at the desk, today: "copies added today". */
function startOfToday(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** A margin typed in millimetres (12 or 12.5 or 12,5), or null for the sheet's own. */
function millimetres(text: string): number | null | 'bad' {
  if (!text) return null;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) && n >= 0 && n <= 50 ? n : 'bad';
}

/**
 * Catalogue › Labels: barcode or spine labels as a PDF for the copies added today, a range of
 * barcodes, the copies of a search, or a list; on an Avery 5160 or L7160 sheet, from the first
 * free label of a partly used one. The PDF opens in the system's viewer to print.
 */
export function Labels() {
  const { t } = useTranslation();
  const [which, setWhich] = useState<Which>('addedToday');
  const [sheet, setSheet] = useState<(typeof SHEETS)[number]>('avery5160');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('barcode');
  const [made, setMade] = useState<{ url: string; result: Made } | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  // The PDF is a blob URL: let it go when a new one replaces it, or the screen closes.
  useEffect(() => () => (made ? URL.revokeObjectURL(made.url) : undefined), [made]);

  const { errors, onSubmit } = useFormSubmit(
    (f) => {
      const copies: Request['copies'] =
        which === 'range'
          ? { kind: 'range', from: f.required('from', 64), to: f.required('to', 64) }
          : which === 'search'
            ? { kind: 'search', query: f.required('query', 200) }
            : which === 'barcodes'
              ? {
                  kind: 'barcodes',
                  barcodes: f
                    .multiLine('barcodes', 70_000)
                    .split(/[\s,;]+/)
                    .filter(Boolean),
                }
              : { kind: 'addedSince', since: startOfToday() };
      if (copies.kind === 'barcodes' && copies.barcodes.length === 0) f.fail('barcodes', t('form.required'));
      const top = millimetres(f.text('topMarginMm'));
      const left = millimetres(f.text('leftMarginMm'));
      if (top === 'bad') f.fail('topMarginMm', t('labels.marginRule'));
      if (left === 'bad') f.fail('leftMarginMm', t('labels.marginRule'));
      return {
        copies,
        sheet,
        labelKind: kind,
        symbology: f.text('symbology') === 'code128' ? 'code128' : 'codabar',
        startPosition: f.int('startPosition', 1, PER_SHEET[sheet]),
        topMarginMm: top === 'bad' ? null : top,
        leftMarginMm: left === 'bad' ? null : left,
      } satisfies Request;
    },
    async (request) => {
      try {
        const result = await client.call('labels.pdf', request);
        const bytes = Uint8Array.from(atob(result.pdfBase64), (c) => c.charCodeAt(0));
        setMade({ url: URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })), result });
        setError(null);
      } catch (err) {
        setMade(null);
        setError(asError(err));
      }
    },
  );

  return (
    <section aria-labelledby="labels-title" className="card">
      <h2 id="labels-title">{t('labels.title')}</h2>
      {/* Fields share rows (what to print, then how), so the whole form is in sight with the catalogue. */}
      <form onSubmit={onSubmit} aria-label={t('labels.title')} noValidate className="grid-form">
        <SelectField
          label={t('labels.which')}
          name="which"
          value={which}
          onChange={(e) => setWhich(e.target.value as Which)}
        >
          <Options values={WHICH} label={(w) => t(`labels.whichOptions.${w}`)} />
        </SelectField>
        {which === 'range' ? (
          <>
            <Field
              label={t('labels.from')}
              name="from"
              required
              autoComplete="off"
              data-scan-field="kept"
              error={errors.from}
            />
            <Field
              label={t('labels.to')}
              name="to"
              required
              autoComplete="off"
              data-scan-field="kept"
              error={errors.to}
            />
          </>
        ) : which === 'search' ? (
          <Field label={t('labels.query')} name="query" required autoComplete="off" error={errors.query} />
        ) : which === 'barcodes' ? (
          <TextAreaField
            label={t('labels.barcodes')}
            name="barcodes"
            rows={4}
            data-scan-field="typed"
            error={errors.barcodes}
            hint={t('labels.barcodesHint')}
          />
        ) : null}
        <SelectField
          label={t('labels.kind')}
          name="labelKind"
          value={kind}
          onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
        >
          <Options values={KINDS} label={(k) => t(`labels.kinds.${k}`)} />
        </SelectField>
        {kind === 'barcode' ? (
          <SelectField label={t('labels.symbology')} name="symbology" defaultValue="codabar">
            <Options values={SYMBOLOGIES} label={(s) => t(`labels.symbologies.${s}`)} />
          </SelectField>
        ) : null}
        <SelectField
          label={t('labels.sheet')}
          name="sheet"
          value={sheet}
          onChange={(e) => setSheet(e.target.value as (typeof SHEETS)[number])}
        >
          <Options values={SHEETS} label={(s) => t(`labels.sheets.${s}`)} />
        </SelectField>
        <Field
          label={t('labels.startPosition')}
          name="startPosition"
          type="number"
          min={1}
          max={PER_SHEET[sheet]}
          defaultValue={1}
          inputMode="numeric"
          error={errors.startPosition}
          hint={t('labels.startPositionHint', { max: PER_SHEET[sheet] })}
        />
        <Field
          label={t('labels.topMargin')}
          name="topMarginMm"
          inputMode="decimal"
          autoComplete="off"
          error={errors.topMarginMm}
          hint={t('labels.marginHint')}
        />
        <Field
          label={t('labels.leftMargin')}
          name="leftMarginMm"
          inputMode="decimal"
          autoComplete="off"
          error={errors.leftMarginMm}
          hint={t('labels.marginHint')}
        />
        <div className="form-buttons grid-form-end">
          <button type="submit">{t('labels.make')}</button>
        </div>
      </form>
      {/* The station says why it refused (a barcode no copy has, a copy with no call number) as a reason the desk words. */}
      {error?.issues?.[0]?.reason ? (
        <div role="alert" className="problem">
          <p>{t([`labels.reasons.${error.issues[0].reason}`, 'errors.INVALID'], error.issues[0].params ?? {})}</p>
        </div>
      ) : (
        <Problem error={error} />
      )}
      {made ? (
        <p role="status">
          {t('labels.made', { count: made.result.labels, pages: made.result.pages })}{' '}
          <a href={made.url} download="labels.pdf" target="_blank" rel="noreferrer">
            {t('labels.open')}
          </a>
        </p>
      ) : null}
    </section>
  );
}
