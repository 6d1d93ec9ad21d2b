/**
 * Position of one time-bucket round, derived from the strategy's own orders (average-cost accounting).
 *
 * position = Σ bought − Σ sold. With ENABLE_DUST_MERGE the whole position is managed and its average price
 * is the weighted average of every buy (dust from a stop-out is merged into a re-entry). Without it, the dust
 * left when a re-entry starts is carried apart (`round.dust`, held to settlement) and the managed part is
 * priced from the current generation's buys only.
 */
import type { OwnOrder } from '../common/own-orders';

export interface RoundPosition {
  readonly position: number;
  readonly managed: number;
  readonly avg: number;
}

export function positionOf(
  orders: readonly OwnOrder[],
  round: { readonly dust: number; readonly generation: number; readonly genOf: ReadonlyMap<string, number> },
  merge: boolean,
): RoundPosition {
  let bought = 0;
  let cost = 0;
  let sold = 0;
  let genBought = 0;
  let genCost = 0;
  for (const o of orders) {
    for (const f of o.fills) {
      if (o.side === 'BUY') {
        bought += f.size;
        cost += f.size * f.price;
        if ((round.genOf.get(o.clientTag) ?? 0) === round.generation) {
          genBought += f.size;
          genCost += f.size * f.price;
        }
      } else sold += f.size;
    }
  }
  const position = Math.max(0, bought - sold);
  if (merge || round.generation === 0) {
    return { position, managed: position, avg: bought > 0 ? cost / bought : 0 };
  }
  const managed = Math.max(0, position - round.dust);
  return { position, managed, avg: genBought > 0 ? genCost / genBought : bought > 0 ? cost / bought : 0 };
}
