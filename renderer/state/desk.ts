// What the circulation screens are in the middle of: the patron at the desk and what was lent
// to them, the items returned, the renewals. Kept here, not in the screens, so that stepping
// over to Patrons or Holds and coming back finds the check-out as it was. "Finish" clears the
// check-out; signing out clears everything (the next member of staff sees no one's patron).
import { create } from 'zustand';
import type { ApiOutput } from '../../src/api/contract';
import { useSession } from './session';

export type PatronSummary = ApiOutput<'patrons.lookup'>;
export type Loan = ApiOutput<'circulation.checkout'>;
/** A return, and the book-drop day it was backdated to (shown on its row), if any. */
export type Returned = ApiOutput<'circulation.checkin'> & { backdatedTo?: string | null };

export interface RenewRefusal {
  code: string;
  overridable: boolean;
  params?: Record<string, string | number>;
}

/** One line of the Renew screen: renewed (with its new due date) or refused (and why). */
export type RenewOutcomeBody =
  | { itemBarcode: string; title: string; ok: true; dueAt: number; renewalsLeft: number }
  | {
      itemBarcode: string;
      title: string;
      ok: false;
      refusals: RenewRefusal[];
      errorCode: string | null;
      overridden?: boolean;
    };
export type RenewOutcome = RenewOutcomeBody & { key: number };

const RETURNS_KEPT = 50;

interface DeskState {
  checkout: { patron: PatronSummary | null; lent: Loan[] };
  checkin: { results: Returned[] };
  renew: { patron: PatronSummary | null; outcomes: RenewOutcome[]; n: number };

  /** A new patron at the check-out: the list of what was lent starts again. */
  startCheckout(patron: PatronSummary): void;
  /** A loan made (or a renewal by re-scanning): on top, once. */
  lent(loan: Loan): void;
  /** A loan of this visit checked in again at once (lent by mistake): off the list. */
  unlent(itemId: string): void;
  /** The same patron, as the station has them now (fees, overdue loans): the list of this visit stays. */
  refreshCheckoutPatron(patron: PatronSummary): void;
  finishCheckout(): void;

  returned(result: Returned): void;

  setRenewPatron(patron: PatronSummary | null): void;
  renewOutcomes(outcomes: RenewOutcomeBody[]): void;
  /** A refused renewal a supervisor has since overridden: its Override button goes. */
  markOverridden(key: number): void;

  /** Everything back to empty (sign-out). */
  reset(): void;
}

const EMPTY = {
  checkout: { patron: null, lent: [] },
  checkin: { results: [] },
  renew: { patron: null, outcomes: [], n: 0 },
} satisfies Pick<DeskState, 'checkout' | 'checkin' | 'renew'>;

export const useDesk = create<DeskState>((set) => ({
  ...EMPTY,
  startCheckout: (patron) => set({ checkout: { patron, lent: [] } }),
  lent: (loan) =>
    set((s) => ({
      checkout: { patron: s.checkout.patron, lent: [loan, ...s.checkout.lent.filter((x) => x.itemId !== loan.itemId)] },
    })),
  unlent: (itemId) =>
    set((s) => ({ checkout: { patron: s.checkout.patron, lent: s.checkout.lent.filter((x) => x.itemId !== itemId) } })),
  refreshCheckoutPatron: (patron) =>
    set((s) =>
      s.checkout.patron?.patron.id === patron.patron.id ? { checkout: { patron, lent: s.checkout.lent } } : {},
    ),
  finishCheckout: () => set({ checkout: EMPTY.checkout }),
  returned: (result) => set((s) => ({ checkin: { results: [result, ...s.checkin.results].slice(0, RETURNS_KEPT) } })),
  setRenewPatron: (patron) => set((s) => ({ renew: { ...s.renew, patron } })),
  renewOutcomes: (outcomes) =>
    set((s) => {
      let n = s.renew.n;
      // On top, in the order given.
      const keyed = outcomes.map((o): RenewOutcome => ({ ...o, key: ++n }));
      return { renew: { ...s.renew, outcomes: [...keyed, ...s.renew.outcomes], n } };
    }),
  markOverridden: (key) =>
    set((s) => ({
      renew: {
        ...s.renew,
        outcomes: s.renew.outcomes.map((o) => (o.key === key && !o.ok ? { ...o, overridden: true } : o)),
      },
    })),
  reset: () => set(EMPTY),
}));

// A patron left on screen must not outlive the session of the member of staff who found them.
useSession.subscribe((now, before) => {
  if (before.staff && !now.staff) useDesk.getState().reset();
});
