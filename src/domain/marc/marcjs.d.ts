// marcjs ships no types; these are the parts Circa uses.
declare module 'marcjs' {
  /** A field: control `[tag, value]`, data `[tag, indicators, code, value, code, value, ...]`. */
  type Field = string[];
  interface RecordLike {
    leader: string;
    fields: Field[];
  }
  export class Record implements RecordLike {
    leader: string;
    fields: Field[];
  }
  export class Iso2709Parser {
    /** One raw ISO 2709 record (its terminator optional), decoded as UTF-8. */
    static parse(raw: Buffer): Record;
  }
  export const Marc: {
    format(record: RecordLike, type: 'iso2709' | 'marcxml' | 'text' | 'mij' | 'json'): string;
  };
}
