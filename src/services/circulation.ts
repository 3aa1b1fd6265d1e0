// Check out, check in, renew, renew all: the desk's four verbs. Each is one command (one
// transaction, one journal entry); the decisions themselves are the pure rules of src/domain.
import { validateBarcode } from '../domain/barcode';
import { checkinStatusChange, routeReturnedItem } from '../domain/checkin';
import { computeDueDate, computeRenewalDueDate } from '../domain/due-date';
import { checkoutEligibility, renewalEligibility, renewalsLeft } from '../domain/eligibility';
import { accruedFine } from '../domain/fines';
import { isActiveHold, otherCopyCanFill, pickHoldToTrap, shelfExpiry, trapDecision } from '../domain/holds';
import { refusal, unoverridden } from '../domain/refusals';
import { DEFAULT_RULE, findPatronLimits, findReturnPolicy } from '../domain/rules';
import { endOfLocalDay, isValidLocalDate, localDateOf } from '../domain/time';
import type {
  Branch,
  CirculationRule,
  Fee,
  Hold,
  Item,
  Loan,
  Notice,
  Patron,
  Refusal,
  RefusalCode,
} from '../domain/types';
import { circulationRuleFor, FineAccrual, fineTermsAt } from './accrual';
import { runCommand, type Actor, type Tx } from './command';
import type { LibraryConfig } from './config';
import type { ServiceContext } from './context';
import { invalid, InvalidFields, refused, ServiceError } from './errors';
import type { Lookups, DeskItem, PatronRow } from './lookups';
import { forgiveLostCharges } from './lost';
import { exceptionOf } from '../domain/exception-kinds';
import { recordLocalExceptions } from './exceptions';
import { keepsLoanLink } from './privacy';
import { illOnCheckin, illOnCheckout, illRenewalCap } from './ill-circulation';
import { COMMAND } from '../domain/commands';

/** Overrides the station layer has already authorised (a supervisor's credentials, or the actor's own permission). */
export interface GrantedOverride {
  codes: RefusalCode[];
  grantedBy: string;
}

export interface CheckoutInput {
  patronBarcode: string;
  itemBarcode: string;
}

export interface LoanResult {
  loanId: string;
  itemId: string;
  itemBarcode: string;
  title: string;
  dueAt: number;
  renewals: number;
  /** How many more times the rule lets it be renewed (said with every loan and renewal). */
  renewalsLeft: number;
  /** The item was already on loan to this patron: the check-out became a renewal. */
  renewed: boolean;
  notices: Notice[];
}

export interface CheckinInput {
  itemBarcode: string;
  /** Book drop: the day the item was actually returned (branch-local date). */
  backdate?: string | null;
  /** The copy came back damaged: it goes to repair, and its borrower is charged if staff chose so. */
  damage?: DamageInput | null;
}

export interface DamageInput {
  /** What is wrong with it, for the mender and the loan's record. */
  note: string;
  /** No charge, the copy's replacement price, or an amount staff enter (minor units). */
  charge: 'none' | 'price' | 'amount';
  amount?: number | null;
}

/**
 * ill_ship_back: a borrowed item's temporary copy, back from its patron, to be shipped back to the
 * lender (docs/ill.md); repair: damaged at check-in (docs/circulation.md).
 */
export type CheckinAction = 'shelve' | 'transit' | 'hold_waiting' | 'hold_transit' | 'ill_ship_back' | 'repair';

export interface CheckinResult {
  itemId: string;
  itemBarcode: string;
  title: string;
  action: CheckinAction;
  wasOnLoan: boolean;
  /** Where to send it (transit, or a hold to fill at another branch). */
  destinationBranch: { id: string; name: string } | null;
  /** The hold it fills: enough for a hold slip, no more. */
  hold: { holdId: string; patronId: string; pickupBranchId: string; shelfExpiresOn: string | null } | null;
  fine: { feeId: string; amount: number; currency: string } | null;
  /** Checked in damaged: the note, and the charge to the borrower if there was one. */
  damage: { note: string; charge: { feeId: string; amount: number; currency: string } | null } | null;
  notices: Notice[];
}

export type RenewResult = LoanResult;

export interface RenewAllResult {
  renewed: LoanResult[];
  refused: { itemBarcode: string; title: string; refusals: Refusal[] }[];
}

export class CirculationService {
  private readonly find: Lookups;
  private readonly accrual: FineAccrual;

  constructor(private readonly ctx: ServiceContext) {
    this.find = ctx.circulation;
    this.accrual = new FineAccrual(ctx);
  }

