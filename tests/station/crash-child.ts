// Run by crash.test.ts as a separate process: lends item after item and prints "OK <loanId>"
// only once each check-out has returned (i.e. committed). The test kills it with SIGKILL
// mid-stream.
import { openStation } from '../../src/station/services';

const [path, staffId, patronCardsJson, itemBarcodesJson] = process.argv.slice(2) as [string, string, string, string];
const patronCards = JSON.parse(patronCardsJson) as string[];
const itemBarcodes = JSON.parse(itemBarcodesJson) as string[];
const s = openStation(path);
// The account signs its entries: its key opens only at sign-in (the test station's admin).
await s.auth.signIn('admin', 'correct horse battery');
const actor = { kind: 'staff' as const, staffId };
let i = 0;
for (const barcode of itemBarcodes) {
  const loan = s.circulation.checkout(
    { patronBarcode: patronCards[i++ % patronCards.length]!, itemBarcode: barcode },
    actor,
  );
  process.stdout.write(`OK ${loan.loanId}\n`);
}
process.stdout.write('DONE\n');
