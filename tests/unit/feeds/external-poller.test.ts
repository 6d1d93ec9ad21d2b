/**
 * ExternalSignalPoller on a SimClock with a fake fetch: both sources fetched in parallel, per-request timeouts,
 * the last good value cached and served until it is older than maxAgeSec, failures and bad bodies counted and
 * published as `signal.external`, the poll schedule on the Clock.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ExternalSignalPoller, type FetchLike } from '../../../bot/feeds/external';
import { externalSignalsConfigSchema, type ExternalSignalsConfig } from '../../../lib/schemas/config';
import type { EventOf } from '../../../lib/schemas/events';

const NOW = 1_790_000_000_000;
const PCR_BODY = JSON.stringify({ result: [{ instrument_name: 'BTC-1JAN27-1-P', open_interest: 70_000 }, { instrument_name: 'BTC-1JAN27-1-C', open_interest: 50_000 }] });
const FNG_BODY = JSON.stringify({ data: [{ value: '80', timestamp: String(NOW / 1000) }] });

type Reply = string | number | 'hang' | Error;

function harness(cfg: Partial<ExternalSignalsConfig> = {}) {
  const clock = new SimClock(NOW);
  const bus = new EventBus({ clock });
  let config = externalSignalsConfigSchema.parse({ pollSec: 60, timeoutMs: 1_000, maxAgeSec: 300, ...cfg });
  const replies: { pcr: Reply[]; fng: Reply[] } = { pcr: [], fng: [] };
  const started: string[] = [];
  const fetch: FetchLike = (url, init) => {
    const which = url.includes('/fng/') ? 'fng' : 'pcr';
    started.push(which);
    const r = replies[which].shift() ?? (which === 'fng' ? FNG_BODY : PCR_BODY);
    if (r === 'hang') return new Promise((_res, rej) => init.signal.addEventListener('abort', () => rej(init.signal.reason as Error)));
    if (r instanceof Error) return Promise.reject(r);
    if (typeof r === 'number') return Promise.resolve(new Response('no', { status: r }));
    return Promise.resolve(new Response(r, { status: 200 }));
  };
  const poller = new ExternalSignalPoller({ clock, bus, config: () => config, urls: () => ({ deribit: 'http://d', fearGreed: 'http://f' }), fetch });
  const events: EventOf<'signal.external'>[] = [];
  bus.on('signal.external', (e) => events.push(e));
  return { clock, poller, replies, started, events, setConfig: (c: Partial<ExternalSignalsConfig>) => (config = { ...config, ...c }) };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('ExternalSignalPoller', () => {
  it('fetches both sources in parallel and serves their readings', async () => {
    const h = harness();
    h.replies.pcr.push('hang');
    h.replies.fng.push('hang');
    const p = h.poller.pollOnce();
    await settle();
    expect(h.started.sort()).toEqual(['fng', 'pcr']); // both requested before either answered
    h.clock.advanceBy(1_000);
    await p;
    const g = harness();
    await g.poller.pollOnce();
    const v = g.poller.values();
    expect(v.get('putCallRatio')).toMatchObject({ raw: 1.4, value: -1, direction: -1, strength: 1, confidence: 1, tsMs: NOW });
    expect(v.get('fearGreed')).toMatchObject({ raw: 80, direction: 1, confidence: 1, tsMs: NOW });
    expect(v.get('fearGreed')!.value).toBeCloseTo(0.6, 12);
    const evs = g.events.map((e) => [e.id, e.ok, e.source, e.failures, e.badBodies]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(evs).toEqual([
      ['fearGreed', true, 'alternative.me', 0, 0],
      ['putCallRatio', true, 'deribit', 0, 0],
    ]);
  });

  it('a request that hangs times out at timeoutMs and counts as a failure; the other source is unaffected', async () => {
    const h = harness({ timeoutMs: 800 });
    h.replies.pcr.push('hang');
    const p = h.poller.pollOnce();
    await settle();
    h.clock.advanceBy(799);
    await settle();
    expect(h.events.filter((e) => e.id === 'putCallRatio')).toHaveLength(0);
    h.clock.advanceBy(1);
    await p;
    expect(h.events.find((e) => e.id === 'putCallRatio')).toMatchObject({ ok: false, error: 'timed out after 800 ms', failures: 1, badBodies: 0 });
    expect(h.poller.values().has('putCallRatio')).toBe(false);
    expect(h.poller.values().has('fearGreed')).toBe(true);
    expect(h.poller.stats.putCallRatio).toMatchObject({ polls: 1, ok: 0, failures: 1 });
  });

  it('keeps serving the last good value through failures and bad bodies until it is older than maxAgeSec', async () => {
    const h = harness({ maxAgeSec: 120 });
    await h.poller.pollOnce();
    h.clock.advanceBy(60_000);
    h.replies.pcr.push(503);
    h.replies.fng.push('{"data":[]}');
    await h.poller.pollOnce();
    expect(h.poller.stats.putCallRatio).toMatchObject({ failures: 1, badBodies: 0 });
    expect(h.poller.stats.fearGreed).toMatchObject({ failures: 0, badBodies: 1 });
    const last = h.events.slice(-2);
    expect(last.map((e) => [e.ok, e.servedAgeMs])).toEqual([
      [false, 60_000],
      [false, 60_000],
    ]);
    expect(h.poller.values().get('putCallRatio')).toMatchObject({ tsMs: NOW, raw: 1.4 });
    h.clock.advanceBy(60_000); // exactly maxAgeSec old: still served
    expect(h.poller.values().get('putCallRatio')?.tsMs).toBe(NOW);
    h.clock.advanceBy(1); // one ms past: dropped
    expect(h.poller.values().size).toBe(0);
  });

  it('a good poll replaces the cached value; a hostile body never does', async () => {
    const h = harness();
    await h.poller.pollOnce();
    h.clock.advanceBy(10_000);
    h.replies.fng.push(JSON.stringify({ data: [{ value: '999', timestamp: '1' }] }));
    h.replies.pcr.push(JSON.stringify({ result: [{ instrument_name: 'BTC-1JAN27-1-P', open_interest: 10_000 }, { instrument_name: 'BTC-1JAN27-1-C', open_interest: 40_000 }] }));
    await h.poller.pollOnce();
    expect(h.poller.values().get('fearGreed')).toMatchObject({ raw: 80, tsMs: NOW });
    expect(h.poller.values().get('putCallRatio')).toMatchObject({ raw: 0.25, tsMs: NOW + 10_000, direction: 1 });
  });

  it('polls on the Clock: first at start, then every pollSec (hot), nothing when disabled or without URLs', async () => {
    const h = harness({ pollSec: 30 });
    await h.poller.start();
    h.clock.advanceBy(0);
    await settle();
    expect(h.started).toHaveLength(2);
    h.clock.advanceBy(29_999);
    await settle();
    expect(h.started).toHaveLength(2);
    h.clock.advanceBy(1);
    await settle();
    expect(h.started).toHaveLength(4);
    h.setConfig({ pollSec: 10 }); // takes effect from the next scheduling
    h.clock.advanceBy(30_000);
    await settle();
    expect(h.started).toHaveLength(6);
    h.clock.advanceBy(10_000);
    await settle();
    expect(h.started).toHaveLength(8);
    h.setConfig({ enabled: false });
    h.clock.advanceBy(10_000);
    await settle();
    expect(h.started).toHaveLength(8);
    expect(h.poller.values().size).toBe(0);
    await h.poller.stop();
    expect(h.clock.nextDueMs()).toBeUndefined(); // stop cancels the schedule
  });
});
