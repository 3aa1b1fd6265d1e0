// Which copies to print labels for, and the PDF of them. Three ways to choose, as a
// technician processing new stock asks: the copies just added (since a time), a range of
// barcodes (a roll of pre-printed numbers), or the copies of the records a search finds.
import type { CatalogueService } from '../catalogue';
import type { ServiceContext } from '../context';
import {
  labelCopiesFromId,
  labelCopiesInRange,
  labelCopiesOfRecord,
  labelCopyByBarcode,
} from '../../store/queries/labels';
import { InvalidFields } from '../errors';
import { LabelError, renderLabelsPdf, type LabelCopy, type LabelKind, type Symbology } from './pdf';
import { labelsPerSheet, POINTS_PER_MM, SHEETS, type SheetId } from './sheets';

/** A print of more than this many labels is refused: 40 sheets is a morning's work, not a mistyped range. */
export const MAX_LABELS = 1_000;

export type LabelSelection =
  | { kind: 'barcodes'; barcodes: string[] }
  | { kind: 'addedSince'; since: number }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'search'; query: string };

export interface LabelRequest {
  copies: LabelSelection;
  sheet: SheetId;
  labelKind: LabelKind;
  symbology: Symbology;
  startPosition: number;
  /** Millimetres from the page's top and left edges to the first label; the sheet's own when left out. */
  topMarginMm?: number | null;
  leftMarginMm?: number | null;
}

/** A refusal the desk says in its own words: `reason` names the message, `params` fill it in (renderer/screens/catalogue/Labels.tsx). */
function refuse(
  path: string,
  message: string,
  reason: string,
  params: Record<string, string | number> = {},
): InvalidFields {
  return new InvalidFields([{ path, message, reason, params }]);
}

const some = (list: string[]) => `${list.slice(0, 5).join(', ')}${list.length > 5 ? '…' : ''}`;

export interface LabelPdf {
  pdf: Buffer;
  pages: number;
  labels: number;
  barcodes: string[];
}

/** The first UUIDv7 made at `ms` or later sorts at or after this text (the ids' first 48 bits are the time). */
function v7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8)}`;
}

export class LabelService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly catalogue: CatalogueService,
  ) {}

  /** The copies a selection names, in barcode order (a range, a search) or as listed. */
  copies(selection: LabelSelection): LabelCopy[] {
    const capped = (rows: LabelCopy[]) => {
      if (rows.length > MAX_LABELS)
        throw refuse(
          'copies',
          `More than ${MAX_LABELS} copies; print at most ${MAX_LABELS} labels at a time.`,
          'tooManyLabels',
          { max: MAX_LABELS },
        );
      return rows;
    };
    switch (selection.kind) {
      case 'barcodes': {
        const one = labelCopyByBarcode(this.ctx);
        const found: LabelCopy[] = [];
        const missing: string[] = [];
        for (const barcode of selection.barcodes) {
          const row = one(barcode.trim());
          if (row) found.push(row);
          else missing.push(barcode);
        }
        if (missing.length > 0)
          throw refuse('copies.barcodes', `No copy has the barcode ${some(missing)}.`, 'noSuchCopy', {
            barcodes: some(missing),
          });
        return capped(found);
      }
      case 'addedSince':
        return capped(labelCopiesFromId(this.ctx, v7Floor(selection.since), MAX_LABELS + 1));
      case 'range': {
        const from = selection.from.trim();
        const to = selection.to.trim();
        // Barcodes of one roll have one length: comparing text of equal length is comparing numbers.
        if (from.length !== to.length)
          throw refuse(
            'copies.to',
            'The first and last barcode of a range must have the same number of characters.',
            'rangeLengths',
          );
        if (from > to) throw refuse('copies.to', 'The first barcode of the range comes after the last.', 'rangeOrder');
        return capped(labelCopiesInRange(this.ctx, from, to, MAX_LABELS + 1));
      }
      case 'search': {
        const hits = this.catalogue.search(selection.query, 100);
        const ofRecord = labelCopiesOfRecord(this.ctx);
        return capped(hits.flatMap((h) => ofRecord(h.id)));
      }
    }
  }

  async pdf(request: LabelRequest): Promise<LabelPdf> {
    const sheet = SHEETS[request.sheet];
    const perSheet = labelsPerSheet(sheet);
    if (!Number.isInteger(request.startPosition) || request.startPosition < 1 || request.startPosition > perSheet) {
      throw refuse(
        'startPosition',
        `The start position is a label from 1 to ${perSheet} on this sheet.`,
        'startPosition',
        { max: perSheet },
      );
    }
    const copies = this.copies(request.copies);
    if (copies.length === 0) throw refuse('copies', 'No copies to print labels for.', 'noCopies');
    if (request.labelKind === 'spine') {
      const without = copies.filter((c) => !c.callNumber?.trim());
      const barcodes = some(without.map((c) => c.barcode));
      if (without.length > 0)
        throw refuse('labelKind', `These copies have no call number for a spine label: ${barcodes}.`, 'noCallNumber', {
          barcodes,
        });
    }
    const margins = {
      top: request.topMarginMm != null ? request.topMarginMm * POINTS_PER_MM : sheet.topMargin,
      left: request.leftMarginMm != null ? request.leftMarginMm * POINTS_PER_MM : sheet.leftMargin,
    };
    try {
      const { pdf, pages } = await renderLabelsPdf(copies, {
        sheet,
        kind: request.labelKind,
        symbology: request.symbology,
        startPosition: request.startPosition,
        margins,
        libraryName: this.ctx.config.get().settings.name,
      });
      return { pdf, pages, labels: copies.length, barcodes: copies.map((c) => c.barcode) };
    } catch (error) {
      if (error instanceof LabelError)
        throw refuse('symbology', error.message, 'symbology', {
          barcode: error.barcode ?? '',
          symbology: request.symbology === 'codabar' ? 'Codabar' : 'Code 128',
        });
      throw error;
    }
  }
}