  get lookups(): Lookups {
    return this.find;
  }

  // --- check out ------------------------------------------------------------------------------

  checkout(input: CheckoutInput, actor: Actor, override?: GrantedOverride): LoanResult {
    const cfg = this.ctx.config.get();
    const patronBarcode = this.requireBarcode('patron', input.patronBarcode, cfg);
    const itemBarcode = this.requireBarcode('item', input.itemBarcode, cfg);
    return runCommand(
      this.ctx,
      {
        command: COMMAND.circulation.checkout,
        input: { patronBarcode, itemBarcode },
        actor,
        summary: `checkout ${itemBarcode}`,
      },
      (tx) => {
        const patron = this.requirePatron(patronBarcode, actor);
        const item = this.requireItem(itemBarcode);
        const desk = this.deskBranch(cfg);
        const now = this.ctx.now();
        const today = localDateOf(now, desk.timeZone);
        const rule = this.ruleFor(cfg, desk.id, patron, item);
        const patronLoans = this.find.openLoanTypesOfPatron(patron.id);
        const openLoan = this.find.openLoanOfItem(item.id);
        // Read once: the rules look at them and lending the copy settles them.
        const holdsOnItem = this.find.activeHoldsOfItem(item.id);
        const holdsOnTitle = this.find.activeHoldsOfRecord(item.recordId);
        // The fines limit and the overdue block count what open loans have accrued, not only what was charged.
        const accrued = this.accrual.forPatron(patron, now);

        const { refusals, isRenewal } = checkoutEligibility({
          patron,
          item,
          itemType: cfg.itemTypes.get(item.itemTypeCode) ?? null,
          rule,
          limits: findPatronLimits(cfg.matrix.patronLimits, { branchId: desk.id, categoryCode: patron.categoryCode }),
          today,
          feesOwed: this.find.feesOwed(patron.id) + accrued.total,
          maxFeesOwed: cfg.settings.maxFeesOwed,
          mostDaysOverdue: accrued.mostDaysOverdue,
          overdueBlockDays: cfg.settings.overdueBlockDays,
          patronLoans,
          openLoanOfItem: openLoan ? { patronId: openLoan.patronId } : null,
          holdsOnItem: holdsOnItem
            .filter((h) => h.status !== 'pending' || h.itemLevel)
            .map((h) => ({ patronId: h.patronId, status: h.status })),
          pendingTitleHoldsAhead: this.titleHoldsNeedingThisCopy(item, holdsOnTitle, today),
        });
        if (isRenewal && openLoan) {
          // The copy is in this patron's hands already: the check-out renews it. A refused renewal
          // says so first (ALREADY_ON_LOAN_TO_PATRON), so the desk reads the renewal's reasons
          // for what they are; a supervisor overrides them all at once.
          const renewalRefusals = this.renewalRefusals(openLoan, patron, item, rule, cfg);
          this.enforce(
            tx,
            renewalRefusals.length > 0 ? [refusal('ALREADY_ON_LOAN_TO_PATRON'), ...renewalRefusals] : [],
            override,
          );
          return this.applyRenewal(tx, openLoan, patron, item, rule, cfg);
        }
        this.enforce(tx, refusals, override);
        return this.lend(tx, { patron, item, rule, cfg, desk, now, holdsOnItem, holdsOnTitle });
      },
    );
  }

