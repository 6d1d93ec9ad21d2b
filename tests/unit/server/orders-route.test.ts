/**
 * GET /api/orders body (lib/server/orders-route.ts): the read model over a real OrderTracker (orders, fills, positions,
 * settlements, the equity curve, PnL per strategy), limits, CSV escaping (parsed back with an independent RFC 4180
 * reader) and query validation, through withApi with a stand-in runtime holder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { OrderMarketInfo } from '../../../bot/core/orders';
import { DEFAULT_CRYPTO_FEES } from '../../../bot/core/fees';
import { MemoryJournal } from '../../../bot/execution/journal';
import { OrderTracker } from '../../../bot/execution/order-tracker';
import { ordersResponseSchema } from '../../../lib/schemas/orders';
import { csvCell, toCsv } from '../../../lib/server/orders-csv';
import { buildOrders, cumulate, ordersRoute, type OrdersInput } from '../../../lib/server/orders-route';
import { parseCsv } from '../../helpers/csv';

const W = 'btc-updown-5m-1791241200';
const W_END = 1791241200_000 + 300_000;
const mkt = (tokenId: string): OrderMarketInfo => ({
  windowSlug: W, conditionId: '0x' + 'cd'.repeat(32), tokenId, tickSize: '0.01', minOrderSize: 5, negRisk: false, version: 'v1', fees: DEFAULT_CRYPTO_FEES,
});

/** A tracker with: strategy a buys 10 UP @0.40 (fee 0.02) then sells 4 @0.50 (fee 0.01); strategy b buys 5 DOWN @0.60 (fee 0.03). */
function scenario() {
  const clock = new SimClock(1791241200_000);
  const bus = new EventBus({ clock });
  const tracker = new OrderTracker({ clock, bus, journal: new MemoryJournal(), tokenInfo: () => ({ windowSlug: W, fees: DEFAULT_CRYPTO_FEES }) });
  let n = 0;
  const trade = (strategy: string, token: string, side: 'BUY' | 'SELL', price: number, size: number, feeUsd: number) => {
    n++;
    clock.advanceTo(1791241200_000 + n * 10_000);
    const o = tracker.create({ clientTag: `${strategy}|${W}|entry|${n}`, strategyId: strategy, market: mkt(token), side, price, size, orderType: 'FOK', postOnly: false });
    tracker.markSubmitted(o.clientId, `0xo${n}`);
    tracker.onFill({ tradeId: `t${n}`, orderId: `0xo${n}`, tokenId: token, conditionId: '', side, price, size, feeUsd, liquidity: 'taker', status: 'MATCHED', tsMs: clock.nowMs() });
  };
  trade('a', 'UP', 'BUY', 0.4, 10, 0.02);
  trade('b', 'DOWN', 'BUY', 0.6, 5, 0.03);
  trade('a', 'UP', 'SELL', 0.5, 4, 0.01);
  return { clock, bus, tracker };
}

function input(t: ReturnType<typeof scenario>, bids: Record<string, number> = {}, winner?: string): OrdersInput {
  return {
    nowMs: t.clock.nowMs(), seq: t.bus.stats.lastSeq, source: 'session', orders: t.tracker.all(), fills: t.tracker.allFills(), positions: t.tracker.positions.all(),
    outcomeOf: (tok) => (tok === 'UP' ? 'up' : tok === 'DOWN' ? 'down' : null), bidOf: (tok) => bids[tok], winnerOf: () => winner,
  };
}

describe('orders read model', () => {
  it('before settlement: realised PnL is fees and the partial close; unrealised marks the open shares at the bid', () => {
    const s = scenario();
    const m = ordersResponseSchema.parse(buildOrders(input(s, { UP: 0.55, DOWN: 0.45 }), 100));
    expect(m.orders.map((o) => o.clientTag)).toEqual([`a|${W}|entry|3`, `b|${W}|entry|2`, `a|${W}|entry|1`]);
    expect(m.fills.map((f) => f.tradeId)).toEqual(['t3', 't2', 't1']);
    expect(m.fills[0]!.strategyId).toBe('a');
    // a: −0.02 (fee) + 4 × (0.50 − 0.40) − 0.01 = 0.37; b: −0.03.
    const a = m.strategies.find((x) => x.strategyId === 'a')!;
    const b = m.strategies.find((x) => x.strategyId === 'b')!;
    expect(a.realizedUsd).toBeCloseTo(0.37, 9);
    expect(b.realizedUsd).toBeCloseTo(-0.03, 9);
    expect(a.volumeUsd).toBeCloseTo(4 + 2, 9);
    expect(a.openCostUsd).toBeCloseTo(6 * 0.4, 9);
    expect(a.unrealizedUsd).toBeCloseTo(6 * 0.55 - 2.4, 9);
    expect(b.unrealizedUsd).toBeCloseTo(5 * 0.45 - 3, 9);
    expect(m.equity.realizedUsd).toBeCloseTo(0.34, 9);
    expect(m.equity.unrealizedUsd).toBeCloseTo(6 * 0.55 - 2.4 + (5 * 0.45 - 3), 9);
    expect(m.equity.points.map((p) => p.realizedUsd)).toEqual([-0.02, -0.05, 0.34]);
    expect(m.settlements).toEqual([]);
    expect(m.positions.every((p) => !p.settled)).toBe(true);
  });

  it('a missing book makes unrealised unknown rather than zero', () => {
    const m = buildOrders(input(scenario(), { UP: 0.55 }), 100);
    expect(m.equity.unrealizedUsd).toBeNull();
    expect(m.strategies.find((x) => x.strategyId === 'b')!.unrealizedUsd).toBeNull();
  });

  it('after settlement (UP won): payouts booked at the window end, the curve ends at the positions’ realised sum', () => {
    const s = scenario();
    s.tracker.settle(W, 'UP');
    const m = ordersResponseSchema.parse(buildOrders(input(s, {}, 'UP'), 100));
    // a: 0.37 + 6 shares × $1 − remaining cost 2.40 = 3.97; b: −0.03 − 3.00 = −3.03.
    expect(m.strategies.find((x) => x.strategyId === 'a')!.realizedUsd).toBeCloseTo(3.97, 9);
    expect(m.strategies.find((x) => x.strategyId === 'b')!.realizedUsd).toBeCloseTo(-3.03, 9);
    expect(m.equity.realizedUsd).toBeCloseTo(0.94, 9);
    const last = m.equity.points[m.equity.points.length - 1]!;
    expect(last).toEqual({ tsMs: W_END, realizedUsd: 0.94 });
    expect(m.settlements).toHaveLength(2);
    const up = m.settlements.find((x) => x.tokenId === 'UP')!;
    expect(up).toMatchObject({ won: true, payoutUsd: 6, settledMs: W_END, outcome: 'up' });
    expect(m.settlements.find((x) => x.tokenId === 'DOWN')!).toMatchObject({ won: false, payoutUsd: 0 });
    expect(m.equity.unrealizedUsd).toBe(0);
  });

  it('limits every list and reports the totals', () => {
    const m = buildOrders(input(scenario()), 2);
    expect(m.orders).toHaveLength(2);
    expect(m.ordersTotal).toBe(3);
    expect(m.fills).toHaveLength(2);
    expect(m.fillsTotal).toBe(3);
    expect(m.fills[0]!.tradeId).toBe('t3');
  });

  it('down-samples a long curve to the bound and keeps the final value', () => {
    const steps = Array.from({ length: 2_001 }, (_, i) => ({ tsMs: i * 1000, realizedUsd: 0.5 }));
    const pts = cumulate(steps, 500);
    expect(pts).toHaveLength(500);
    expect(pts[pts.length - 1]).toEqual({ tsMs: 2_000_000, realizedUsd: 1000.5 });
    expect(pts.every((p, i) => i === 0 || p.tsMs > pts[i - 1]!.tsMs)).toBe(true);
  });
});

