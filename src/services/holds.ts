// Holds: placing, cancelling, suspending, the queue of a title, the desk's pull list and the
// hold shelf. Trapping happens at check-in (circulation.ts).
import { holdPlacementEligibility, isShelfExpired, sortQueue } from '../domain/holds';
import { refusal, unoverridden } from '../domain/refusals';
import { DEFAULT_RULE, findPatronLimits, findRule, ruleBranchFor } from '../domain/rules';
import { isValidLocalDate, localDateOf } from '../domain/time';
import type { Hold, Item } from '../domain/types';
import { runCommand, type Actor, type Tx } from './command';
import type { ServiceContext } from './context';
import { invalid, notFound, refused, ServiceError } from './errors';
import type { Lookups } from './lookups';
import { holdShelf, holdsToPull, queuedHoldsOfRecord, waitingHoldsAt } from '../store/queries/holds';
import type { GrantedOverride } from './circulation';
import { COMMAND } from '../domain/commands';

export interface PlaceHoldInput {
  patronId: string;
  recordId: string;
  /** For an item-level hold on one copy. */
  itemId?: string | null;
  pickupBranchId?: string | null;
}

/** A hold cleared from the shelf: the copy to take off it, and whose it was. */
export interface ExpiredHold {
  holdId: string;
  itemBarcode: string | null;
  title: string;
  patronId: string;
  patronName: string;
}

export class HoldService {
  private readonly find: Lookups;

  constructor(private readonly ctx: ServiceContext) {
    this.find = ctx.circulation;
  }

  private today(): string {
    const cfg = this.ctx.config.get();
    const tz = cfg.branches.get(this.ctx.identity().branchId)?.timeZone ?? 'UTC';
    return localDateOf(this.ctx.now(), tz);
  }

  place(input: PlaceHoldInput, actor: Actor, override?: GrantedOverride): Hold {
    const cfg = this.ctx.config.get();
    return runCommand(this.ctx, { command: COMMAND.holds.place, input, actor, summary: 'place hold' }, (tx) => {
      const row = this.find.patronById(input.patronId);
      if (!row) throw refused([refusal('PATRON_NOT_FOUND')]);
      if (actor.kind === 'kiosk' && actor.patronId !== row.id) throw new ServiceError('FORBIDDEN', 'Not your card.');
      const patron = this.find.withBlocks(row);
      const copies = this.find.copiesOfRecord(input.recordId);
      if (copies.length === 0 && !this.ctx.rows.get('records', input.recordId)) throw notFound('record');
      const itemLevelItem = input.itemId ? (copies.find((c) => c.id === input.itemId) ?? null) : null;
      if (input.itemId && !itemLevelItem) throw notFound('item');
      const pickupBranchId = input.pickupBranchId ?? this.ctx.identity().branchId;
      if (!cfg.branches.has(pickupBranchId)) throw invalid('Unknown pickup branch.');
      const ruleFor = (item: Item) => {
        const branchId = ruleBranchFor(cfg.settings.circControl, {
          deskBranchId: pickupBranchId,
          patronHomeBranchId: patron.homeBranchId,
          itemHomeBranchId: item.homeBranchId,
        });
        return (
          findRule(cfg.matrix.rules, {
            branchId,
            categoryCode: patron.categoryCode,
            itemTypeCode: item.itemTypeCode,
          }) ?? DEFAULT_RULE
        );
      };
      const refusals = holdPlacementEligibility({
        patron,
        recordId: input.recordId,
        itemLevelItem,
        copies: copies.map((item) => ({ item, rule: ruleFor(item) })),
        patronHolds: this.find.activeHoldsOfPatron(patron.id),
        patronLoanItemIds: this.find.openLoansOfPatron(patron.id).map((l) => l.itemId),
        limits: findPatronLimits(cfg.matrix.patronLimits, {
          branchId: pickupBranchId,
          categoryCode: patron.categoryCode,
        }),
        today: this.today(),
      });
      if (refusals.length > 0) {
        if (unoverridden(refusals, override?.codes ?? [], !!override).length > 0) throw refused(refusals);
        for (const r of refusals) tx.overrides.push({ code: r.code, grantedBy: override!.grantedBy });
      }
      const hold: Hold = {
        id: this.ctx.newId(),
        patronId: patron.id,
        recordId: input.recordId,
        itemId: itemLevelItem?.id ?? null,
        itemLevel: !!itemLevelItem,
        pickupBranchId,
        placedAt: this.ctx.now(),
        status: 'pending',
        suspendedUntil: null,
        waitingSince: null,
        shelfExpiresOn: null,
      };
      return tx.upsert('holds', hold);
    });
  }