  private lend(
    tx: Tx,
    c: {
      patron: Patron;
      item: DeskItem;
      rule: CirculationRule;
      cfg: LibraryConfig;
      desk: Branch;
      now: number;
      /** The copy's and its title's active holds, as read in this command. */
      holdsOnItem: Hold[];
      holdsOnTitle: Hold[];
    },
  ): LoanResult {
    const { patron, item, rule, cfg, desk, now, holdsOnItem, holdsOnTitle } = c;
    const computed = computeDueDate({ ...dueDateTerms(rule, cfg, desk, patron), start: now, length: rule.loanLength });
    const notices = [...computed.notices];
    // An interlibrary loan copy is due when the lender says (src/services/ill-circulation.ts).
    const illDueAt = illOnCheckout(this.ctx, tx, {
      itemId: item.id,
      patronId: patron.id,
      by: tx.actorStaffId,
      timeZone: desk.timeZone,
    });
    const dueAt = illDueAt ?? computed.dueAt;
    if (illDueAt !== null) notices.push({ code: 'ILL_DUE_SET_BY_LENDER' });
    const loan: Loan = {
      id: this.ctx.newId(),
      itemId: item.id,
      patronId: patron.id,
      branchId: desk.id,
      checkedOutAt: now,
      dueAt,
      renewals: 0,
      lastRenewedAt: null,
      returnedAt: null,
      returnBranchId: null,
    };
    tx.insert('loans', loan);
    const allNotices = [...notices];
    if (item.damaged) allNotices.push({ code: 'ITEM_DAMAGED' });
    if (item.status === 'lost' || item.status === 'missing' || item.status === 'claimed_returned') {
      allNotices.push({ code: 'LOST_ITEM_FOUND' });
    }
    tx.upsert('items', { ...item, status: 'on_loan', currentBranchId: desk.id, transitToBranchId: null });
    // Lending a copy fills this patron's hold on it (trapped for them, or on the title).
    const ownHold =
      holdsOnItem.find((h) => h.patronId === patron.id) ??
      holdsOnTitle.find((h) => h.patronId === patron.id && !h.itemLevel && h.itemId === null);
    if (ownHold) tx.upsert('holds', { ...ownHold, status: 'fulfilled', itemId: item.id });
    // An item lent from the hold shelf to someone else (an override) leaves its hold waiting for another copy.
    for (const other of holdsOnItem) {
      if (other.patronId !== patron.id && other.status !== 'pending') {
        tx.upsert('holds', {
          ...other,
          status: 'pending',
          itemId: other.itemLevel ? other.itemId : null,
          waitingSince: null,
          shelfExpiresOn: null,
        });
      }
    }
    return this.loanResult(loan, item, false, allNotices, rule);
  }

  // --- renew ----------------------------------------------------------------------------------

  renew(input: { itemBarcode: string }, actor: Actor, override?: GrantedOverride): RenewResult {
    const cfg = this.ctx.config.get();
    const itemBarcode = this.requireBarcode('item', input.itemBarcode, cfg);
    return runCommand(
      this.ctx,
      { command: COMMAND.circulation.renew, input: { itemBarcode }, actor, summary: `renew ${itemBarcode}` },
      (tx) => {
        const item = this.requireItem(itemBarcode);
        const loan = this.find.openLoanOfItem(item.id);
        if (!loan || !loan.patronId) throw refused([refusal('NOT_ON_LOAN')]);
        // The kiosk, and a self-check over SIP2 naming the card in front of it, renew only that patron's loans.
        if ((actor.kind === 'kiosk' || (actor.kind === 'sip' && actor.patronId)) && actor.patronId !== loan.patronId)
          throw refused([refusal('NOT_ON_LOAN')]);
        const patron = this.find.withBlocks(this.find.patronById(loan.patronId) as PatronRow);
        const rule = this.ruleFor(cfg, this.deskBranch(cfg).id, patron, item);
        return this.renewLoan(tx, loan, patron, item, rule, cfg, override);
      },
    );
  }

  renewAll(input: { patronBarcode: string }, actor: Actor): RenewAllResult {
    const cfg = this.ctx.config.get();
    const patronBarcode = this.requireBarcode('patron', input.patronBarcode, cfg);
    return runCommand(
      this.ctx,
      { command: COMMAND.circulation.renewAll, input: { patronBarcode }, actor, summary: 'renew all' },
      (tx) => {
        const patron = this.requirePatron(patronBarcode, actor);
        const result: RenewAllResult = { renewed: [], refused: [] };
        const desk = this.deskBranch(cfg);
        for (const loan of this.find.openLoansOfPatron(patron.id)) {
          const item = this.find.item(loan.itemId) as Item;
          const rule = this.ruleFor(cfg, desk.id, patron, item);
          const refusals = this.renewalRefusals(loan, patron, item, rule, cfg);
          if (refusals.length > 0) {
            result.refused.push({ itemBarcode: item.barcode, title: this.find.titleOf(item.recordId), refusals });
          } else {
            result.renewed.push(this.applyRenewal(tx, loan, patron, item, rule, cfg));
          }
        }
        return result;
      },
    );
  }

