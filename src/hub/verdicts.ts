// What the hub decides about one journal entry: its outcome, the reason, and the exceptions it
// raised for staff. In a file of its own so that apply.ts, exceptions.ts and policy.ts, which all
// give verdicts, need not import each other for the types.
import type { ExceptionWording } from '../domain/exception-kinds';

export type Outcome = 'applied' | 'applied_with_warning' | 'conflict' | 'rejected';

/**
 * An exception for staff: its kind, params and English message made by `exceptionOf`
 * (src/domain/exception-kinds.ts), so a kind misspelt or a fact missing does not compile.
 */
export type HubException = ExceptionWording & {
  patronIds: string[];
  itemId: string | null;
  entryIds: string[];
  branchIds: string[];
};

export interface ApplyResult {
  outcome: Outcome;
  reason?: string;
  exceptions: HubException[];
}
