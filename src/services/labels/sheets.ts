// The label sheets Circa prints on, measured in PDF points (1/72 in). The figures are the
// manufacturers' templates: Avery 5160 (US Letter, 3 x 10 labels of 2.625 x 1 in) and Avery
// L7160 (A4, 3 x 7 labels of 63.5 x 38.1 mm). Margins can be changed per print (a printer that
// feeds a little high); the label size and pitch are the sheet's own.

export type SheetId = 'avery5160' | 'l7160';

export interface Sheet {
  id: SheetId;
  pageWidth: number;
  pageHeight: number;
  columns: number;
  rows: number;
  labelWidth: number;
  labelHeight: number;
  /** From the left edge of one label to the next one's, and from the top of one row to the next. */
  pitchX: number;
  pitchY: number;
  topMargin: number;
  leftMargin: number;
}

export const POINTS_PER_MM = 72 / 25.4;
const inch = (n: number) => n * 72;
const mm = (n: number) => n * POINTS_PER_MM;

export const SHEETS: Record<SheetId, Sheet> = {
  avery5160: {
    id: 'avery5160',
    pageWidth: inch(8.5),
    pageHeight: inch(11),
    columns: 3,
    rows: 10,
    labelWidth: inch(2.625),
    labelHeight: inch(1),
    pitchX: inch(2.75),
    pitchY: inch(1),
    topMargin: inch(0.5),
    leftMargin: inch(0.1875),
  },
  l7160: {
    id: 'l7160',
    pageWidth: mm(210),
    pageHeight: mm(297),
    columns: 3,
    rows: 7,
    labelWidth: mm(63.5),
    labelHeight: mm(38.1),
    pitchX: mm(66.04),
    pitchY: mm(38.1),
    topMargin: mm(15.15),
    leftMargin: mm(7.25),
  },
};

export const labelsPerSheet = (sheet: Sheet) => sheet.columns * sheet.rows;

export interface LabelCell {
  page: number;
  /** 1-based position on its sheet, left to right then top to bottom, as the sheet is numbered. */
  position: number;
  x: number;
  y: number;
}

/**
 * Where each of `count` labels goes: filling from `startPosition` on the first sheet (the ones
 * before it were used already), then whole sheets.
 */
export function layoutCells(
  sheet: Sheet,
  count: number,
  startPosition: number,
  margins: { top: number; left: number },
): LabelCell[] {
  const perSheet = labelsPerSheet(sheet);
  const cells: LabelCell[] = [];
  for (let i = 0; i < count; i++) {
    const slot = startPosition - 1 + i;
    const page = Math.floor(slot / perSheet);
    const index = slot % perSheet;
    const row = Math.floor(index / sheet.columns);
    const column = index % sheet.columns;
    cells.push({
      page,
      position: index + 1,
      x: margins.left + column * sheet.pitchX,
      y: margins.top + row * sheet.pitchY,
    });
  }
  return cells;
}
