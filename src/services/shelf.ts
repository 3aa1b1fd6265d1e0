// Shelf reading: staff scan a shelf copy after copy and the station says at once what is wrong
// with each one (out of call-number order, another branch's or collection's, marked on loan,
// lost or missing, wanted for a hold); at the end of a range it lists the copies the catalogue
// expects there that were not scanned. Every scan records when the copy was last seen.
//
// Why one journal entry per scan rather than one per session: a scan must survive the desk PC
// losing power mid-shelf (the next reading would report those copies missing), and a session has
// no natural end the station could rely on. A scan writes one row (the copy's lastSeenAt) and one
// entry, the cost of a check-in without its loan; the previous copy is read by barcode, no more.
import { callNumberSortKey, compareCallNumbers, inCallNumberRange } from '../domain/call-number';
import { isActiveHold } from '../domain/holds';
import { refusal } from '../domain/refusals';
import { localDateOf, startOfLocalDay, isValidLocalDate } from '../domain/time';
import type { Item, ItemStatus } from '../domain/types';
import { runCommand, type Actor } from './command';
import type { ServiceContext } from './context';
import { invalid, refused, ServiceError } from './errors';
import type { Lookups } from './lookups';
import { ShelfQueries, type ShelfCopy } from '../store/queries/shelf';
import { COMMAND } from '../domain/commands';

/** What can be wrong with a copy on the shelf, each with what staff do about it. */
export type ShelfProblemCode =
  /** Files before the copy scanned just before it: move it. */
  | 'OUT_OF_ORDER'
  /** Belongs to another branch: send it there. */
  | 'OTHER_BRANCH'
  /** Belongs to another shelving location or collection of this branch. */
  | 'OTHER_LOCATION'
  /** The catalogue says it is on loan: check it in. */
  | 'ON_LOAN'
  /** Marked lost, missing or claimed returned: it is found (mark it found). */
  | 'MARKED_LOST'
  /** A hold waits for a copy like this one: pull it for the hold. */
  | 'HOLD_WAITING'
  /** Marked as somewhere else (in transit, on the hold shelf, in repair) or withdrawn: check it in or take it off the shelf. */
  | 'UNEXPECTED_STATUS';

export interface ShelfProblem {
  code: ShelfProblemCode;
  params?: Record<string, string | number>;
}

export interface ShelfScanInput {
  itemBarcode: string;
  /** The copy scanned just before on this shelf, to check the order; null for the first of a range. */
  previousBarcode?: string | null;
  /** The shelving location being read (null: the branch's general shelves, any location accepted). */
  location?: string | null;
}

/** The copy scanned, as a shelf list shows it (without its last sighting: `previouslySeenAt` says it). */
export interface ShelfScanResult extends Omit<ShelfCopy, 'lastSeenAt'> {
  homeBranch: { id: string; name: string };
  /** When it was seen before this scan (null: never). */
  previouslySeenAt: number | null;
  seenAt: number;
  problems: ShelfProblem[];
}

export type { ShelfCopy };

export interface ShelfRangeInput {
  /** The range read, both ends included (the first and last call numbers scanned, or typed). */
  from: string;
  to: string;
  location?: string | null;
  /** When the reading started: copies seen since then count as scanned. */
  since: number;
}

export interface NotSeenInput {
  /** Copies not seen since this day (branch-local date; never-seen copies included). */
  since: string;
  location?: string | null;
}

/** Statuses of a copy the catalogue expects to be on its shelf. */
const ON_THE_SHELF: ItemStatus[] = ['available'];

const LOST: ItemStatus[] = ['lost', 'missing', 'claimed_returned'];

export class ShelfService {
  private readonly find: Lookups;
  private readonly s: ShelfQueries;

  constructor(private readonly ctx: ServiceContext) {
    this.find = ctx.circulation;
    this.s = new ShelfQueries(ctx);
  }

  private desk() {
    const cfg = this.ctx.config.get();
    const branch = cfg.branches.get(this.ctx.identity().branchId);
    if (!branch) throw new ServiceError('NOT_CONFIGURED', 'The branch of this station is unknown.');
    return { cfg, branch };
  }

