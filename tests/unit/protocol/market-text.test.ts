/**
 * The market socket's text fast path (bot/protocol/market-text.ts) against the parse path it shortcuts
 * (parseMarketFrameSlow: JSON.parse, the market-fast.ts fast paths, then the zod schemas). Corpus: the frames of a
 * few simulated minutes (the simulator's own socket handlers), the real captures in tests/fixtures/polymarket/real,
 * the real Parquet sample's raw `book` messages, and thousands of mutations of them, both of values (what a sloppy
 * venue could send) and of the text itself (whitespace, key order, repeated keys, escapes, number forms, arrays,
 * trailing bytes). Whenever the text path returns an event, the parse path must return exactly that one event and
 * nothing dropped, key order and explicitly-absent keys included; and it must take the ordinary frames (or it would
 * be dead code).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarketFrameSlow } from '../../../bot/protocol/market-ws';
import { bookNumbers, fastBookText, fastMarketText, parseMarketFrame } from '../../../bot/protocol/market-text';
import { decimalNumber } from '../../../bot/protocol/decimal';
import { readBookParquetDir } from '../../../bot/replay/parquet-books';
import { openRecording } from '../../../bot/replay/recording-reader';
import { generateSynthetic } from '../../../bot/replay/synth';

type Obj = Record<string, unknown>;

/** A value with its key order and its undefined-valued keys made visible (toEqual ignores both). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.keys(v).map((k) => [k, (v as Obj)[k] === undefined ? '<undefined>' : shape((v as Obj)[k])]);
  return v;
}

let tmp: string;
const simTexts: string[] = [];
let sampleTexts: string[] = [];
let realTexts: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'market-text-'));
  await generateSynthetic({ hours: 0.1, seed: 'market-text', dir: tmp, spotTicksPerSec: 1 });
  const src = await openRecording(tmp);
  for await (const chunk of src.frames()) for (const f of chunk) if (f.source === 'clob-market') simTexts.push(f.raw);
  const sample = await readBookParquetDir('samples/polymarket-btc-5m-books/market_data', { maxRows: 400 });
  sampleTexts = sample.rows.map((r) => r.raw);
  const fx = JSON.parse(readFileSync('tests/fixtures/polymarket/real/market-ws.json', 'utf8')) as { frames: { raw: string }[] };
  realTexts = fx.frames.map((f) => f.raw);
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The numbers fastBookText left in bookNumbers, copied out. */
function numbersRead(): { bids: [number, number][]; asks: [number, number][] } {
  const n = bookNumbers;
  const side = (prices: number[], sizes: number[], k: number) => Array.from({ length: k }, (_, i): [number, number] => [prices[i]!, sizes[i]!]);
  return { bids: side(n.bidPrices, n.bidSizes, n.bids), asks: side(n.askPrices, n.askSizes, n.asks) };
}

/**
 * Checks every text; returns how many the text path took. The numeric book path (fastBookText, the market feed's) takes
 * exactly the frames the text path reads as a book: its head is that event without the level lists, and its numbers
 * are the level strings as decimalNumber (OrderBook's reading) reads them.
 */
function check(texts: readonly string[]): number {
  let taken = 0;
  for (const t of texts) {
    const head = fastBookText(t.trim());
    const numbers = head === undefined ? undefined : numbersRead();
    const fast = fastMarketText(t.trim());
    if (fast?.event_type === 'book') {
      expect(head, t.slice(0, 300)).toBeDefined();
      const { bids, asks, ...rest } = fast;
      expect(shape(head), t.slice(0, 300)).toEqual(shape(rest));
      const asNumbers = (ls: { price: string; size: string }[]) => ls.map((l): [number, number] => [decimalNumber(l.price), decimalNumber(l.size)]);
      expect(numbers, t.slice(0, 300)).toEqual({ bids: asNumbers(bids), asks: asNumbers(asks) });
    } else expect(head, t.slice(0, 300)).toBeUndefined();
    if (fast === undefined) continue;
    taken++;
    const ref = parseMarketFrameSlow(t);
    expect(ref.kind, t.slice(0, 300)).toBe('events');
    if (ref.kind !== 'events') continue;
    expect(ref.dropped, t.slice(0, 300)).toEqual([]);
    expect(ref.unknownTypes).toEqual([]);
    expect(ref.events.length, t.slice(0, 300)).toBe(1);
    expect(shape(fast), t.slice(0, 300)).toEqual(shape(ref.events[0]));
    // parseMarketFrame (with the text path) gives the same result as the parse path.
    expect(shape(parseMarketFrame(t))).toEqual(shape(ref));
  }
  return taken;
}

const VALUES: unknown[] = ['', null, 0, 1, -1, 1.5, 2 ** 53, 1e21, '1.5', '0.5', '1', 'abc', '01', '0x', '0xZZ', 'buy', 'Sell', 'hold', true, false, [], {}, '１', 'a"b', 'a\\b', '\u0001', 'é'];

/** Optional keys an event may carry that the corpus frames may not: mutated in too. */
const OPTIONAL_KEYS: Record<string, string[]> = {
  book: ['timestamp', 'hash', 'tick_size', 'min_order_size', 'neg_risk', 'last_trade_price', 'version'],
  price_change: ['timestamp'],
  best_bid_ask: ['best_bid', 'best_ask', 'spread', 'timestamp'],
  last_trade_price: ['size', 'fee_rate_bps', 'timestamp', 'transaction_hash'],
};

