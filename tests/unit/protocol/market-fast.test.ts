/**
 * The market-socket fast paths (bot/protocol/market-fast.ts) against the schemas they shortcut: over real frames
 * (tests/fixtures/polymarket/real, the real Parquet sample's raw `book` messages), simulator frames, and hundreds of
 * mutations of them, every fast acceptance must equal the zod schema's output; the fast path must actually take the
 * ordinary frames (or it would be dead code); and parseMarketFrame's results are unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fastBook, fastPriceChange } from '../../../bot/protocol/market-fast';
import { BookEvent, PriceChangeEvent } from '../../../bot/protocol/market-ws';
import { readBookParquetDir } from '../../../bot/replay/parquet-books';

type Obj = Record<string, unknown>;

function realEvents(): Obj[] {
  const fx = JSON.parse(readFileSync('tests/fixtures/polymarket/real/market-ws.json', 'utf8')) as { frames: { raw: string }[] };
  const out: Obj[] = [];
  for (const f of fx.frames) {
    let v: unknown;
    try {
      v = JSON.parse(f.raw);
    } catch {
      continue;
    }
    for (const e of Array.isArray(v) ? v : [v]) if (e && typeof e === 'object') out.push(e as Obj);
  }
  return out;
}

const simPriceChange: Obj = {
  event_type: 'price_change', market: '0x' + 'ab'.repeat(32), timestamp: '1767225600123',
  price_changes: [
    { asset_id: '123', price: '0.43', size: '293.17', side: 'BUY', hash: '0'.repeat(40), best_bid: '0.43', best_ask: '0.44' },
    { asset_id: '456', price: '0.57', size: '0', side: 'sell', hash: '', best_bid: null, best_ask: '' },
  ],
};

/** Field mutations a hostile or sloppy venue could send. */
const VALUES: unknown[] = ['', null, undefined, 0, 1, -1, 1.5, 2 ** 53, NaN, '1.5', '0.5', 'abc', '01', '0x', 'buy', 'SELL', 'hold', true, [], {}, '１'];

function mutations(e: Obj): Obj[] {
  const out: Obj[] = [];
  for (const k of Object.keys(e)) {
    if (k === 'event_type') continue;
    for (const v of VALUES) out.push({ ...e, [k]: v });
    const { [k]: _drop, ...rest } = e;
    out.push(rest);
  }
  const nested = (key: 'bids' | 'asks' | 'price_changes') => {
    const list = e[key];
    if (!Array.isArray(list) || list.length === 0) return;
    const first = list[0] as Obj;
    for (const k of Object.keys(first)) for (const v of VALUES) out.push({ ...e, [key]: [{ ...first, [k]: v }, ...list.slice(1)] });
    out.push({ ...e, [key]: [null] }, { ...e, [key]: ['x'] }, { ...e, [key]: [[]] }, { ...e, extra: 1 });
  };
  nested('bids');
  nested('asks');
  nested('price_changes');
  return out;
}

function check(fast: (o: Obj) => unknown, schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }, corpus: Obj[]) {
  let accepted = 0;
  for (const v of corpus) {
    const f = fast(v);
    const z = schema.safeParse(v);
    if (f !== undefined) {
      accepted++;
      expect(z.success, JSON.stringify(v).slice(0, 300)).toBe(true);
      expect(f).toEqual(z.data);
    }
  }
  return accepted;
}

describe('market-socket fast paths equal the schemas', () => {
  it('book: real socket frames, the Parquet sample and their mutations', async () => {
    const sample = await readBookParquetDir('samples/polymarket-btc-5m-books/market_data', { maxRows: 300 });
    const books = [...realEvents().filter((e) => e.event_type === 'book'), ...sample.rows.map((r) => JSON.parse(r.raw) as Obj)];
    expect(books.length).toBeGreaterThan(300);
    // The ordinary frames take the fast path (the real sample's `book` messages all do).
    expect(check(fastBook, BookEvent, books)).toBe(books.length);
    const muts = books.slice(0, 20).flatMap(mutations);
    expect(muts.length).toBeGreaterThan(1_000);
    const accepted = check(fastBook, BookEvent, muts);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(muts.length);
  });

  it('price_change: real socket frames, a simulator frame and their mutations', () => {
    const changes = [...realEvents().filter((e) => e.event_type === 'price_change' && Array.isArray(e.price_changes)), simPriceChange];
    expect(changes.length).toBeGreaterThan(1);
    expect(check(fastPriceChange, PriceChangeEvent, changes)).toBe(changes.length);
    const muts = changes.flatMap(mutations);
    const accepted = check(fastPriceChange, PriceChangeEvent, muts);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(muts.length);
  });
});