  private renewalRefusals(
    loan: Loan,
    patron: Patron,
    item: Item,
    rule: CirculationRule,
    cfg: LibraryConfig,
  ): Refusal[] {
    const desk = this.deskBranch(cfg);
    const now = this.ctx.now();
    const today = localDateOf(now, desk.timeZone);
    const holds = this.find
      .activeHoldsOfRecord(item.recordId)
      .filter((h) => h.patronId !== patron.id && (!h.itemLevel || h.itemId === item.id));
    const needed = holds.some((h) => isActiveHold(h, today) || (h.status !== 'pending' && h.itemId === item.id));
    const holdNeedsItem =
      needed &&
      !otherCopyCanFill({
        loanItemId: item.id,
        copies: this.find.copiesOfRecord(item.recordId),
        holds: holds.filter((h) => isActiveHold(h, today)),
      });
    const proposedDueAt = this.renewalDueDate(loan, patron, rule, cfg).dueAt;
    return renewalEligibility({
      patron,
      loan,
      rule,
      now,
      today,
      timeZone: desk.timeZone,
      holdNeedsItem,
      proposedDueAt,
    });
  }

  /** The due date a renewal of this loan now would give (the same rules decide it and whether it may happen). */
  private renewalDueDate(loan: Loan, patron: Patron, rule: CirculationRule, cfg: LibraryConfig) {
    return computeRenewalDueDate({
      ...dueDateTerms(rule, cfg, this.deskBranch(cfg), patron),
      currentDueAt: loan.dueAt,
      now: this.ctx.now(),
      length: rule.renewalPeriod ?? rule.loanLength,
    });
  }

  private renewLoan(
    tx: Tx,
    loan: Loan,
    patron: Patron,
    item: Item,
    rule: CirculationRule,
    cfg: LibraryConfig,
    override: GrantedOverride | undefined,
  ): LoanResult {
    this.enforce(tx, this.renewalRefusals(loan, patron, item, rule, cfg), override);
    return this.applyRenewal(tx, loan, patron, item, rule, cfg);
  }

  private applyRenewal(
    tx: Tx,
    loan: Loan,
    patron: Patron,
    item: DeskItem | Item,
    rule: CirculationRule,
    cfg: LibraryConfig,
  ): LoanResult {
    const now = this.ctx.now();
    const computed = this.renewalDueDate(loan, patron, rule, cfg);
    const notices = computed.notices;
    // A borrowed copy's loan never runs past the day it must go back to the lender.
    const cap = illRenewalCap(this.ctx, item.id, this.deskBranch(cfg).timeZone);
    const dueAt = cap !== null ? Math.min(cap, computed.dueAt) : computed.dueAt;
    const renewed: Loan = { ...loan, dueAt, renewals: loan.renewals + 1, lastRenewedAt: now };
    tx.upsert('loans', renewed);
    return this.loanResult(renewed, item, true, notices, rule);
  }

  private loanResult(
    loan: Loan,
    item: DeskItem | Item,
    renewed: boolean,
    notices: Notice[],
    rule: CirculationRule,
  ): LoanResult {
    return {
      loanId: loan.id,
      itemId: item.id,
      itemBarcode: item.barcode,
      title: 'title' in item ? item.title : this.find.titleOf(item.recordId),
      dueAt: loan.dueAt,
      renewals: loan.renewals,
      renewalsLeft: renewalsLeft(loan.renewals, rule),
      renewed,
      notices,
    };
  }

  // --- check in -------------------------------------------------------------------------------

