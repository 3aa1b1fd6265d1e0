// Copy cataloguing: search another library's catalogue (a target in the library's settings, SRU
// or Z39.50),
// show its records, and make the one staff pick a record of ours. The network call happens
// here, in the station; the record is added by the catalogue service like any other, so it is
// journaled and synced the same way.
import { XMLSerializer } from '@xmldom/xmldom';
import type { BibRecord, CopyCatalogueTarget } from '../../domain/types';
import type { CatalogueService } from '../catalogue';
import type { Actor } from '../command';
import type { ServiceContext } from '../context';
import { isbnCatalogued, recordIdWithIsbn } from '../../store/queries/catalogue';
import { invalid, notFound, ServiceError } from '../errors';
import { marcToRecord } from './marc-to-record';
import { MarcXmlError, parseMarcXml, type MarcRecord } from './marcxml';
import { CopyCatalogueError, sruSearch, type SearchBy } from './sru';
import { z3950Search } from './z3950';

/** How long a target may take to answer one search. Other libraries' servers can be slow; the desk should not wait longer. */
export const TARGET_TIMEOUT_MS = 10_000;
/** Records shown per search (one page). */
export const PAGE_SIZE = 10;

export interface CopyCatalogueHit {
  position: number;
  title: string;
  author: string | null;
  isbn: string | null;
  issn: string | null;
  publisher: string | null;
  year: number | null;
  callNumber: string | null;
  controlNumber: string | null;
  /** Our record with the same ISBN, if there is one: staff open it rather than copy it twice. */
  existingRecordId: string | null;
  marcxml: string;
}

export interface CopyCatalogueSearchResult {
  target: { id: string; name: string };
  total: number;
  hits: CopyCatalogueHit[];
}

export class CopyCataloguingService {
  private readonly serializer = new XMLSerializer();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly catalogue: CatalogueService,
    private readonly timeoutMs = TARGET_TIMEOUT_MS,
  ) {}

  targets(): CopyCatalogueTarget[] {
    return this.ctx.config.get().settings.copyCatalogueTargets ?? [];
  }

  async search(targetId: string, by: SearchBy, term: string, start = 1): Promise<CopyCatalogueSearchResult> {
    const target = this.targets().find((t) => t.id === targetId);
    if (!target) throw notFound('copy cataloguing target');
    if (!term.trim()) throw invalid('Type what to search for.');
    let found;
    try {
      found =
        target.kind === 'sru'
          ? await sruSearch(target, by, term, { timeoutMs: this.timeoutMs, start, max: PAGE_SIZE }, (el) =>
              this.serializer.serializeToString(el),
            )
          : await z3950Search(target, by, term, {
              timeoutMs: this.timeoutMs,
              start,
              max: PAGE_SIZE,
              readXml: readOneMarcXml,
            });
    } catch (error) {
      throw asServiceError(error);
    }
    const byIsbn = recordIdWithIsbn(this.ctx);
    const hits = found.records.map(({ position, marc, marcxml }) => {
      const record = marcToRecord(marc);
      const existing = record.isbn ? byIsbn(record.isbn) : undefined;
      return { position, ...record, title: record.title || '—', existingRecordId: existing ?? null, marcxml };
    });
    return { target: { id: target.id, name: target.name }, total: found.total, hits };
  }

  /** The picked MARCXML record becomes a record of ours (a record with the same ISBN is refused: open that one). */
  import(marcxml: string, actor: Actor): BibRecord {
    let records;
    try {
      records = parseMarcXml(marcxml);
    } catch (error) {
      if (error instanceof MarcXmlError) throw invalid(`The record is not MARCXML: ${error.message}`);
      throw error;
    }
    const [marc] = records;
    if (!marc || records.length !== 1) throw invalid('Pick one record to copy.');
    const { controlNumber: _controlNumber, ...record } = marcToRecord(marc);
    if (!record.title) throw invalid('The record has no title (MARC 245), so it cannot be copied.');
    if (record.isbn && isbnCatalogued(this.ctx, record.isbn)) {
      throw new ServiceError('CONFLICT', 'The catalogue has a record with that ISBN already.');
    }
    return this.catalogue.addRecord(record, actor);
  }
}

/** The one MARC record of a MARCXML text (a Z39.50 XML record). */
function readOneMarcXml(xml: string): MarcRecord {
  const [record] = parseMarcXml(xml);
  if (!record) throw new MarcXmlError('no MARC record');
  return record;
}

function asServiceError(error: unknown): unknown {
  if (!(error instanceof CopyCatalogueError)) return error;
  const code =
    error.code === 'TARGET_UNREACHABLE' || error.code === 'TARGET_TIMEOUT' ? 'TARGET_UNREACHABLE' : 'TARGET_ERROR';
  return new ServiceError(code, error.message);
}
