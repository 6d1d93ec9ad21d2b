import { describe, expect, it } from 'vitest';
import { staleOrders } from '../../../../bot/strategies/two-sided-maker/stale';

const o = (clientTag: string, placedMs: number, status: 'pending' | 'working' | 'done' = 'working', cancelRequested = false) => ({ clientTag, placedMs, status, cancelRequested });

describe('stale-order cleanup (maxOrderAgeSec)', () => {
  it('selects working orders whose age reaches the limit, not younger ones', () => {
    const now = 1_000_000;
    const orders = [o('young', now - 299_999), o('at', now - 300_000), o('old', now - 400_000), o('pending', now - 300_000, 'pending')];
    expect(staleOrders(orders, now, 300).map((x) => x.clientTag)).toEqual(['at', 'old', 'pending']);
  });
  it('skips done orders and orders already being cancelled', () => {
    expect(staleOrders([o('d', 0, 'done'), o('c', 0, 'working', true)], 1_000_000, 300)).toEqual([]);
  });
});