  private requireHold(holdId: string, actor: Actor): Hold {
    const hold = this.ctx.rows.get<Hold>('holds', holdId);
    if (!hold) throw notFound('hold');
    if (actor.kind === 'kiosk' && actor.patronId !== hold.patronId)
      throw new ServiceError('FORBIDDEN', 'Not your hold.');
    return hold;
  }

  /** Cancels a hold; a copy already trapped for it goes back to circulation (check it in again). */
  cancel(holdId: string, actor: Actor): Hold {
    return runCommand(
      this.ctx,
      { command: COMMAND.holds.cancel, input: { holdId }, actor, summary: 'cancel hold' },
      (tx) => {
        const hold = this.requireHold(holdId, actor);
        if (!['pending', 'in_transit', 'waiting'].includes(hold.status))
          throw invalid('That hold is no longer active.');
        this.releaseItem(tx, hold);
        return tx.upsert('holds', { ...hold, status: 'cancelled' });
      },
    );
  }

  /** Suspends a pending hold until a date (it is not filled before then), or resumes it (null). */
  suspend(holdId: string, until: string | null, actor: Actor): Hold {
    if (until !== null && !isValidLocalDate(until)) throw invalid('The date must look like 2026-12-31.');
    return runCommand(
      this.ctx,
      {
        command: COMMAND.holds.suspend,
        input: { holdId, until },
        actor,
        summary: until ? 'suspend hold' : 'resume hold',
      },
      (tx) => {
        const hold = this.requireHold(holdId, actor);
        if (hold.status !== 'pending') throw invalid('Only a hold still in the queue can be suspended.');
        return tx.upsert('holds', { ...hold, suspendedUntil: until });
      },
    );
  }

  /**
   * Clears the holds whose shelf time ran out on this station's hold shelf (holds picked up at
   * other branches are theirs to clear). Each copy becomes available where it is; the answer
   * names the copies, titles and patrons, so staff can take them off the shelf and check them in
   * (which routes each to the next hold, or back to its shelf).
   */
  clearExpired(actor: Actor): { expired: ExpiredHold[] } {
    const today = this.today();
    const branchId = this.ctx.identity().branchId;
    return runCommand(
      this.ctx,
      { command: COMMAND.holds.clearExpired, input: { today }, actor, summary: 'clear expired holds' },
      (tx) => {
        const waiting = waitingHoldsAt(this.ctx, branchId);
        const expired: ExpiredHold[] = [];
        for (const hold of waiting.filter((h) => isShelfExpired(h, today))) {
          const item = hold.itemId ? this.find.item(hold.itemId) : undefined;
          const patron = this.find.patronById(hold.patronId);
          this.releaseItem(tx, hold);
          tx.upsert('holds', { ...hold, status: 'expired' });
          expired.push({
            holdId: hold.id,
            itemBarcode: item?.barcode ?? null,
            title: this.find.titleOf(hold.recordId),
            patronId: hold.patronId,
            patronName: patron ? `${patron.firstName} ${patron.lastName}` : '',
          });
        }
        return { expired };
      },
    );
  }

  /**
   * A trapped copy no longer needed by this hold: it becomes available again where it is, and
   * staff check it in to route it to the next hold (the desk's "expired holds" list says so).
   */
  private releaseItem(tx: Tx, hold: Hold): void {
    if (!hold.itemId || hold.status === 'pending') return;
    const item = this.find.item(hold.itemId);
    if (item && (item.status === 'on_hold_shelf' || item.status === 'in_transit')) {
      tx.upsert('items', { ...item, status: 'available', transitToBranchId: null });
    }
  }

  queue(recordId: string): (Hold & { position: number; patronName: string })[] {
    const holds = sortQueue(queuedHoldsOfRecord(this.ctx, recordId));
    return holds.map((h, i) => {
      const p = this.find.patronById(h.patronId);
      return { ...h, position: i + 1, patronName: p ? `${p.firstName} ${p.lastName}` : '' };
    });
  }

  /** Holds to pull: pending holds with a copy on the shelf here. */
  toPull(): { holdId: string; title: string; callNumber: string | null; itemBarcode: string; placedAt: number }[] {
    const branchId = this.ctx.identity().branchId;
    return holdsToPull(this.ctx, branchId, this.today());
  }

  /** The hold shelf here: waiting holds, the expired ones first. */
  shelf(): {
    holdId: string;
    title: string;
    itemBarcode: string | null;
    patronName: string;
    shelfExpiresOn: string | null;
    expired: boolean;
  }[] {
    const today = this.today();
    const rows = holdShelf(this.ctx, this.ctx.identity().branchId);
    return rows.map((r) => ({ ...r, expired: r.shelfExpiresOn !== null && r.shelfExpiresOn < today }));
  }
}
