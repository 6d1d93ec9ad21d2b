/**
 * External signal readings in record / replay: a poller with a recorder tap emits each good reading as an 'external'
 * frame; a replay's poller serves exactly what the live one served; runReplay routes recorded 'external' frames into
 * the map strategies read as ctx.external at the frame's receive time (absent just before, present just after,
 * dropped after maxAgeSec as live); bad recorded frames are counted, published as not ok and skipped.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ExternalSignalPoller, type FetchLike } from '../../../bot/feeds/external';
import { parseFrameLine } from '../../../bot/replay/recording-reader';
import { manifestSchema, memorySource, type RecordedFrame } from '../../../bot/replay/session';
import { runReplay } from '../../../bot/replay-run';
import { defaultRuntimeConfig, externalSignalsConfigSchema } from '../../../lib/schemas/config';
import type { EventOf } from '../../../lib/schemas/events';

const START_SEC = 1_790_000_100;
const W0 = START_SEC * 1000;
const W1 = W0 + 300_000;

const reading = (id: 'putCallRatio' | 'fearGreed', tsMs: number, raw: number, score: number) =>
  JSON.stringify({ v: 1, id, source: 'simulator', raw, score, direction: Math.sign(score), strength: Math.abs(score), confidence: 0.5, tsMs });

describe('external signal readings: record', () => {
  it('each good poll is tapped as a compact frame that a replay poller serves identically', async () => {
    const clock = new SimClock(W0);
    const config = externalSignalsConfigSchema.parse({});
    const fetch: FetchLike = (url) =>
      Promise.resolve(
        url.includes('/fng/')
          ? new Response(JSON.stringify({ data: [{ value: '30', timestamp: String(W0 / 1000 - 3_600) }] }))
          : new Response(JSON.stringify({ result: [{ instrument_name: 'BTC-1JAN27-1-P', open_interest: 40_000 }, { instrument_name: 'BTC-1JAN27-1-C', open_interest: 50_000 }] })),
      );
    const taps: { ts: number; text: string }[] = [];
    const live = new ExternalSignalPoller({ clock, bus: new EventBus({ clock }), config: () => config, urls: () => ({ deribit: 'http://d', fearGreed: 'http://f', label: 'simulator' }), fetch, onRecord: (ts, text) => taps.push({ ts, text }) });
    await live.pollOnce();
    expect(taps.map((t) => t.ts)).toEqual([W0, W0]);
    expect(Math.max(...taps.map((t) => t.text.length))).toBeLessThan(300);
    // The tapped line goes through the recording reader as an 'external' frame.
    const line = JSON.stringify({ source: 'external', tsRecvMs: W0, raw: taps[0]!.text });
    expect(parseFrameLine(line)).toEqual({ source: 'external', tsRecvMs: W0, raw: taps[0]!.text });

    const replayClock = new SimClock(W0);
    const replay = new ExternalSignalPoller({ clock: replayClock, bus: new EventBus({ clock: replayClock }), config: () => config, urls: () => undefined, polling: false });
    for (const t of taps) expect(replay.ingestRecorded(t.ts, t.text)).toBe(true);
    expect(new Map(replay.values())).toEqual(new Map(live.values()));
    expect(live.values().size).toBe(2);
  });
});

describe('external signal readings: replay through runReplay', () => {
  it('serves each reading from its receive time, drops it after maxAgeSec, and counts and skips bad frames', async () => {
    const frames: RecordedFrame[] = [
      { source: 'external', tsRecvMs: W0 + 10_000, raw: reading('putCallRatio', W0 + 10_000, 0.9, -0.3) },
      { source: 'external', tsRecvMs: W0 + 20_000, raw: reading('fearGreed', W0 + 20_000, 70, 0.4) },
      { source: 'external', tsRecvMs: W0 + 30_000, raw: '{"v":1,"id":"putCallRatio"' },
      { source: 'external', tsRecvMs: W0 + 31_000, raw: reading('putCallRatio', W0 + 31_000, 0.9, 5) },
      { source: 'external', tsRecvMs: W0 + 40_000, raw: reading('putCallRatio', W0 + 40_000, 0.5, 0.6) },
    ];
    const manifest = manifestSchema.parse({
      version: 1, id: 'external-replay-test', format: 'recording', createdAtMs: W0, startMs: W0 + 10_000, endMs: W1, frames: frames.length, bytes: 0,
      sources: ['external'], segments: [],
      markets: [{ slug: `btc-updown-5m-${START_SEC}`, kind: '5m', startMs: W0, endMs: W1, conditionId: 'c1', upTokenId: 'u1', downTokenId: 'd1' }],
      capabilities: { books: false, reference: false, spot: false, resolutions: 'none' },
    });
    const samples = new Map<number, { pcr?: { value: number; tsMs: number; raw: number }; fng?: { value: number; tsMs: number } }>();
    const events: EventOf<'signal.external'>[] = [];
    // maxAgeSec 300 (default): the first put/call reading is replaced at +40 s; fear & greed expires at +320 s.
    const at = [9_999, 10_000, 10_001, 30_001, 31_001, 39_999, 40_001, 320_000, 320_001];
    const result = await runReplay({
      source: memorySource(manifest, frames),
      config: defaultRuntimeConfig(),
      onRuntime: (rt) => {
        rt.bus.on('signal.external', (e) => events.push(e));
        for (const dt of at) {
          rt.clock.after(W0 + dt - rt.clock.nowMs(), 'test.sample', () => {
            const v = rt.external!.values();
            const p = v.get('putCallRatio');
            const f = v.get('fearGreed');
            samples.set(dt, { ...(p ? { pcr: { value: p.value, tsMs: p.tsMs, raw: p.raw } } : {}), ...(f ? { fng: { value: f.value, tsMs: f.tsMs } } : {}) });
          });
        }
      },
    });
    // Timers due at a frame's time run before the frame: absent at +10 000, present from just after.
    expect(samples.get(9_999)).toEqual({});
    expect(samples.get(10_000)).toEqual({});
    expect(samples.get(10_001)).toEqual({ pcr: { value: -0.3, tsMs: W0 + 10_000, raw: 0.9 } });
    // The bad frames at +30 s / +31 s changed nothing; the replay went on to the +40 s reading.
    expect(samples.get(30_001)).toEqual({ pcr: { value: -0.3, tsMs: W0 + 10_000, raw: 0.9 }, fng: { value: 0.4, tsMs: W0 + 20_000 } });
    expect(samples.get(31_001)).toEqual(samples.get(30_001));
    expect(samples.get(39_999)).toEqual(samples.get(30_001));
    expect(samples.get(40_001)).toEqual({ pcr: { value: 0.6, tsMs: W0 + 40_000, raw: 0.5 }, fng: { value: 0.4, tsMs: W0 + 20_000 } });
    // Served until exactly maxAgeSec old, absent past it (as the live poller does); the replay runs to W1 + 120 s.
    expect(samples.size).toBe(at.length);
    expect(samples.get(320_000)?.fng).toEqual({ value: 0.4, tsMs: W0 + 20_000 });
    expect(samples.get(320_001)).toEqual({ pcr: { value: 0.6, tsMs: W0 + 40_000, raw: 0.5 } });

    expect(result.externalFrames.ingested).toBe(3);
    expect(result.externalFrames.invalid).toBe(2);
    expect(result.externalFrames.firstError).toMatch(/bad recorded external frame at \d+: frame is not JSON/);
    expect(result.ingested).toBe(3);
    const bad = events.filter((e) => !e.ok);
    expect(bad.map((e) => e.error)).toEqual([expect.stringContaining('not JSON'), expect.stringMatching(/score/)]);
    expect(events.filter((e) => e.ok).map((e) => [e.id, e.score])).toEqual([['putCallRatio', -0.3], ['fearGreed', 0.4], ['putCallRatio', 0.6]]);
  }, 20_000);

  it('with external signals disabled in the replay config, recorded readings are not served', async () => {
    const frames: RecordedFrame[] = [{ source: 'external', tsRecvMs: W0 + 10_000, raw: reading('fearGreed', W0 + 10_000, 70, 0.4) }];
    const manifest = manifestSchema.parse({
      version: 1, id: 'external-off', format: 'recording', createdAtMs: W0, startMs: W0 + 10_000, endMs: W0 + 10_000, frames: 1, bytes: 0,
      sources: ['external'], segments: [],
      markets: [{ slug: `btc-updown-5m-${START_SEC}`, kind: '5m', startMs: W0, endMs: W1, conditionId: 'c1', upTokenId: 'u1', downTokenId: 'd1' }],
      capabilities: { books: false, reference: false, spot: false, resolutions: 'none' },
    });
    const config = defaultRuntimeConfig();
    config.externalSignals.enabled = false;
    let served = -1;
    const result = await runReplay({
      source: memorySource(manifest, frames),
      config,
      onRuntime: (rt) => void rt.clock.after(W0 + 10_001 - rt.clock.nowMs(), 'test.sample', () => (served = rt.external!.values().size)),
    });
    expect(served).toBe(0);
    expect(result.externalFrames).toEqual({ ingested: 0, invalid: 0 });
  }, 20_000);
});
