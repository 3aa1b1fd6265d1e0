// Journal entries from before secrets were kept out of the journal lose them at the next start:
// the hashes become references, and an entry still waiting for the hub keeps the values beside it.
import { afterEach, describe, expect, it } from 'vitest';
import { redactJournalSecrets } from '../../src/services/journal-secrets';
import { digestOf } from '../../src/shared/secret-refs';
import { addPatron, createTestStation, type TestStation } from '../support/station';

let t: TestStation;
afterEach(() => t?.close());

/** An entry as an older version wrote it: the hashes in its rows. */
function legacyEntry(t: TestStation, command: string, effects: unknown[]): number {
  const info = t.s.store.db
    .prepare(
      'INSERT INTO journal (id, station_id, hlc, wall_time, staff_id, branch_id, command, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      `legacy-${command}`,
      t.s.ctx.stationId,
      '2026-01-01T00:00:00.000Z-0000-x',
      1,
      null,
      t.branchId,
      command,
      JSON.stringify({ input: {}, effects }),
    );
  return Number(info.lastInsertRowid);
}

describe('secrets in journal entries written by an older version', () => {
  it('become references once, and an entry the hub has not had keeps them beside it', () => {
    t = createTestStation();
    const ana = addPatron(t, 1, { pin: '2468' });
    const pinHash = 'scrypt$16384$8$1$c2FsdA==$a2V5';
    const passwordHash = 'scrypt$16384$8$1$c2FsdDI=$a2V5Mg==';
    const sealedKey = 'seal1$16384$8$1$c2FsdA==$aXY=$dGFn$Ym9keQ==';
    const patronSeq = legacyEntry(t, 'patrons.setPin', [
      { table: 'patrons', op: 'upsert', row: { id: ana.id, pinHash } },
    ]);
    const staffSeq = legacyEntry(t, 'staff.save', [
      { table: 'staff', op: 'upsert', row: { id: 'tom', username: 'tom', passwordHash, sealedKey } },
    ]);
    const newer = t.s.store.db
      .prepare("SELECT payload FROM journal WHERE command = 'patrons.register'")
      .pluck()
      .get() as string;
    // As if joined to a hub that has acknowledged nothing yet.
    t.s.ctx.writeState('hub_url', 'https://hub.example');

    expect(redactJournalSecrets(t.s.ctx)).toBe(2);
    const payloads = t.s.store.db.prepare('SELECT seq, payload, redacted_at FROM journal ORDER BY seq').all() as {
      seq: number;
      payload: string;
      redacted_at: number | null;
    }[];
    expect(payloads.map((p) => p.payload).join('\n')).not.toMatch(/scrypt\$|seal1\$/);
    const patronEntry = payloads.find((p) => p.seq === patronSeq)!;
    expect(JSON.parse(patronEntry.payload).effects[0].row.pinHash).toBe(`secret:${digestOf(pinHash)}`);
    expect(patronEntry.redacted_at).not.toBeNull();
    expect(JSON.parse(payloads.find((p) => p.seq === staffSeq)!.payload).effects[0].row).toMatchObject({
      passwordHash: `secret:${digestOf(passwordHash)}`,
      sealedKey: `secret:${digestOf(sealedKey)}`,
    });
    // Waiting for the hub: the values go with the push, as a new entry's do.
    expect(t.s.ctx.journal.secrets([digestOf(pinHash), digestOf(passwordHash), digestOf(sealedKey)])).toEqual({
      [digestOf(pinHash)]: pinHash,
      [digestOf(passwordHash)]: passwordHash,
      [digestOf(sealedKey)]: sealedKey,
    });
    // A newer entry, written with references already, is left as it was.
    expect(t.s.store.db.prepare("SELECT payload FROM journal WHERE command = 'patrons.register'").pluck().get()).toBe(
      newer,
    );
    // Once is enough: later starts do not scan the journal again.
    expect(redactJournalSecrets(t.s.ctx)).toBe(0);
    expect(
      t.s.store.db.prepare("SELECT count(*) FROM audit WHERE command = 'privacy.redactJournalSecrets'").pluck().get(),
    ).toBe(1);
  });
});
