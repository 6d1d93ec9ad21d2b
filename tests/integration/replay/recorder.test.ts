/**
 * The Recorder component, driven by a SimClock, a real EventBus and its raw-frame tap: it records the market-data
 * feeds (never the user socket) into `<dataDir>/recordings/rec-YYYYMMDD-HHMMSS`, keeps the discovered windows (with
 * fees and Gamma's price to beat) in the manifest, indexes the session in the store (open while recording, closed on
 * stop), applies retention at start, and turns a write error into one notice without ever throwing at the caller.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventOf } from '../../../lib/schemas/events';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock/sim-clock';
import { Recorder } from '../../../bot/replay/recorder';
import { openRecording } from '../../../bot/replay/recording-reader';
import type { RecordedFrame } from '../../../bot/replay/session';
import { openStore, type Store } from '../../../bot/store';

const START = Date.UTC(2026, 3, 16, 8, 30, 5, 250);
const SLUG = 'btc-updown-5m-1776328200';

let dataDir: string;
let store: Store;
let clock: SimClock;
let bus: EventBus;
let notices: Array<EventOf<'runtime.notice'>>;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'recorder-'));
  store = openStore(':memory:');
  clock = new SimClock(START);
  bus = new EventBus({ clock });
  notices = [];
  bus.on('runtime.notice', (e) => void notices.push(e));
});
afterEach(() => {
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function recorder(extra: Partial<ConstructorParameters<typeof Recorder>[0]> = {}): Recorder {
  return new Recorder({ dataDir, bus, clock, store: store.recordings, configHash: () => 'cfg-abc', ...extra });
}

function discover(fees?: { rate: number; exponent: number; takerOnly: boolean }): void {
  bus.publish({
    type: 'market.discovered',
    slug: SLUG,
    kind: '5m',
    conditionId: '0xcond',
    upTokenId: '1001',
    downTokenId: '1002',
    startMs: 1_776_328_200_000,
    endMs: 1_776_328_500_000,
    tickSize: 0.01,
    minOrderSize: 5,
    version: 'v2',
    eventId: 'ev-9',
    ...(fees ? { fees } : {}),
  });
}

async function readAll(dir: string): Promise<RecordedFrame[]> {
  const out: RecordedFrame[] = [];
  for await (const c of (await openRecording(dir)).frames()) out.push(...c);
  return out;
}

describe('Recorder', () => {
  it('records tapped market-data frames and discovered markets, and indexes the session', async () => {
    const rec = recorder();
    await rec.start();
    const id = rec.stats.sessionId!;
    expect(id).toBe('rec-20260416-083005');
    const dir = join(dataDir, 'recordings', id);
    expect(store.recordings.get(id)).toMatchObject({ id, dir, open: true, frames: 0, configHash: 'cfg-abc', createdMs: START });

    discover({ rate: 0.05, exponent: 2, takerOnly: true });
    bus.publish({ type: 'market.price_to_beat', slug: SLUG, priceUsd: 84_000, source: 'reference', gammaPriceUsd: 84_012.5 });
    const expected: RecordedFrame[] = [];
    const feeds = ['clob-market', 'clob-user', 'polybolt', 'spot', 'rtds'] as const;
    for (let i = 0; i < 50; i++) {
      clock.advanceBy(37);
      const feed = feeds[i % feeds.length]!;
      const raw = `{"n":${i},"feed":"${feed}"}`;
      rec.tap(feed, clock.nowMs(), raw);
      if (feed !== 'clob-user') expected.push({ source: feed, tsRecvMs: clock.nowMs(), raw });
    }
    await rec.flush();
    expect(store.recordings.get(id)).toMatchObject({ open: true, frames: expected.length, markets: [SLUG] });

    await rec.stop('test');
    expect(rec.stats).toMatchObject({ sessionId: id, recording: false, frames: expected.length, dropped: 0, error: undefined });
    rec.tap('clob-market', clock.nowMs(), '{"late":true}'); // after stop: ignored, no throw

    const src = await openRecording(dir);
    expect(src.manifest).toMatchObject({
      id,
      format: 'recording',
      open: false,
      configHash: 'cfg-abc',
      createdAtMs: START,
      frames: expected.length,
      sources: ['clob-market', 'polybolt', 'rtds', 'spot'],
      startMs: expected[0]!.tsRecvMs,
      endMs: expected.at(-1)!.tsRecvMs,
    });
    expect(src.manifest.markets).toEqual([
      expect.objectContaining({ slug: SLUG, eventId: 'ev-9', upTokenId: '1001', fees: { rate: 0.05, exponent: 2, takerOnly: true }, priceToBeat: 84_012.5 }),
    ]);
    expect(await readAll(dir)).toEqual(expected);
    expect(store.recordings.get(id)).toMatchObject({ open: false, frames: expected.length, bytes: src.manifest.bytes, markets: [SLUG] });
    expect(src.manifest.bytes).toBeGreaterThan(0);
    expect(notices).toEqual([]);
  });

  it('uses default fees when the event has none, and a suffix when the id is taken', async () => {
    const a = recorder();
    await a.start();
    discover();
    await a.stop('x');
    const b = recorder();
    await b.start(); // same clock second
    expect(b.stats.sessionId).toBe('rec-20260416-083005-2');
    await b.stop('x');
    const m = (await openRecording(join(dataDir, 'recordings', a.stats.sessionId!))).manifest;
    expect(m.markets[0]!.fees).toEqual({ rate: 0.07, exponent: 1, takerOnly: true });
    expect(store.recordings.list().map((r) => r.id)).toEqual(['rec-20260416-083005-2', 'rec-20260416-083005']);
  });

  it('rotates segments by receive time, flushes on the clock', async () => {
    const rec = recorder({ rotateMs: 1_000, flushMs: 5_000 });
    await rec.start();
    const id = rec.stats.sessionId!;
    for (let i = 0; i < 30; i++) {
      rec.tap('clob-market', clock.nowMs(), `{"i":${i}}`);
      clock.advanceBy(100);
    }
    await rec.settled();
    expect(store.recordings.get(id)?.frames).toBe(0); // 3 s in: the 5 s flush has not run yet
    clock.advanceBy(2_000);
    await rec.settled();
    expect(store.recordings.get(id)).toMatchObject({ frames: 30, open: true });
    await rec.stop('x');
    const m = (await openRecording(join(dataDir, 'recordings', rec.stats.sessionId!))).manifest;
    expect(m.segments.map((s) => s.frames)).toEqual([10, 10, 10]);
  });

  it('at start closes rows a crashed run left open and applies retention, never to the new session', async () => {
    const old = join(dataDir, 'recordings', 'rec-20260101-000000');
    mkdirSync(old, { recursive: true });
    const base = { format: 'recording', frames: 1, sources: [], markets: [], startMs: 0, endMs: 0 };
    store.recordings.upsert({ ...base, id: 'rec-20260101-000000', createdAtMs: START - 40 * 86_400_000, bytes: 10, open: true }, old);
    const rec = recorder({ maxAgeMs: 30 * 86_400_000, maxBytes: 1e9 });
    await rec.start();
    expect(existsSync(old)).toBe(false);
    expect(rec.lastRetention?.deleted.map((d) => d.id)).toEqual(['rec-20260101-000000']);
    expect(store.recordings.list().map((r) => r.id)).toEqual([rec.stats.sessionId]);
    await rec.stop('x');
  });

  it('a write error publishes one notice, stops recording, and never throws into the tap', async () => {
    const rec = recorder({ rotateBytes: 100 });
    await rec.start();
    const id = rec.stats.sessionId!;
    for (let i = 0; i < 5; i++) rec.tap('clob-market', clock.nowMs(), `{"i":${i},"pad":"${'p'.repeat(60)}"}`);
    rmSync(join(dataDir, 'recordings', id), { recursive: true, force: true });
    for (let i = 5; i < 10; i++) rec.tap('clob-market', clock.nowMs(), `{"i":${i},"pad":"${'p'.repeat(60)}"}`);
    await rec.flush();
    expect(rec.stats.recording).toBe(false);
    expect(rec.stats.error).toMatch(/ENOENT/);
    expect(() => rec.tap('clob-market', clock.nowMs(), '{}')).not.toThrow();
    await rec.stop('x');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ source: 'recorder', severity: 'warn', title: 'Recording stopped' });
    expect(store.recordings.get(id)?.open).toBe(false);
  });

  it('a recordings directory that cannot be created is a notice, not a failed start', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, 'not a directory');
    const rec = new Recorder({ dataDir: file, bus, clock, store: store.recordings, configHash: () => 'h' });
    await expect(rec.start()).resolves.toBeUndefined();
    expect(rec.stats.recording).toBe(false);
    expect(notices.map((n) => n.title)).toEqual(['Recording stopped']);
    await rec.stop('x');
  });
});
