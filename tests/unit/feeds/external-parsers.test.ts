/**
 * External signal source parsers and score mappings (bot/feeds/external): Deribit put/call ratio and Fear & Greed,
 * on good, bad and hostile bodies, at and around every breakpoint; the bounded fetch with a fake fetch on a SimClock.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { BadBodyError, fearGreedConfidence, fearGreedScore, fetchJson, parseFearGreed, parsePutCall, putCallScore, type FetchLike } from '../../../bot/feeds/external';
import { MAX_INSTRUMENTS } from '../../../bot/feeds/external/deribit-put-call';

const opt = (name: string, oi: unknown, volume: unknown = 1) => ({ instrument_name: name, open_interest: oi, volume, mark_price: 0.01 });
const deribit = (result: unknown[]) => ({ jsonrpc: '2.0', result, usIn: 1, usOut: 2, usDiff: 1, testnet: false });
const HOUR = 3_600_000;
const NOW = 1_790_000_000_000;
const fng = (value: unknown, tsSec: unknown = String(NOW / 1000)) => ({ name: 'Fear and Greed Index', data: [{ value, value_classification: 'x', timestamp: tsSec }], metadata: { error: null } });

describe('Deribit put/call ratio', () => {
  it('ratio = put open interest / call open interest; futures-like and odd names ignored', () => {
    const r = parsePutCall(deribit([opt('BTC-27DEC26-60000-P', 60_000), opt('BTC-27DEC26-60000-C', 40_000), opt('BTC-27DEC26-90000-C', 60_000), opt('BTC-PERPETUAL', 1e9), opt('BTC-27DEC26-1-X', 1e9)]));
    expect(r.id).toBe('putCallRatio');
    expect(r.raw).toBeCloseTo(0.6, 12);
    expect(r.confidence).toBe(1); // 160 000 ≥ 100 000 contracts
  });
  it('score: neutral 0.7 → 0 (direction 0), ×2 → −1, ÷2 → +1, clamped beyond; high put/call favours Down', () => {
    expect(putCallScore(0.7, 0.7, 2)).toBeCloseTo(0, 12);
    expect(putCallScore(1.4, 0.7, 2)).toBeCloseTo(-1, 12);
    expect(putCallScore(1.41, 0.7, 2)).toBe(-1);
    expect(putCallScore(1.39, 0.7, 2)).toBeGreaterThan(-1);
    expect(putCallScore(0.35, 0.7, 2)).toBeCloseTo(1, 12);
    expect(putCallScore(0.34, 0.7, 2)).toBe(1);
    expect(putCallScore(0.36, 0.7, 2)).toBeLessThan(1);
    expect(() => putCallScore(0, 0.7, 2)).toThrow(RangeError);
  });
  it('direction 0 inside the ±0.05 dead band, signed at and past it; strength = |score|', () => {
    // score = −ln(r / 0.7) / ln 2 ⇒ r = 0.7 · 2^(−score)
    const at = (score: number) => parsePutCall(deribit([opt('BTC-1JAN27-1-P', 100_000 * 0.7 * 2 ** -score), opt('BTC-1JAN27-1-C', 100_000)]));
    expect(at(0.049).direction).toBe(0);
    expect(at(0.051).direction).toBe(1);
    expect(at(-0.051)).toMatchObject({ direction: -1 });
    expect(at(-0.6).strength).toBeCloseTo(0.6, 9);
  });
  it('confidence = total open interest / 100 000, capped at 1', () => {
    const r = parsePutCall(deribit([opt('BTC-1JAN27-1-P', 20_000), opt('BTC-1JAN27-1-C', 30_000)]));
    expect(r.confidence).toBeCloseTo(0.5, 12);
    expect(parsePutCall(deribit([opt('BTC-1JAN27-1-P', 60_000), opt('BTC-1JAN27-1-C', 40_000)])).confidence).toBe(1);
  });
  it('null open interest counts as 0; no calls or no puts is a bad body', () => {
    expect(parsePutCall(deribit([opt('BTC-1JAN27-1-P', 10), opt('BTC-1JAN27-2-P', null), opt('BTC-1JAN27-1-C', 10)])).raw).toBe(1);
    expect(() => parsePutCall(deribit([opt('BTC-1JAN27-1-P', 10)]))).toThrow(/no call open interest/);
    expect(() => parsePutCall(deribit([opt('BTC-1JAN27-1-P', 0), opt('BTC-1JAN27-1-C', 10)]))).toThrow(/no put open interest/);
    expect(() => parsePutCall(deribit([]))).toThrow(BadBodyError);
  });
  it('hostile bodies are bad bodies, never scores', () => {
    const bad = [
      null,
      'text',
      { error: { code: 10_000, message: 'nope' } },
      deribit([opt('BTC-1JAN27-1-P', '100'), opt('BTC-1JAN27-1-C', 10)]),
      deribit([opt('BTC-1JAN27-1-P', -5), opt('BTC-1JAN27-1-C', 10)]),
      deribit([{ instrument_name: 'x'.repeat(65), open_interest: 1 }]),
      deribit(Array.from({ length: MAX_INSTRUMENTS + 1 }, () => opt('BTC-1JAN27-1-P', 1))),
      { result: { length: 1 } },
    ];
    for (const b of bad) expect(() => parsePutCall(b), JSON.stringify(b)?.slice(0, 80)).toThrow(BadBodyError);
  });
});

describe('Fear & Greed', () => {
  it('trend-following: 0 → −1, 50 → 0, 100 → +1; contrarian flips it', () => {
    expect(fearGreedScore(0, 'trend')).toBe(-1);
    expect(fearGreedScore(50, 'trend')).toBe(0);
    expect(fearGreedScore(100, 'trend')).toBe(1);
    expect(fearGreedScore(20, 'contrarian')).toBeCloseTo(0.6, 12);
  });
  it('direction 0 strictly inside 50 ± 5: 46 and 54 neutral, 45 Down and 55 Up', () => {
    expect(parseFearGreed(fng('46'), NOW).direction).toBe(0);
    expect(parseFearGreed(fng('54'), NOW).direction).toBe(0);
    expect(parseFearGreed(fng('45'), NOW)).toMatchObject({ direction: -1, raw: 45 });
    expect(parseFearGreed(fng('55'), NOW)).toMatchObject({ direction: 1, raw: 55 });
    expect(parseFearGreed(fng('55'), NOW).strength).toBeCloseTo(0.1, 12);
    expect(parseFearGreed(fng('45'), NOW, { mode: 'contrarian', neutralBand: 5 }).direction).toBe(1);
  });
  it('confidence 1 up to 24 h old, linear to 0 at 72 h; a future timestamp counts as fresh', () => {
    expect(fearGreedConfidence(24 * HOUR)).toBe(1);
    expect(fearGreedConfidence(24 * HOUR + 1)).toBeLessThan(1);
    expect(fearGreedConfidence(48 * HOUR)).toBeCloseTo(0.5, 12);
    expect(fearGreedConfidence(72 * HOUR)).toBe(0);
    expect(fearGreedConfidence(80 * HOUR)).toBe(0);
    expect(fearGreedConfidence(-HOUR)).toBe(1);
    expect(parseFearGreed(fng('80', String((NOW - 48 * HOUR) / 1000)), NOW).confidence).toBeCloseTo(0.5, 12);
  });
  it('accepts numbers as well as digit strings; the first entry is the latest', () => {
    const body = { data: [{ value: 70, timestamp: NOW / 1000 }, { value: '10', timestamp: String(NOW / 1000 - 86_400) }] };
    expect(parseFearGreed(body, NOW).raw).toBe(70);
  });
  it('hostile bodies are bad bodies', () => {
    const bad = [null, {}, { data: [] }, fng('101'), fng('-1'), fng('5.5'), fng('1e2'), fng(' 50'), fng('50', 'yesterday'), fng(50.5), { data: 'x' }];
    for (const b of bad) expect(() => parseFearGreed(b, NOW), JSON.stringify(b)).toThrow(BadBodyError);
  });
});

describe('fetchJson (bounded, with a timeout on the Clock)', () => {
  const clock = () => new SimClock(NOW);
  it('a good body is parsed JSON', async () => {
    const f: FetchLike = async () => new Response('{"a":1}', { status: 200 });
    expect(await fetchJson(f, 'http://x', 1000, clock())).toEqual({ ok: true, body: { a: 1 } });
  });
  it('HTTP errors and network errors are failures; non-JSON and oversize bodies are bad bodies', async () => {
    expect(await fetchJson(async () => new Response('busy', { status: 503 }), 'http://x', 1000, clock())).toMatchObject({ ok: false, kind: 'failure', error: 'HTTP 503' });
    expect(await fetchJson(async () => Promise.reject(new TypeError('fetch failed')), 'http://x', 1000, clock())).toMatchObject({ ok: false, kind: 'failure' });
    expect(await fetchJson(async () => new Response('<html>', { status: 200 }), 'http://x', 1000, clock())).toMatchObject({ ok: false, kind: 'bad-body' });
    expect(await fetchJson(async () => new Response('"' + 'x'.repeat(100) + '"', { status: 200 }), 'http://x', 1000, clock(), 100)).toMatchObject({ ok: false, kind: 'bad-body', error: 'body over 100 bytes' });
    expect(await fetchJson(async () => new Response('"' + 'x'.repeat(97) + '"', { status: 200 }), 'http://x', 1000, clock(), 100)).toMatchObject({ ok: true });
  });
  it('times out on the clock: aborts at timeoutMs, not a millisecond earlier', async () => {
    const c = clock();
    let aborted = false;
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal.addEventListener('abort', () => {
          aborted = true;
          reject(init.signal.reason as Error);
        });
      });
    const p = fetchJson(hang, 'http://x', 500, c);
    c.advanceBy(499);
    await Promise.resolve();
    expect(aborted).toBe(false);
    c.advanceBy(1);
    expect(await p).toEqual({ ok: false, kind: 'failure', error: 'timed out after 500 ms' });
    expect(aborted).toBe(true);
    expect(c.nextDueMs()).toBeUndefined(); // the timeout timer is gone
  });
});
