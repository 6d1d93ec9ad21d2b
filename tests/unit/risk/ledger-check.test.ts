/** The two-way ledger comparison: orders both ways, positions per token (to 1e-6 shares), bounded output. */
import { describe, expect, it } from 'vitest';
import { compareLedgers, createLedgerCheck } from '../../../bot/risk';

describe('compareLedgers', () => {
  it('agrees when both sides hold the same orders and shares', () => {
    expect(compareLedgers({ venueOrders: ['a', 'b'], ourOrders: ['b', 'a'], venuePositions: new Map([['t', 10]]), ourPositions: new Map([['t', 10.0000001]]) })).toEqual([]);
  });

  it('reports each way: venue-only orders, our-only orders, and share differences (missing = 0)', () => {
    const diffs = compareLedgers({
      venueOrders: ['0xforeign-order-id-long', 'same'], ourOrders: ['same', 'ours-only'],
      venuePositions: new Map([['tok-a', 5], ['tok-b', 2]]), ourPositions: new Map([['tok-a', 4]]),
    });
    expect(diffs).toEqual([
      'order 0xforeign-or… is open at the venue but not in our ledger',
      'order ours-only is open in our ledger but not at the venue',
      'token tok-a: we hold 4 shares, the venue 5',
      'token tok-b: we hold 0 shares, the venue 2',
    ]);
  });

  it('skips positions when the venue cannot say them, and bounds its output', () => {
    expect(compareLedgers({ venueOrders: [], ourOrders: [], ourPositions: new Map([['t', 1]]) })).toEqual([]);
    const many = compareLedgers({ venueOrders: Array.from({ length: 50 }, (_, i) => `v${i}`), ourOrders: [] }, 5);
    expect(many).toHaveLength(5);
    expect(many[4]).toBe('… and 46 more');
  });

  it('createLedgerCheck reads the venue first, then our side', async () => {
    const calls: string[] = [];
    const check = createLedgerCheck({
      venueOpenOrderIds: async () => (calls.push('venue'), ['x']),
      ourOpenOrderIds: () => (calls.push('ours'), ['x']),
    });
    expect(await check()).toEqual([]);
    expect(calls).toEqual(['venue', 'ours']);
  });
});