  checkin(input: CheckinInput, actor: Actor): CheckinResult {
    const cfg = this.ctx.config.get();
    const itemBarcode = this.requireBarcode('item', input.itemBarcode, cfg);
    const desk = this.deskBranch(cfg);
    const now = this.ctx.now();
    if (input.backdate != null) {
      if (!isValidLocalDate(input.backdate)) throw invalid('The return date must be a date like 2026-11-20.');
      const today = localDateOf(now, desk.timeZone);
      if (input.backdate > today) throw refused([refusal('RETURN_DATE_IN_FUTURE', { date: input.backdate, today })]);
    }
    const damage = input.damage ? checkDamage(input.damage) : null;
    return runCommand(
      this.ctx,
      {
        command: COMMAND.circulation.checkin,
        input: { itemBarcode, backdate: input.backdate ?? null, ...(damage ? { damage } : {}) },
        actor,
        summary: `checkin ${itemBarcode}${damage ? ' damaged' : ''}`,
      },
      (tx) => {
        const item = this.requireItem(itemBarcode);
        const returnedAt = input.backdate ? Math.min(now, endOfLocalDay(input.backdate, desk.timeZone)) : now;
        const today = localDateOf(now, desk.timeZone);
        const notices: Notice[] = [];
        const loan = this.find.openLoanOfItem(item.id);
        if (loan && input.backdate) {
          // Returned before it was lent is impossible; accepted, it would wipe out a late fine.
          const checkedOutOn = localDateOf(loan.checkedOutAt, desk.timeZone);
          if (input.backdate < checkedOutOn)
            throw refused([refusal('RETURN_DATE_BEFORE_CHECKOUT', { date: input.backdate, checkedOutOn })]);
        }
        // The damage charge goes to the borrower of the loan closing now: read before the
        // return unlinks the loan from them (privacy), and refused before anything is written.
        const damageCharge = damage ? this.damageCharge(damage, loan, item) : null;
        let fine: CheckinResult['fine'] = null;
        if (loan)
          fine = this.closeLoan(
            tx,
            loan,
            item,
            returnedAt,
            cfg,
            desk,
            notices,
            damage ? { damagedAt: now, damageNote: damage.note } : null,
          );

        const { foundLost, newStatus } = checkinStatusChange(item);
        if (foundLost) notices.push({ code: 'LOST_ITEM_FOUND' });
        // A lost copy back over the desk: what is still owed on its lost charge is forgiven (lost.ts).
        if (foundLost && loan) forgiveLostCharges(this.ctx, tx, loan, actor);
        // Checked in is seen: a shelf reading's not-seen report counts it (src/services/shelf.ts).
        const { title: _title, ...itemRow } = item;
        let current: Item = { ...itemRow, status: newStatus, currentBranchId: desk.id, lastSeenAt: now };

        const base = {
          itemId: item.id,
          itemBarcode: item.barcode,
          title: item.title,
          wasOnLoan: !!loan,
          fine,
          damage: null,
          notices,
        };

        if (damage) {
          let charge: NonNullable<CheckinResult['damage']>['charge'] = null;
          if (damageCharge && loan) {
            const fee: Fee = {
              id: this.ctx.newId(),
              patronId: damageCharge.patronId,
              kind: 'damage',
              amount: damageCharge.amount,
              outstanding: damageCharge.amount,
              currency: cfg.settings.currency,
              loanId: loan.id,
              itemId: item.id,
              description: damage.note,
              createdAt: now,
            };
            tx.insert('fees', fee);
            charge = { feeId: fee.id, amount: fee.amount, currency: fee.currency };
            notices.push({ code: 'DAMAGE_CHARGED', params: { amount: fee.amount } });
          }
          // A damaged copy is not lent nor trapped until mended: a hold it was going to fill waits for another copy.
          for (const h of this.find.activeHoldsOfItem(item.id)) {
            if (h.status !== 'pending')
              tx.upsert('holds', {
                ...h,
                status: 'pending',
                itemId: h.itemLevel ? h.itemId : null,
                waitingSince: null,
                shelfExpiresOn: null,
              });
          }
          tx.upsert('items', { ...current, status: 'in_repair', damaged: true, transitToBranchId: null });
          notices.push({ code: 'ITEM_TO_REPAIR' });
          return {
            ...base,
            damage: { note: damage.note, charge },
            action: 'repair',
            destinationBranch: null,
            hold: null,
          };
        }
        // Still with the mender (checked in again before being marked repaired): it stays in repair.
        if (current.status === 'in_repair') {
          tx.upsert('items', { ...current, transitToBranchId: null });
          notices.push({ code: 'ITEM_TO_REPAIR' });
          return { ...base, action: 'repair', destinationBranch: null, hold: null };
        }

        // An item arriving from transit for a hold picked up here goes to the hold shelf.
        const trappedHold = this.find
          .activeHoldsOfItem(item.id)
          .find((h) => h.status === 'in_transit' || h.status === 'waiting');
        if (trappedHold) {
          if (trappedHold.pickupBranchId === desk.id) {
            const hold = this.putOnShelf(tx, trappedHold, item, desk, today, cfg);
            tx.upsert('items', { ...current, status: 'on_hold_shelf', transitToBranchId: null });
            notices.push({ code: 'HOLD_TRAPPED_WAITING' });
            return { ...base, action: 'hold_waiting', destinationBranch: null, hold: holdRef(hold) };
          }
          tx.upsert('items', { ...current, status: 'in_transit', transitToBranchId: trappedHold.pickupBranchId });
          const dest = this.branchRef(cfg, trappedHold.pickupBranchId);
          notices.push({ code: 'HOLD_TRAPPED_TRANSIT', params: { branch: dest.name } });
          return { ...base, action: 'hold_transit', destinationBranch: dest, hold: holdRef(trappedHold) };
        }

        // The oldest hold this copy can fill.
        const candidates = dedupe([
          ...this.find.activeHoldsOfItem(item.id),
          ...this.find.activeHoldsOfRecord(item.recordId),
        ]);
        const hold = canTrap(current) ? pickHoldToTrap({ item: current, holds: candidates, today }) : null;
        if (hold) {
          const pickupRule = this.ruleForHold(cfg, hold, current);
          const decision = trapDecision({
            hold,
            checkinBranchId: desk.id,
            today,
            pickupPeriodDays: pickupRule.pickupPeriodDays,
            closedDays: cfg.closedDays.get(desk.id) ?? [],
            skipClosedDays: cfg.settings.holdShelfSkipsClosedDays,
          });
          if (decision.status === 'waiting') {
            const trapped = {
              ...hold,
              status: 'waiting' as const,
              itemId: item.id,
              waitingSince: now,
              shelfExpiresOn: decision.shelfExpiresOn,
            };
            tx.upsert('holds', trapped);
            tx.upsert('items', { ...current, status: 'on_hold_shelf', transitToBranchId: null });
            notices.push({ code: 'HOLD_TRAPPED_WAITING' });
            return { ...base, action: 'hold_waiting', destinationBranch: null, hold: holdRef(trapped) };
          }
          const moving = { ...hold, status: 'in_transit' as const, itemId: item.id };
          tx.upsert('holds', moving);
          tx.upsert('items', { ...current, status: 'in_transit', transitToBranchId: decision.toBranchId });
          const dest = this.branchRef(cfg, decision.toBranchId);
          notices.push({ code: 'HOLD_TRAPPED_TRANSIT', params: { branch: dest.name } });
          return { ...base, action: 'hold_transit', destinationBranch: dest, hold: holdRef(moving) };
        }

        // No hold: a borrowed item's temporary copy goes back to the library that lent it.
        const ill = illOnCheckin(this.ctx, tx, item.id, actor.staffId);
        if (ill) {
          tx.upsert('items', { ...current, status: 'in_transit', notForLoan: true, transitToBranchId: null });
          notices.push({ code: 'ILL_SHIP_BACK', params: { library: ill.shipBackTo } });
          return { ...base, action: 'ill_ship_back', destinationBranch: null, hold: null };
        }

        // No hold: shelve here, or send it where the return policy says it belongs.
        if (current.status === 'in_transit' && current.transitToBranchId && current.transitToBranchId !== desk.id) {
          tx.upsert('items', current);
          const dest = this.branchRef(cfg, current.transitToBranchId);
          notices.push({ code: 'ROUTE_TO_BRANCH', params: { branch: dest.name } });
          return { ...base, action: 'transit', destinationBranch: dest, hold: null };
        }
        const route = routeReturnedItem({
          item,
          checkinBranchId: desk.id,
          returnPolicy: findReturnPolicy(cfg.matrix.branchItemPolicies, {
            branchId: desk.id,
            itemTypeCode: item.itemTypeCode,
          }),
        });
        if (route.inTransit) {
          current = { ...current, status: 'in_transit', transitToBranchId: route.destinationBranchId };
          tx.upsert('items', current);
          const dest = this.branchRef(cfg, route.destinationBranchId);
          notices.push({ code: 'ROUTE_TO_BRANCH', params: { branch: dest.name } });
          return { ...base, action: 'transit', destinationBranch: dest, hold: null };
        }
        if (current.status === 'in_transit' || current.status === 'on_loan' || current.status === 'on_hold_shelf') {
          current = { ...current, status: 'available' };
        }
        tx.upsert('items', { ...current, transitToBranchId: null });
        return { ...base, action: 'shelve', destinationBranch: null, hold: null };
      },
    );
  }