  /** One copy scanned on the shelf: recorded as seen, and what is wrong with it said. */
  scan(input: ShelfScanInput, actor: Actor): ShelfScanResult {
    const itemBarcode = input.itemBarcode.trim();
    const previousBarcode = input.previousBarcode?.trim() || null;
    const location = normaliseLocation(input.location);
    if (!itemBarcode) throw invalid('Scan a copy’s barcode.');
    const { cfg, branch } = this.desk();
    return runCommand(
      this.ctx,
      {
        command: COMMAND.shelf.scan,
        input: { itemBarcode, previousBarcode, location },
        actor,
        summary: `shelf scan ${itemBarcode}`,
      },
      (tx) => {
        const item = this.find.deskItemByBarcode(itemBarcode);
        if (!item) throw refused([refusal('ITEM_NOT_FOUND', { barcode: itemBarcode })]);
        const now = this.ctx.now();
        const today = localDateOf(now, branch.timeZone);
        const callNumber = this.s.recordCallNumber(item.recordId) ?? null;
        const problems: ShelfProblem[] = [];

        if (previousBarcode && previousBarcode !== itemBarcode) {
          const previous = this.s.callNumberOfBarcode(previousBarcode);
          // A copy without a call number has no place to be out of: only two call numbers compare.
          if (previous && callNumber && compareCallNumbers(callNumber, previous) < 0) {
            problems.push({ code: 'OUT_OF_ORDER', params: { previous: previous ?? '', previousBarcode } });
          }
        }
        if (item.homeBranchId !== branch.id) {
          problems.push({
            code: 'OTHER_BRANCH',
            params: { branch: cfg.branches.get(item.homeBranchId)?.name ?? item.homeBranchId },
          });
        }
        const itemLocation = normaliseLocation(item.location);
        if (location && itemLocation !== location)
          problems.push({ code: 'OTHER_LOCATION', params: { location: itemLocation ?? '' } });
        if (item.status === 'on_loan' || this.find.openLoanOfItem(item.id)) problems.push({ code: 'ON_LOAN' });
        else if (LOST.includes(item.status)) problems.push({ code: 'MARKED_LOST', params: { status: item.status } });
        else if (item.status !== 'available')
          problems.push({ code: 'UNEXPECTED_STATUS', params: { status: item.status } });
        if (item.status === 'available' && !item.notForLoan && this.holdWaitsFor(item, today))
          problems.push({ code: 'HOLD_WAITING' });

        const { title: _title, ...row } = item;
        tx.upsert('items', { ...row, lastSeenAt: now });
        return {
          itemId: item.id,
          itemBarcode: item.barcode,
          title: item.title,
          callNumber,
          location: itemLocation,
          status: item.status,
          homeBranch: { id: item.homeBranchId, name: cfg.branches.get(item.homeBranchId)?.name ?? item.homeBranchId },
          previouslySeenAt: item.lastSeenAt ?? null,
          seenAt: now,
          problems,
        };
      },
    );
  }

  /**
   * A hold this copy could fill now: one on this very copy still pending, or a pending hold on
   * its title (not suspended) with no copy trapped for it yet. The same holds the pull list shows.
   */
  private holdWaitsFor(item: Item, today: string): boolean {
    const onItem = this.find.activeHoldsOfItem(item.id).some((h) => h.status === 'pending' && isActiveHold(h, today));
    if (onItem) return true;
    return this.find
      .activeHoldsOfRecord(item.recordId)
      .some((h) => h.status === 'pending' && !h.itemLevel && h.itemId === null && isActiveHold(h, today));
  }

  /**
   * The copies of this branch (and location, if one is read) filed in the range that the
   * catalogue expects on the shelf and that were not seen since the reading started.
   */
  missingInRange(input: ShelfRangeInput): ShelfCopy[] {
    if (!input.from.trim() || !input.to.trim()) throw invalid('Give the first and the last call number of the range.');
    const [from, to] = compareCallNumbers(input.from, input.to) <= 0 ? [input.from, input.to] : [input.to, input.from];
    const location = normaliseLocation(input.location);
    return this.copiesOfBranch(location).filter(
      (c) =>
        ON_THE_SHELF.includes(c.status) &&
        (c.lastSeenAt ?? 0) < input.since &&
        inCallNumberRange(c.callNumber, from, to),
    );
  }

  /** Copies of this branch not seen since a day (the start of that day, branch time), in shelf order. */
  notSeenSince(input: NotSeenInput): ShelfCopy[] {
    if (!isValidLocalDate(input.since)) throw invalid('The date must be a date like 2026-11-20.');
    const { branch } = this.desk();
    const since = startOfLocalDay(input.since, branch.timeZone);
    return this.copiesOfBranch(normaliseLocation(input.location)).filter(
      (c) => c.status !== 'withdrawn' && (c.lastSeenAt ?? 0) < since,
    );
  }

  /** The branch's copies (of one location, if named) in shelf order. */
  private copiesOfBranch(location: string | null): ShelfCopy[] {
    const rows = this.s
      .copiesOfBranch(this.ctx.identity().branchId)
      .filter((c) => !location || normaliseLocation(c.location) === location)
      .map((c) => ({ ...c, key: callNumberSortKey(c.callNumber) }));
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.itemBarcode < b.itemBarcode ? -1 : 1));
    return rows.map(({ key: _key, ...c }) => c);
  }
}

/** Locations are codes: compared without case or surrounding spaces; blank is none. */
export function normaliseLocation(location: string | null | undefined): string | null {
  const s = location?.trim().toUpperCase();
  return s ? s : null;
}
