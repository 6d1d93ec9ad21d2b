/** Fee formula reference points and the unified book's mirror views. */
import { describe, expect, it } from 'vitest';
import { UnifiedBook, unifiedPlacement } from '../../../bot/sim/book';
import { takerFeeMicro } from '../../../bot/sim/fees';
import { DEFAULT_FEES } from '../../../bot/sim/market';
import { crosses, planFills } from '../../../bot/sim/matching';

describe('taker fee', () => {
  it('matches the reference table (per share) and rounds to 5 decimals', () => {
    expect(takerFeeMicro(1_000_000, 500, DEFAULT_FEES)).toBe(17_500);
    expect(takerFeeMicro(1_000_000, 300, DEFAULT_FEES)).toBe(14_700);
    expect(takerFeeMicro(1_000_000, 900, DEFAULT_FEES)).toBe(6_300);
    expect(takerFeeMicro(1_000_000, 10, DEFAULT_FEES)).toBe(690);
    expect(takerFeeMicro(100_000_000, 500, DEFAULT_FEES)).toBe(1_750_000);
    expect(takerFeeMicro(10_000, 1, DEFAULT_FEES)).toBe(0);
    expect(takerFeeMicro(1_000_000, 500, { ...DEFAULT_FEES, exponent: 2 })).toBe(4_380);
  });
});

describe('unified book', () => {
  it('shows Down as the mirror of Up and matches BUY Up against BUY Down (a mint)', () => {
    const b = new UnifiedBook();
    const add = (id: string, outcome: 'Up' | 'Down', price: number, micro: number) => {
      const p = unifiedPlacement(outcome, 'BUY', price);
      b.add({ id, owner: 'x', account: 'x', outcome, side: 'BUY', bookSide: p.bookSide, priceMilli: p.priceMilli, remainingMicro: micro, originalMicro: micro, seq: b.nextSeq() });
    };
    add('a', 'Up', 490, 10_000_000);
    add('b', 'Down', 490, 20_000_000);
    add('c', 'Down', 490, 5_000_000);
    expect(b.view('Up')).toEqual({ bids: [[490, 10_000_000]], asks: [[510, 25_000_000]] });
    expect(b.view('Down')).toEqual({ bids: [[490, 25_000_000]], asks: [[510, 10_000_000]] });
    expect(crosses(b, 'bid', 510)).toBe(true);
    const plan = planFills(b, { outcome: 'Up', bookSide: 'bid', limitMilli: 510, sharesMicro: 22_000_000 });
    expect(plan.fills.map((f) => [f.resting.id, f.micro])).toEqual([
      ['b', 20_000_000],
      ['c', 2_000_000],
    ]);
    const budget = planFills(b, { outcome: 'Up', bookSide: 'bid', limitMilli: 510, sharesMicro: 1e12, budgetMicro: 5_100_000 });
    expect(budget.filledMicro).toBe(10_000_000);
  });
});