  /** Closes a loan: the fine it earned, and the privacy rule for the link to the patron. */
  private closeLoan(
    tx: Tx,
    loan: Loan,
    item: Item,
    returnedAt: number,
    cfg: LibraryConfig,
    desk: Branch,
    notices: Notice[],
    damage: { damagedAt: number; damageNote: string } | null,
  ): CheckinResult['fine'] {
    const patronRow = loan.patronId ? this.find.patronById(loan.patronId) : undefined;
    let fine: CheckinResult['fine'] = null;
    // A return before the check-out: this station's clock was set back since it lent the copy (a
    // fast clock corrected). Never stored as it is: the return is clamped to the check-out, the
    // desk is told now and the exception stays for staff to work through.
    if (returnedAt < loan.checkedOutAt) {
      const byMs = loan.checkedOutAt - returnedAt;
      returnedAt = loan.checkedOutAt;
      notices.push({ code: 'CLOCK_WENT_BACK', params: { seconds: Math.ceil(byMs / 1000) } });
      recordLocalExceptions(this.ctx, [
        {
          id: `clock:${loan.id}`,
          ...exceptionOf('time_went_back', { field: 'returnedAt', byMs, checkedOutAt: loan.checkedOutAt }),
          patronIds: loan.patronId ? [loan.patronId] : [],
          itemId: loan.itemId,
          entryIds: [],
          createdAt: this.ctx.now(),
        },
      ]);
    }
    if (patronRow && returnedAt > loan.dueAt) {
      const rule = this.ruleFor(cfg, loan.branchId, patronRow, item);
      // The fine the loan has accrued until its return (src/services/accrual.ts): the same terms
      // and computation the desk showed as accruing, now charged once as a fee.
      const { amount } = accruedFine(loan, fineTermsAt(cfg, desk, rule, item), returnedAt);
      if (amount > 0) {
        const fee: Fee = {
          id: this.ctx.newId(),
          patronId: patronRow.id,
          kind: 'overdue',
          amount,
          outstanding: amount,
          currency: cfg.settings.currency,
          loanId: loan.id,
          itemId: item.id,
          description: 'overdue',
          createdAt: returnedAt,
        };
        tx.upsert('fees', fee);
        fine = { feeId: fee.id, amount, currency: fee.currency };
        notices.push({ code: 'FINE_CHARGED', params: { amount } });
      }
    }
    // Privacy: without the patron's consent (or a library retention period) a returned loan
    // keeps no link to who borrowed it.
    const keepLink = keepsLoanLink(cfg.settings, patronRow);
    tx.upsert('loans', {
      ...loan,
      returnedAt,
      returnBranchId: desk.id,
      patronId: keepLink ? loan.patronId : null,
      ...(damage ?? {}),
    });
    return fine;
  }

