// The station API's catalogue methods (src/api/contract/catalogue.ts), each turned into a service call.
import type { catalogueApi } from '../../api/contract/catalogue';
import type { HandlerDeps, HandlersOf } from './types';

export function catalogueHandlers({ s }: HandlerDeps): HandlersOf<typeof catalogueApi> {
  return {
    'catalogue.search': (input) => s.catalogue.search(input.query, input.limit),
    'catalogue.record': (input) => s.catalogue.record(input.recordId),
    'catalogue.item': (input) => s.catalogue.itemByBarcode(input.barcode),
    'catalogue.addRecord': (input, hc) =>
      s.catalogue.addRecord(
        {
          title: input.title,
          author: input.author ?? null,
          isbn: input.isbn ?? null,
          issn: input.issn ?? null,
          publisher: input.publisher ?? null,
          year: input.year ?? null,
          callNumber: input.callNumber ?? null,
        },
        hc.actor,
      ),
    'catalogue.updateRecord': (input, hc) => s.catalogue.updateRecord(input.recordId, input.changes, hc.actor),
    'catalogue.addItem': (input, hc) => s.catalogue.addItem(input, hc.actor),
    'catalogue.findIsbn': (input) => s.catalogue.findIsbn(input.isbn),
    'catalogue.updateItem': (input, hc) => s.catalogue.updateItem(input.itemId, input.changes, hc.actor),
    'catalogue.deleteItem': (input, hc) => {
      s.catalogue.deleteItem(input.itemId, hc.actor);
      return { ok: true as const };
    },
    'catalogue.deleteRecord': (input, hc) => {
      s.catalogue.deleteRecord(input.recordId, hc.actor);
      return { ok: true as const };
    },
    'catalogue.setItemStatus': (input, hc) => s.catalogue.setItemStatus(input.itemBarcode, input.change, hc.actor),
    'catalogue.inHouseUse': (input, hc) => s.catalogue.inHouseUse(input.itemBarcode, hc.actor),
    'copyCatalogue.targets': () => s.copyCataloguing.targets().map((t) => ({ id: t.id, name: t.name, kind: t.kind })),
    'copyCatalogue.search': (input) => s.copyCataloguing.search(input.targetId, input.by, input.term, input.start),
    'copyCatalogue.import': (input, hc) => s.copyCataloguing.import(input.marcxml, hc.actor),
    'labels.pdf': async (input) => {
      const made = await s.labels.pdf(input);
      return {
        pdfBase64: made.pdf.toString('base64'),
        pages: made.pages,
        labels: made.labels,
        barcodes: made.barcodes,
      };
    },
  };
}
