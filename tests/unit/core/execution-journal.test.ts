import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalFill, JournalOrder } from '../../../bot/execution/journal';
import { openStore } from '../../../bot/store';

const order = (over: Partial<JournalOrder> = {}): JournalOrder => ({
  clientId: 'c1',
  clientTag: 'hammer|btc-updown-5m-1|entry|0',
  strategyId: 'hammer',
  windowSlug: 'btc-updown-5m-1',
  tokenId: '25070934348813416902477876984955073880416401960631253331845590271167412497744',
  side: 'BUY',
  price: 0.53,
  usd: 20,
  orderType: 'FOK',
  postOnly: false,
  state: 'created',
  filledSize: 0,
  createdMs: 1_000,
  updatedMs: 1_000,
  ...over,
});

const fill = (over: Partial<JournalFill> = {}): JournalFill => ({
  key: 't1:o1',
  tradeId: 't1',
  orderId: 'o1',
  clientId: 'c1',
  tokenId: '25070934348813416902477876984955073880416401960631253331845590271167412497744',
  windowSlug: 'btc-updown-5m-1',
  side: 'BUY',
  price: 0.53,
  size: 10,
  feeUsd: 0.01744,
  liquidity: 'taker',
  status: 'MATCHED',
  tsMs: 2_000,
  ...over,
});

describe('SqliteExecutionJournal', () => {
  it('upserts orders by client id and keeps big token ids as exact strings, across a reopen', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'journal-')), 'db.sqlite');
    const a = openStore(file);
    a.journal.recordOrder(order());
    a.journal.recordOrder(order({ state: 'submitted', orderId: '0xabc', salt: 123456789, updatedMs: 1_001 }));
    a.journal.recordOrder(order({ clientId: 'c2', clientTag: 't2', state: 'filled', filledSize: 10, updatedMs: 1_500 }));
    a.journal.recordFill(fill());
    a.journal.recordFill(fill({ status: 'CONFIRMED' }));
    a.close();
    const b = openStore(file);
    const orders = b.journal.loadOrders();
    expect(orders.map((o) => [o.clientId, o.state])).toEqual([
      ['c1', 'submitted'],
      ['c2', 'filled'],
    ]);
    expect(orders[0]).toMatchObject({ orderId: '0xabc', salt: 123456789, usd: 20, tokenId: order().tokenId });
    expect(orders[0]!.size).toBeUndefined();
    const fills = b.journal.loadFills();
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ status: 'CONFIRMED', feeUsd: 0.01744, liquidity: 'taker' });
    b.close();
  });
});
