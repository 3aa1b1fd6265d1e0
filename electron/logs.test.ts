import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact, RotatingLog } from './logs';

describe('the desktop log', () => {
  it('keeps patron data, PINs and passwords out', () => {
    expect(redact('lookup 20234000000019 by ana@example.org')).toBe('lookup [number] by [email]');
    expect(redact('{"pin":"1234","password": "secret"}')).toBe('{"pin":[redacted],"password": [redacted]}');
    const line = redact(
      '{"firstName":"Ana María","lastName":"O\\"Neil","cardBarcode":"P0012345","copies":3} call +34 912 345 678, due 2026-11-22',
    );
    expect(line).toBe(
      '{"firstName":[redacted],"lastName":[redacted],"cardBarcode":[redacted],"copies":3} call [number], due 2026-11-22',
    );
    expect(line).not.toMatch(/Ana|Neil|0012345|912/);
  });
  it('rotates in the data folder, keeping a bounded number of files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'circa-logs-'));
    const log = new RotatingLog(dir, 200, 2);
    for (let i = 0; i < 40; i++) log.write('info', `line ${'x'.repeat(20)}`);
    expect(existsSync(join(dir, 'circa.1.log'))).toBe(true);
    expect(existsSync(join(dir, 'circa.2.log'))).toBe(true);
    expect(existsSync(join(dir, 'circa.3.log'))).toBe(false);
    expect(readFileSync(log.path, 'utf8')).toMatch(/info line x+/);
  });
});
