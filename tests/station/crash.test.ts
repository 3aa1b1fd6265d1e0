// Power-loss and kill -9 safety: a station process killed in the middle of a stream of
// check-outs keeps every check-out it confirmed, each with its journal entry, and nothing
// half-written.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openStation } from '../../src/station/services';
import { addPatron, addTitle, createTestStation } from '../support/station';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

describe('a station killed with SIGKILL mid-stream', () => {
  it('keeps every confirmed check-out and its journal entry, and nothing half-written', async () => {
    const t = createTestStation({ start: Date.now() });
    const cards = Array.from({ length: 10 }, (_, i) => addPatron(t, i + 1).cardBarcode);
    const { barcodes } = addTitle(t, 'Crash Course', 400, 1);
    const staffId = t.staff.staffId!;
    t.s.close();

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, t.path, staffId, JSON.stringify(cards), JSON.stringify(barcodes)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const confirmed: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line.startsWith('OK ')) confirmed.push(line.slice(3));
        if (confirmed.length === 60) child.kill('SIGKILL');
        if (line === 'DONE') reject(new Error('the child finished before it was killed'));
      });
      child.on('exit', () => resolve());
    });
    expect(confirmed.length).toBeGreaterThanOrEqual(60);

    const s = openStation(t.path);
    const db = s.store.db;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const loanIds = new Set(
      (db.prepare('SELECT id FROM loans WHERE returned_at IS NULL').all() as { id: string }[]).map((r) => r.id),
    );
    for (const id of confirmed) expect(loanIds.has(id), `confirmed loan ${id} survived`).toBe(true);

    // Every loan has exactly one journal entry that wrote it, and every entry's loan exists.
    const entries = (
      db.prepare("SELECT payload FROM journal WHERE command = 'circulation.checkout'").all() as { payload: string }[]
    ).map((r) => JSON.parse(r.payload) as { effects: { table: string; row: { id: string; status?: string } }[] });
    const journaledLoans = entries.flatMap((e) => e.effects.filter((x) => x.table === 'loans').map((x) => x.row.id));
    expect(new Set(journaledLoans)).toEqual(loanIds);
    expect(journaledLoans.length).toBe(loanIds.size);
    // And the items agree: exactly the lent ones are on loan.
    const onLoan = (db.prepare("SELECT count(*) AS n FROM items WHERE status = 'on_loan'").get() as { n: number }).n;
    expect(onLoan).toBe(loanIds.size);
    s.close();
  }, 120_000);
});
