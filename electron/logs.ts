// The desktop app's log: a few rotating files in the data folder, for the library's IT person.
// Patron data never goes in: lines are redacted of anything that looks like a barcode, an email
// address or a PIN/password field before they are written.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_OR_PERSONAL_FIELDS = [
  'pin',
  'password',
  'token',
  'sessionToken',
  'overrideToken',
  'firstName',
  'lastName',
  'name',
  'displayName',
  'email',
  'phone',
  'address',
  'birthDate',
  'barcode',
  'cardBarcode',
  'patronBarcode',
  'note',
  'notes',
];
const REDACTIONS: [RegExp, string][] = [
  [
    new RegExp(
      `("?\\b(?:${SECRET_OR_PERSONAL_FIELDS.join('|')})"?\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"|[^\\s,}]+)`,
      'gi',
    ),
    '$1[redacted]',
  ],
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[email]'],
  // Card and item barcodes, phone numbers: any long run of digits, with or without a prefix.
  [/\b[A-Za-z]{0,3}\d{6,}\b/g, '[number]'],
  [/\+?\d(?:[ ()-]*\d){8,}/g, '[number]'],
];

export function redact(line: string): string {
  return REDACTIONS.reduce((s, [re, by]) => s.replace(re, by), line);
}

export class RotatingLog {
  constructor(
    private readonly dir: string,
    private readonly maxBytes = 1_000_000,
    private readonly keep = 5,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  get path(): string {
    return join(this.dir, 'circa.log');
  }

  write(level: 'info' | 'warn' | 'error', message: string, now = new Date()): void {
    if (existsSync(this.path) && statSync(this.path).size >= this.maxBytes) this.rotate();
    appendFileSync(this.path, `${now.toISOString()} ${level} ${redact(message)}\n`);
  }

  private rotate(): void {
    rmSync(join(this.dir, `circa.${this.keep}.log`), { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = join(this.dir, `circa.${i}.log`);
      if (existsSync(from)) renameSync(from, join(this.dir, `circa.${i + 1}.log`));
    }
    renameSync(this.path, join(this.dir, 'circa.1.log'));
  }
}
