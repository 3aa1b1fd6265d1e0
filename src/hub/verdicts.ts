// What the hub decides about one journal entry: its outcome, the reason, and the exceptions it
// raised for staff. In a file of its own so that apply.ts, exceptions.ts and policy.ts, which all
// give verdicts, need not import each other for the types.
export type Outcome = 'applied' | 'applied_with_warning' | 'conflict' | 'rejected';

export interface HubException {
  kind: string;
  message: string;
  /** The facts a desk words the exception with, in its own language (src/api/sync-protocol.ts ExceptionParams). */
  params?: Record<string, string | number | boolean | null>;
  patronIds: string[];
  itemId: string | null;
  entryIds: string[];
  branchIds: string[];
}

export interface ApplyResult {
  outcome: Outcome;
  reason?: string;
  exceptions: HubException[];
}
