// A MARC record as Circa holds it: the leader and the fields in file order, in the array form
// marcjs reads and writes (so a record goes to its formatters as it is) and that JSON keeps
// as it is (the `records.marc` column). A control field is `[tag, value]`; a data field is
// `[tag, indicators (two characters), code, value, code, value, ...]`.

export type MarcField = string[];

export interface MarcRecord {
  leader: string;
  fields: MarcField[];
}

/** 001 to 009. Without a regular expression: it is asked of every field, several times a record, on an import. */
export const isControlTag = (tag: string) =>
  tag.length === 3 &&
  tag.charCodeAt(0) === 0x30 &&
  tag.charCodeAt(1) === 0x30 &&
  tag.charCodeAt(2) >= 0x30 &&
  tag.charCodeAt(2) <= 0x39;

export function controlValue(record: MarcRecord, tag: string): string | null {
  const field = record.fields.find((f) => f[0] === tag);
  return field && field.length >= 2 ? (field[1] ?? null) : null;
}

export function fieldsOf(record: MarcRecord, tags: string | RegExp): MarcField[] {
  const out: MarcField[] = [];
  for (const f of record.fields) {
    const tag = f[0];
    if (tag === undefined || (typeof tags === 'string' ? tag !== tags : !tags.test(tag)) || isControlTag(tag)) continue;
    out.push(f);
  }
  return out;
}

/** The values of subfield `code` in a data field, in order. */
export function subfields(field: MarcField, code: string): string[] {
  const out: string[] = [];
  for (let i = 2; i + 1 < field.length; i += 2) if (field[i] === code) out.push(field[i + 1] as string);
  return out;
}

export function subfield(field: MarcField, code: string): string | null {
  return subfields(field, code)[0] ?? null;
}

/** The first value of `code` in the first of `tags` that has one. */
export function firstSubfield(record: MarcRecord, tags: string[], code: string): string | null {
  for (const tag of tags) {
    for (const field of fieldsOf(record, tag)) {
      const v = subfield(field, code);
      if (v && v.trim()) return v;
    }
  }
  return null;
}

/** "003|001" when the record has a 001; what a re-import of the same record is matched by. */
export function controlNumberOf(record: MarcRecord): string | null {
  const id = controlValue(record, '001')?.trim();
  if (!id) return null;
  return `${controlValue(record, '003')?.trim() ?? ''}|${id}`;
}

/** The stored form (the `records.marc` column). */
export const serialiseMarc = (record: MarcRecord): string =>
  JSON.stringify({ leader: record.leader, fields: record.fields });

export function parseStoredMarc(text: string | null | undefined): MarcRecord | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as MarcRecord;
    return typeof value.leader === 'string' && Array.isArray(value.fields) ? value : null;
  } catch {
    return null;
  }
}

/** Puts a field in tag order (after the last field with the same or a lower tag). */
export function insertInTagOrder(record: MarcRecord, field: MarcField): void {
  const tag = field[0] as string;
  let at = record.fields.length;
  while (at > 0 && (record.fields[at - 1]![0] as string) > tag) at--;
  record.fields.splice(at, 0, field);
}
