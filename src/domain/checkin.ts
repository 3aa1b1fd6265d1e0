// What happens to a copy when it comes back over the desk.
import type { Id, Item, ItemStatus, ReturnPolicy } from './types';

/** Where a returned copy belongs, by the branch's return policy for its type. */
export function routeReturnedItem(ctx: { item: Item; checkinBranchId: Id; returnPolicy: ReturnPolicy }): {
  destinationBranchId: Id;
  inTransit: boolean;
} {
  const destination =
    ctx.returnPolicy === 'home_branch'
      ? ctx.item.homeBranchId
      : ctx.returnPolicy === 'holding_branch'
        ? ctx.item.currentBranchId
        : ctx.checkinBranchId;
  return { destinationBranchId: destination, inTransit: destination !== ctx.checkinBranchId };
}

/** A lost, missing or claimed-returned copy in hand has been found. */
export function checkinStatusChange(item: Item): { foundLost: boolean; newStatus: ItemStatus } {
  if (item.status === 'lost' || item.status === 'missing' || item.status === 'claimed_returned')
    return { foundLost: true, newStatus: 'available' };
  return { foundLost: false, newStatus: item.status };
}