function valueMutations(e: Obj): Obj[] {
  const out: Obj[] = [];
  for (const k of OPTIONAL_KEYS[String(e.event_type)] ?? []) for (const v of VALUES) out.push({ ...e, [k]: v });
  for (const k of Object.keys(e)) {
    for (const v of VALUES) out.push({ ...e, [k]: v });
    const { [k]: _drop, ...rest } = e;
    out.push(rest);
  }
  for (const key of ['bids', 'asks', 'price_changes'] as const) {
    const list = e[key];
    if (!Array.isArray(list) || list.length === 0) continue;
    const first = list[0] as Obj;
    for (const k of Object.keys(first)) {
      for (const v of VALUES) out.push({ ...e, [key]: [{ ...first, [k]: v }, ...list.slice(1)] });
      const { [k]: _drop, ...rest } = first;
      out.push({ ...e, [key]: [rest, ...list.slice(1)] });
    }
    out.push({ ...e, [key]: [] }, { ...e, [key]: [null] }, { ...e, [key]: ['x'] }, { ...e, [key]: [[]] }, { ...e, [key]: [{ ...first, extra: 1 }] });
    out.push({ ...e, [key]: [Object.fromEntries(Object.entries(first).reverse())] });
  }
  out.push({ ...e, extra: 1 }, Object.fromEntries(Object.entries(e).reverse()));
  return out;
}

function textMutations(t: string): string[] {
  const out = [` ${t}`, `${t} `, `${t}\n`, `[${t}]`, `${t}x`, `${t}}`, t.replace(':', ': '), t.replace(',', ' ,'), t.slice(0, -1), t.slice(1)];
  out.push(t.replace(/"timestamp":"(\d+)"/, '"timestamp":$1'), t.replace(/"timestamp":"(\d+)"/, '"timestamp":$1.0'), t.replace(/"timestamp":"(\d+)"/, '"timestamp":$1e0'));
  out.push(t.replace(/"timestamp":"(\d+)"/, '"timestamp":-$1'), t.replace(/"timestamp":"(\d+)"/, '"timestamp":"$1","timestamp":"1"'));
  out.push(t.replace('"market":"', '"market":"0x12","market":"'), t.replace(/"price":"0\./, '"price":"\\u0030.'), t.replace('"event_type"', '"event\\u005ftype"'));
  out.push(t.replace('":', '"='), t.replace(/":(?=[^:]*$)/, '"='), t.replace('","', '" ,"'));
  out.push(t.replace('"size":"', '"size":'), t.replace(/"side":"(BUY|SELL)"/, '"side":"$1 "'), t.replace('}', ',"x":1}'), t.replace('{', '{"x":{"event_type":"book"},'));
  return out;
}

describe('market text fast path equals the parse path', () => {
  it('simulator frames: every single-event book, price_change, best_bid_ask and last_trade_price takes it', () => {
    const single = simTexts.filter((t) => /^\{"event_type":"(book|price_change|best_bid_ask|last_trade_price)"/.test(t));
    expect(single.length).toBeGreaterThan(500);
    for (const type of ['book', 'price_change', 'best_bid_ask', 'last_trade_price']) expect(single.some((t) => t.includes(`"event_type":"${type}"`)), type).toBe(true);
    expect(check(single)).toBe(single.length);
    // The rest (arrays, other types) leaves the text path and parses as before.
    check(simTexts);
  });

  it('real captures and the real sample: the sample books (their own key order) take it', () => {
    expect(check(sampleTexts)).toBe(sampleTexts.length);
    check(realTexts);
  });

  it('value mutations of real and simulated events', () => {
    const events: Obj[] = [];
    const pick = (texts: string[], n: number) => {
      for (const type of ['book', 'price_change', 'best_bid_ask', 'last_trade_price']) {
        let k = 0;
        for (const t of texts) {
          if (k >= n) break;
          let v: unknown;
          try {
            v = JSON.parse(t);
          } catch {
            continue;
          }
          for (const e of Array.isArray(v) ? v : [v]) if (e && typeof e === 'object' && (e as Obj).event_type === type && k++ < n) events.push(e as Obj);
        }
      }
    };
    pick(simTexts, 3);
    pick(sampleTexts, 2);
    pick(realTexts, 3);
    const texts = events.flatMap(valueMutations).map((e) => JSON.stringify(e));
    expect(texts.length).toBeGreaterThan(2_000);
    const taken = check(texts);
    expect(taken).toBeGreaterThan(100);
    expect(taken).toBeLessThan(texts.length);
  });

  it('text mutations: whitespace, arrays, repeated keys, escapes, number forms, trailing bytes', () => {
    const base = [...simTexts.filter((t) => t.startsWith('{')).slice(0, 200), ...sampleTexts.slice(0, 20), ...realTexts];
    const texts = base.flatMap(textMutations);
    check(texts);
    // A repeated key, an escape, or an array never takes the text path (the parse path decides those).
    for (const t of base) {
      expect(fastMarketText(`[${t}]`)).toBeUndefined();
      expect(fastMarketText(t.replace('"market":"', '"market":"0x12","market":"'))).toBeUndefined();
    }
  });
});