describe('CSV', () => {
  it('escapes separators, quotes, line breaks and edge spaces so the text reads back unchanged', () => {
    const nasty = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\rhere', ' padded ', '', 'ünïcode'];
    const text = toCsv(['x'], nasty.map((s) => [s]));
    expect(parseCsv(text).slice(1).map((r) => r[0])).toEqual(nasty);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it('defuses formula-looking text but leaves numbers (negative ones too) alone', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@a')).toBe("'@a");
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(Number.NaN)).toBe('');
  });
});

describe('GET /api/orders through withApi', () => {
  const KEY = Symbol.for('updown.runtime.v1');
  const g = globalThis as Record<symbol, unknown>;
  const prev = g[KEY];
  afterEach(() => {
    g[KEY] = prev;
  });

  function install(s: ReturnType<typeof scenario>) {
    const stack = {
      tracker: s.tracker,
      catalog: { byToken: (t: string) => ({ upTokenId: 'UP', downTokenId: 'DOWN', tokenId: t }), get: () => undefined },
      marketFeed: { book: () => undefined },
    };
    g[KEY] = { env: {}, shuttingDown: false, runtime: { clock: s.clock, bus: s.bus, session: { stack }, store: { journal: new MemoryJournal() } } };
  }
  const get = (qs: string) => ordersRoute(new Request(`http://127.0.0.1/api/orders${qs}`));

  it('answers JSON that parses with the schema', async () => {
    install(scenario());
    const res = await get('?limit=2');
    expect(res.status).toBe(200);
    const m = ordersResponseSchema.parse(await res.json());
    expect(m.source).toBe('session');
    expect(m.orders).toHaveLength(2);
  });

  it('exports a table as a CSV attachment that reads back to the same rows', async () => {
    const s = scenario();
    install(s);
    const res = await get('?format=csv&table=fills');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="fills-[0-9T-]+Z\.csv"$/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toContain('trade_id');
    const col = rows[0]!.indexOf('trade_id');
    expect(rows.slice(1).map((r) => r[col])).toEqual(['t3', 't2', 't1']);
    const sizeCol = rows[0]!.indexOf('size');
    expect(rows.slice(1).map((r) => Number(r[sizeCol]))).toEqual([4, 5, 10]);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=abc', 'limit'],
    ['?limit=2.5', 'limit'],
    ['?limit=5000', 'limit'],
    ['?format=xml', 'format'],
    ['?format=csv', 'table'],
    ['?format=csv&table=trades', 'table'],
    ['?table=fills', 'table'],
    ['?since=1', 'since'],
  ])('refuses %s with a 400 naming %s', async (qs, field) => {
    install(scenario());
    const res = await get(qs);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; fields: { path: string }[] } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.fields.map((f) => f.path)).toContain(field);
    expect(body.error.message).toContain(field);
  });

  it('while stopped reads orders and fills from the journal', async () => {
    const s = scenario();
    const journal = new MemoryJournal();
    for (const o of s.tracker.all()) journal.recordOrder(o);
    for (const f of s.tracker.allFills()) journal.recordFill(f);
    g[KEY] = { env: {}, shuttingDown: false, runtime: { clock: s.clock, bus: s.bus, session: undefined, store: { journal } } };
    const m = ordersResponseSchema.parse(await (await get('')).json());
    expect(m.source).toBe('journal');
    expect(m.ordersTotal).toBe(3);
    expect(m.fillsTotal).toBe(3);
    expect(m.positions).toEqual([]);
  });
});
