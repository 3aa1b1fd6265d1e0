// A station in its own process, for the test that kills one with SIGKILL in the middle of a sync.
// First run: joins the hub and writes `count` patron registrations at once (a day's work done
// offline), which the sync worker then pushes in batches. Later runs: just sync what is waiting.
// Prints `ready` once the core runs, and `waiting <n>` whenever the journal's backlog changes.
import { startStationCore } from '../../src/station/core';
import { patronCard } from '../support/station';

const [dataDir, hubUrl, code, countArg] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countArg);
const core = await startStationCore({
  dataDir,
  join: { hubUrl, code, stationName: 'killed desk' },
  syncIntervalMs: 100,
});
const s = core.services;
if (s.ctx.readState('test_work_written') === null) {
  // Alice signs in: her key, which the hub sent sealed with her password, signs the registrations.
  await s.auth.signIn('alice', 'alice password');
  const staffId = (s.store.db.prepare("SELECT id FROM staff WHERE username = 'alice'").get() as { id: string }).id;
  s.store.db.transaction(() => {
    // The marker and the work in one go: a kill before it leaves neither, after it both.
    for (let i = 1; i <= count; i++) {
      s.patrons.register(
        { cardBarcode: patronCard(i), firstName: `Patron ${i}`, lastName: 'Offline', categoryCode: 'ADULT' },
        { kind: 'staff', staffId },
      );
    }
    s.ctx.writeState('test_work_written', String(count));
  })();
}
console.log('ready');
let last = -1;
setInterval(() => {
  const n = s.ctx.journal.waitingCount();
  if (n !== last) console.log(`waiting ${n}`);
  last = n;
}, 20);
