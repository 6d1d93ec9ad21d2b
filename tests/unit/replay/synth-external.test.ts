/**
 * External signal frames in synthetic sessions (bot/replay/synth.ts): a 10-minute session holds, at the start and
 * every default `externalSignals.pollSec`, one 'external' frame per source (putCallRatio, fearGreed) — byte-identical
 * to what a venue=sim ExternalSignalPoller records when it polls the simulator's external-signals server (same seed,
 * same time); the frames decode as recorded readings at their receive time; the manifest lists 'external'; and a
 * replay of the session (runReplay) ingests every one of them and serves them as ctx.external.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { decodeRecordedReading, ExternalSignalPoller, externalSignalUrlsFor, type FetchLike } from '../../../bot/feeds/external';
import { openRecording } from '../../../bot/replay/recording-reader';
import type { RecordedFrame, SessionManifest } from '../../../bot/replay/session';
import { generateSynthetic, SYNTH_DEFAULT_START_MS } from '../../../bot/replay/synth';
import { runReplay } from '../../../bot/replay-run';
import { externalSignalsRouter } from '../../../bot/sim/external-signals-server';
import { defaultRuntimeConfig, externalSignalsConfigSchema } from '../../../lib/schemas/config';

const SEED = 'synth-external';
const MINUTES = 10;
const START = SYNTH_DEFAULT_START_MS;
const POLL_MS = externalSignalsConfigSchema.parse({}).pollSec * 1000;
let tmp: string;
let dir: string;
let manifest: SessionManifest;
let external: RecordedFrame[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'synth-external-'));
  dir = join(tmp, 's');
  manifest = await generateSynthetic({ hours: MINUTES / 60, seed: SEED, dir });
  const src = await openRecording(dir);
  external = [];
  for await (const chunk of src.frames({ chunkSize: 5000 })) external.push(...chunk.filter((f) => f.source === 'external'));
}, 20_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What a venue=sim poller records polling the simulator's external server (seed SEED) at each time. */
async function livePollerTaps(times: readonly number[]): Promise<Map<number, string[]>> {
  const clock = new SimClock(times[0]!);
  const router = externalSignalsRouter(clock, SEED);
  const fetch: FetchLike = async (url) => {
    const u = new URL(url);
    const m = router.match('GET', u.pathname)!;
    const res = await m.handler({ method: 'GET', path: u.pathname, query: u.searchParams, headers: {}, rawBody: '', params: m.params });
    return new Response(JSON.stringify(res.body), { status: res.status });
  };
  const config = externalSignalsConfigSchema.parse({});
  const taps = new Map<number, string[]>();
  const poller = new ExternalSignalPoller({
    clock, bus: new EventBus({ clock }), config: () => config, fetch,
    urls: () => externalSignalUrlsFor({ venue: 'sim', externalSignals: config }, 'http://sim.invalid'),
    onRecord: (ts, text) => taps.set(ts, [...(taps.get(ts) ?? []), text]),
  });
  for (const t of times) {
    clock.advanceTo(t);
    await poller.pollOnce();
  }
  return taps;
}

describe('synthetic sessions: external signal frames', () => {
  it('lists external among the sources and writes both readings at the start and every pollSec', () => {
    expect(manifest.sources).toContain('external');
    const expectedTimes: number[] = [];
    for (let t = START; t <= manifest.endMs; t += POLL_MS) expectedTimes.push(t);
    expect(expectedTimes).toHaveLength(MINUTES + 1); // 10 min + the 11 s settlement tail
    expect(external.map((f) => f.tsRecvMs)).toEqual(expectedTimes.flatMap((t) => [t, t]));
    expect(external.map((f) => (JSON.parse(f.raw) as { id: string }).id)).toEqual(expectedTimes.flatMap(() => ['putCallRatio', 'fearGreed']));
  });

  it('every frame decodes as a recorded reading fetched at its receive time, and the values move', () => {
    const raws = new Map<string, Set<number>>();
    for (const f of external) {
      const r = decodeRecordedReading(f.raw, f.tsRecvMs);
      if (typeof r === 'string') throw new Error(r);
      expect(r.tsMs).toBe(f.tsRecvMs);
      expect(r.source).toBe('simulator');
      raws.set(r.id, (raws.get(r.id) ?? new Set()).add(r.raw));
    }
    expect(raws.get('putCallRatio')!.size).toBe(MINUTES + 1); // a continuous ratio: a new value every poll
    expect(raws.get('fearGreed')!.size).toBeGreaterThan(0);
  });

  it("equals, byte for byte, what a venue=sim poller records from the simulator's server", async () => {
    const times = [...new Set(external.map((f) => f.tsRecvMs))];
    const taps = await livePollerTaps(times);
    expect([...taps.keys()]).toEqual(times);
    for (const t of times) {
      const synth = external.filter((f) => f.tsRecvMs === t).map((f) => f.raw);
      expect([...taps.get(t)!].sort(), String(t)).toEqual([...synth].sort());
    }
  });

  it('a replay of the session ingests every external frame and serves the readings as ctx.external', async () => {
    const sampleAt = START + 5 * POLL_MS + 1;
    let served: Record<string, number> | undefined;
    const result = await runReplay({
      source: await openRecording(dir),
      config: defaultRuntimeConfig(),
      onRuntime: (rt) =>
        void rt.clock.after(sampleAt - rt.clock.nowMs(), 'test.sample', () => {
          served = Object.fromEntries([...rt.external!.values()].map(([id, v]) => [id, v.tsMs]));
        }),
    });
    expect(result.externalFrames).toEqual({ ingested: external.length, invalid: 0 });
    expect(served).toEqual({ putCallRatio: START + 5 * POLL_MS, fearGreed: START + 5 * POLL_MS });
  }, 20_000);
});