  /** Who pays for the damage and how much, or null for no charge; a charge that cannot be made is refused. */
  private damageCharge(
    damage: DamageInput,
    loan: Loan | undefined,
    item: Item,
  ): { patronId: string; amount: number } | null {
    if (damage.charge === 'none') return null;
    // Only the loan closing now names its borrower: an earlier one has no link to them (privacy).
    if (!loan?.patronId)
      throw fieldInvalid(
        'damage.charge',
        'no_borrower',
        'This copy was not on loan, so there is no borrower to charge for the damage.',
      );
    if (!this.find.patronById(loan.patronId))
      throw fieldInvalid('damage.charge', 'no_borrower', 'The borrower of this copy is not known at this station.');
    const amount = damage.charge === 'price' ? item.replacementPrice : damage.amount;
    if (amount == null) {
      throw damage.charge === 'price'
        ? fieldInvalid('damage.amount', 'no_price', 'This copy has no replacement price: enter the amount to charge.')
        : fieldInvalid('damage.amount', 'required', 'Enter the amount to charge.');
    }
    if (!Number.isInteger(amount) || amount <= 0)
      throw fieldInvalid('damage.amount', 'amount', 'The charge must be more than nothing.');
    return { patronId: loan.patronId, amount };
  }

  private putOnShelf(tx: Tx, hold: Hold, item: Item, desk: Branch, today: string, cfg: LibraryConfig): Hold {
    const rule = this.ruleForHold(cfg, hold, item);
    const waiting: Hold = {
      ...hold,
      status: 'waiting',
      itemId: item.id,
      waitingSince: this.ctx.now(),
      shelfExpiresOn: shelfExpiry(
        today,
        rule.pickupPeriodDays,
        cfg.closedDays.get(desk.id) ?? [],
        cfg.settings.holdShelfSkipsClosedDays,
      ),
    };
    tx.upsert('holds', waiting);
    return waiting;
  }

  // --- shared pieces --------------------------------------------------------------------------

  /** Applies the refusals: throws unless every one is overridden by someone allowed to. */
  private enforce(tx: Tx, refusals: Refusal[], override: GrantedOverride | undefined): void {
    if (refusals.length === 0) return;
    const remaining = unoverridden(refusals, override?.codes ?? [], !!override);
    if (remaining.length > 0) throw refused(refusals);
    for (const r of refusals) tx.overrides.push({ code: r.code, grantedBy: (override as GrantedOverride).grantedBy });
  }

