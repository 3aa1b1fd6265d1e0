// Imports from the desk (Settings › Import): the renderer sends the file in pieces (a request
// body is at most 1 MB over HTTP, src/transports/http), the station keeps them in a file of its
// own data folder, then runs the import in the background while the desk asks how far it got.
// The import itself is the command line's (src/services/import): same batches, same report.
import { randomUUID } from 'node:crypto';
import { appendFileSync, createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Actor } from '../services/command';
import { invalid, notFound, ServiceError } from '../services/errors';
import { MarcImporter, type MarcImportReport } from '../services/import/marc-import';
import { importPatrons, type PatronImportReport } from '../services/import/patrons-csv';
import type { StationServices } from './services';

/** A file sent to the desk's import: at most this big (a 500,000-record catalogue is ~250 MB). */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export interface ImportJobStatus {
  state: 'running' | 'done' | 'failed';
  kind: 'marc' | 'patrons';
  read: number;
  bytes: number;
  totalBytes: number;
  report: {
    dryRun: boolean;
    read: number;
    added: number;
    updated: number;
    copies: number;
    skipped: number;
    skippedRows: { position: number; id: string | null; reason: string }[];
  } | null;
  error: string | null;
}

export class ImportJobs {
  private readonly uploads = new Map<string, { path: string; bytes: number }>();
  private readonly jobs = new Map<string, ImportJobStatus>();
  private readonly dir: string;

  constructor(private readonly s: StationServices) {
    this.dir = join(dirname(s.store.path), 'imports');
  }

  upload(input: { uploadId: string | null; chunk: string }): { uploadId: string; bytes: number } {
    const data = Buffer.from(input.chunk, 'base64');
    const upload = input.uploadId ? this.uploads.get(input.uploadId) : this.newUpload();
    if (!upload) throw notFound('upload');
    if (upload.bytes + data.length > MAX_UPLOAD_BYTES)
      throw invalid('The file is larger than 1 GB: import it with npm run station -- import.');
    appendFileSync(upload.path, data);
    upload.bytes += data.length;
    const uploadId = input.uploadId ?? [...this.uploads].find(([, u]) => u === upload)![0];
    return { uploadId, bytes: upload.bytes };
  }

  private newUpload() {
    mkdirSync(this.dir, { recursive: true });
    const id = randomUUID();
    const upload = { path: join(this.dir, `${id}.upload`), bytes: 0 };
    this.uploads.set(id, upload);
    return upload;
  }

  start(
    input: {
      uploadId: string;
      kind: 'marc' | 'patrons';
      dryRun: boolean;
      defaultItemType?: string | null;
      defaultCategory?: string | null;
    },
    actor: Actor,
  ): { jobId: string } {
    const upload = this.uploads.get(input.uploadId);
    if (!upload) throw notFound('upload');
    this.uploads.delete(input.uploadId);
    if ([...this.jobs.values()].some((j) => j.state === 'running'))
      throw new ServiceError('CONFLICT', 'An import is running already: wait for it to finish.');
    const jobId = randomUUID();
    const job: ImportJobStatus = {
      state: 'running',
      kind: input.kind,
      read: 0,
      bytes: 0,
      totalBytes: statSync(upload.path).size,
      report: null,
      error: null,
    };
    this.jobs.set(jobId, job);
    const common = {
      dryRun: input.dryRun,
      fileName: 'desk upload',
      totalBytes: job.totalBytes,
      onProgress: (p: { read: number; bytes: number }) => Object.assign(job, { read: p.read, bytes: p.bytes }),
    };
    const stream = createReadStream(upload.path, { highWaterMark: 256 * 1024 });
    const run: Promise<MarcImportReport | PatronImportReport> =
      input.kind === 'marc'
        ? new MarcImporter(this.s.ctx).import(stream, actor, {
            ...common,
            mapping: input.defaultItemType ? { defaultItemType: input.defaultItemType } : {},
          })
        : importPatrons(this.s.ctx, stream, actor, {
            ...common,
            mapping: input.defaultCategory ? { defaultCategory: input.defaultCategory } : {},
          });
    run
      .then((r) => {
        const marc = 'records' in r ? r : null;
        const patrons = 'rows' in r ? r : null;
        job.report = {
          dryRun: r.dryRun,
          read: marc?.records ?? patrons?.rows ?? 0,
          added: r.added,
          updated: r.updated,
          copies: marc?.copies ?? 0,
          skipped: r.skippedCount,
          skippedRows: r.skipped,
        };
        job.read = job.report.read;
        job.bytes = job.totalBytes;
        job.state = 'done';
      })
      .catch((error: unknown) => {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => rmSync(upload.path, { force: true }));
    return { jobId };
  }

  status(jobId: string): ImportJobStatus {
    const job = this.jobs.get(jobId);
    if (!job) throw notFound('import');
    return job;
  }
}
