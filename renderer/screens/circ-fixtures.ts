// Patrons, loans and copies as the station returns them, for the desk screens' component tests.
import type { ApiOutput } from '../../src/api/contract';
import { dayIn } from '../components/PatronAtDesk';

export type Summary = ApiOutput<'patrons.lookup'>;
export type CatalogueCopy = ApiOutput<'catalogue.record'>['items'][number];

export const DAY = 86_400_000;
export const today = dayIn(Date.now(), 'America/New_York');
export const inDays = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** Lisa Simpson, card 20000001, an adult with nothing owed, on loan or waiting (unless `over` says so). */
export function lisa(over: Partial<Summary> = {}, patron: Partial<Summary['patron']> = {}): Summary {
  return {
    patron: {
      id: 'p1',
      cardBarcode: '20000001',
      firstName: 'Lisa',
      lastName: 'Simpson',
      email: null,
      phone: null,
      address: null,
      homeBranchId: 'b1',
      categoryCode: 'ADULT',
      cardExpiresOn: inDays(400),
      notes: '',
      keepReadingHistory: false,
      createdAt: 0,
      hasPin: false,
      ...patron,
    },
    categoryName: 'Adult',
    blocks: [],
    feesOwed: 0,
    currency: 'USD',
    fees: [],
    loans: [],
    holds: [],
    holdsReady: 0,
    ...over,
  };
}

/** Bart Simpson, card 20000002. */
export const bart = (over: Partial<Summary> = {}): Summary =>
  lisa(over, { id: 'p2', cardBarcode: '20000002', firstName: 'Bart' });

export const loan = (n: number, renewed = false): ApiOutput<'circulation.checkout'> => ({
  loanId: `L${n}`,
  itemId: `i${n}`,
  itemBarcode: `3000000${n}`,
  title: `Title ${n}`,
  dueAt: Date.now() + 21 * DAY,
  renewals: renewed ? 1 : 0,
  renewalsLeft: renewed ? 1 : 2,
  renewed,
  notices: [],
});

/** A copy as the catalogue's record shows it: copy i1 of record r1, available at branch b1 (unless `over` says so). */
export const catalogueCopy = (over: Partial<CatalogueCopy> = {}): CatalogueCopy => ({
  id: 'i1',
  barcode: '30234000000017',
  recordId: 'r1',
  homeBranchId: 'b1',
  currentBranchId: 'b1',
  itemTypeCode: 'BOOK',
  status: 'available',
  damaged: false,
  notForLoan: false,
  replacementPrice: null,
  transitToBranchId: null,
  dueAt: null,
  ...over,
});