  private titleHoldsNeedingThisCopy(item: Item, holdsOnTitle: Hold[], today: string): { patronId: string }[] {
    const pending = holdsOnTitle.filter((h) => h.status === 'pending' && !h.itemLevel && isActiveHold(h, today));
    if (pending.length === 0) return [];
    const otherOnShelf = this.find
      .copiesOfRecord(item.recordId)
      .some((c) => c.id !== item.id && c.status === 'available' && !c.notForLoan);
    return otherOnShelf ? [] : pending.map((h) => ({ patronId: h.patronId }));
  }

  requireBarcode(kind: 'patron' | 'item', raw: string, cfg: LibraryConfig): string {
    const result = validateBarcode(cfg.settings.barcodes[kind], raw);
    if (!result.ok) throw refused([refusal('BARCODE_INVALID', { kind, reason: result.reason })]);
    return result.barcode;
  }

  requirePatron(barcode: string, actor: Actor): Patron & { pinHash: string | null } {
    const row = this.find.patronByCard(barcode);
    if (!row) throw refused([refusal('PATRON_NOT_FOUND', { barcode })]);
    if (actor.kind === 'kiosk' && actor.patronId !== row.id) {
      throw new ServiceError('FORBIDDEN', 'A kiosk session acts only for the patron who signed in.');
    }
    return this.find.withBlocks(row);
  }

  private requireItem(barcode: string): DeskItem {
    const item = this.find.deskItemByBarcode(barcode);
    if (!item) throw refused([refusal('ITEM_NOT_FOUND', { barcode })]);
    return item;
  }

  deskBranch(cfg: LibraryConfig): Branch {
    const branch = cfg.branches.get(this.ctx.identity().branchId);
    if (!branch) throw new ServiceError('NOT_CONFIGURED', 'The branch of this station is unknown.');
    return branch;
  }

  private branchRef(cfg: LibraryConfig, id: string): { id: string; name: string } {
    return { id, name: cfg.branches.get(id)?.name ?? id };
  }

  ruleFor(
    cfg: LibraryConfig,
    deskBranchId: string,
    patron: Pick<Patron, 'homeBranchId' | 'categoryCode'>,
    item: Item,
  ): CirculationRule {
    return circulationRuleFor(cfg, deskBranchId, patron, item);
  }

  private ruleForHold(cfg: LibraryConfig, hold: Hold, item: Item): CirculationRule {
    const patron = this.find.patronById(hold.patronId);
    return patron ? this.ruleFor(cfg, hold.pickupBranchId, patron, item) : DEFAULT_RULE;
  }
}

const fieldInvalid = (path: string, reason: string, message: string) => new InvalidFields([{ path, reason, message }]);

/** A damage note is required (the mender reads it); the amount only for an entered charge. */
function checkDamage(d: DamageInput): DamageInput {
  const note = (d.note ?? '').trim().replace(/\s+/g, ' ');
  if (!note) throw fieldInvalid('damage.note', 'required', 'Say what is damaged.');
  if (note.length > 500)
    throw fieldInvalid('damage.note', 'too_long', 'The damage note is too long (500 characters at most).');
  if (!['none', 'price', 'amount'].includes(d.charge))
    throw fieldInvalid('damage.charge', 'choice', 'Choose no charge, the replacement price or an amount.');
  return { note, charge: d.charge, amount: d.charge === 'amount' ? (d.amount ?? null) : null };
}

/** What a due date depends on besides its start and length: the rule, the branch's calendar and zone, the card. */
function dueDateTerms(rule: CirculationRule, cfg: LibraryConfig, desk: Branch, patron: Pick<Patron, 'cardExpiresOn'>) {
  return {
    unit: rule.loanUnit,
    timeZone: desk.timeZone,
    closedDays: cfg.closedDays.get(desk.id) ?? [],
    calendarMode: cfg.settings.calendarMode,
    hardDueDate: rule.hardDueDate,
    hardDueDateMode: rule.hardDueDateMode,
    cardExpiresOn: patron.cardExpiresOn,
    capAtCardExpiry: cfg.settings.capDueDateAtCardExpiry,
  };
}

function holdRef(h: Hold): CheckinResult['hold'] {
  return { holdId: h.id, patronId: h.patronId, pickupBranchId: h.pickupBranchId, shelfExpiresOn: h.shelfExpiresOn };
}

function dedupe(holds: Hold[]): Hold[] {
  const seen = new Set<string>();
  return holds.filter((h) => (seen.has(h.id) ? false : (seen.add(h.id), true)));
}

/** Only a copy that can go on a shelf can fill a hold: not a withdrawn or not-for-loan one. */
function canTrap(item: Item): boolean {
  return !item.notForLoan && item.status !== 'withdrawn' && item.status !== 'in_repair';
}
