/**
 * Soak (issue 12): a simulated day — every 5m and 15m window, 288 + 96 = 384 rollovers — through the whole runtime as
 * the demo builds it, on a SimClock advanced as fast as the process goes.
 *
 * What runs (the server's own holder, lib/server/runtime-registry.ts createRuntimeHolder, given a SimClock): the
 * embedded simulator over real loopback sockets, paper trading, the default strategies,
 * the config service, the pino logger (to a counting sink), the recorder (frames to disk), the runtime's read
 * models, the bus-fed metrics; and the console attached: the SSE hub with one consumer that reads and parses every
 * frame, a Prometheus scrape (default metrics included) and a readiness/health read every 15 simulated seconds,
 * the trading snapshot every 10.
 *
 * Bars (a missed bar fails the row; alone, the process exits 1):
 * - rollovers: windows closed (market.state → closed) = 16 per simulated hour (384 for the day);
 * - RSS growth from warm-up to the end < 10 %: the median of one RSS sample per simulated minute over the hour after
 *   warm-up (the first simulated hour) against the same median over the last simulated hour. Single readings are
 *   noise: V8 resizes its heap under load (heapTotal 120 -> 250 MB with 60 MB used), so two readings taken after a
 *   GC at the same simulated time differed by 90 MB between runs;
 * - no socket or timer left after stop: process.getActiveResourcesInfo() after shutdown, per type, is no larger
 *   than before the runtime was built (a few real seconds of grace for keep-alive sockets to close);
 * - the SSE consumer got every event published while it was attached, in order, with no gap.
 * Reported: heap used after a full GC at warm-up and at the end (the leak signal: V8 heap slack does not hide it),
 * event-loop delay p99 and max (perf_hooks.monitorEventLoopDelay, after warm-up), wall time, simulated seconds per
 * wall second.
 *
 * Alone: `npx tsx --conditions=react-server tests/bench/soak.bench.ts`; SOAK_HOURS=3 for a quick look (the day is
 * the default; about 7 minutes on the shared 2-core machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SimClock } from '../../bot/clock';
import type { BotEvent } from '../../lib/schemas/events';
import { runtimeHealth, runtimeReadiness } from '../../lib/server/health';
import { createMetricsRegistry } from '../../lib/server/metrics';
import { createRuntimeHolder } from '../../lib/server/runtime-registry';
import type { SseHub, SseSource } from '../../lib/server/sse';
import type { Benchmark, BenchRow } from './types';

const DAY0_MS = 1791158400_000; // a UTC midnight
const STEP_MS = 1_000;
const ROLLOVERS_PER_HOUR = 12 + 4;

export interface SoakResult {
  hours: number;
  rollovers: { m5: number; m15: number };
  rssWarmMb: number;
  rssEndMb: number;
  heapWarmMb: number;
  heapEndMb: number;
  eldP99Ms: number;
  eldMaxMs: number;
  handlesBefore: Record<string, number>;
  handlesAfter: Record<string, number>;
  leaked: Record<string, number>;
  wallMs: number;
  simSeconds: number;
  events: number;
  sse: { frames: number; expected: number; gaps: number; dropped: number };
  decisions: number;
  fills: number;
  logLines: number;
  scrapes: number;
}

function countResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

function leakedResources(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) if (n > (before[k] ?? 0)) out[k] = n - (before[k] ?? 0);
  return out;
}

function gcFn(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const turn = () => new Promise<void>((r) => setImmediate(r));
const mb = (bytes: number) => bytes / (1024 * 1024);

/** Let socket and HTTP I/O run after a clock step: at least two loop turns, more while the bus keeps moving. */
async function drain(published: () => number): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 24 && quiet < 2; i++) {
    const before = published();
    await turn();
    quiet = published() === before ? quiet + 1 : 0;
  }
}

/** One SSE client that reads the stream as a browser would: split frames, check ids, parse every data line. */
function attachSseConsumer(hub: SseHub, source: SseSource) {
  const stats = { frames: 0, gaps: 0, lastId: 0, firstId: 0 };
  const reader = hub.open(source, undefined).getReader();
  const decoder = new TextDecoder();
  let carry = '';
  const done = (async () => {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      const parts = (carry + decoder.decode(r.value, { stream: true })).split('\n\n');
      carry = parts.pop() ?? '';
      for (const frame of parts) {
        const id = /^id: (\d+)$/m.exec(frame);
        const data = /^data: (.*)$/m.exec(frame);
        if (!id || !data) continue; // hello, heartbeat
        const seq = Number(id[1]);
        if (stats.lastId !== 0 && seq !== stats.lastId + 1) stats.gaps++;
        if (stats.firstId === 0) stats.firstId = seq;
        stats.lastId = seq;
        if ((JSON.parse(data[1]!) as BotEvent).seq !== seq) stats.gaps++;
        stats.frames++;
      }
    }
  })();
  return { stats, done };
}

export async function runSoak(hours: number, log: (line: string) => void = () => {}): Promise<SoakResult> {
  const gc = gcFn();
  gc();
  const handlesBefore = countResources();
  const dataDir = mkdtempSync(join(tmpdir(), 'soak-'));
  const clock = new SimClock(DAY0_MS + 10_000);
  const startMs = clock.nowMs();
  const warmMs = startMs + 3_600_000;
  const endMs = startMs + hours * 3_600_000;

  // --- the server's holder (lib/server/runtime-registry.ts) with a SimClock ---
  const source = { NODE_ENV: 'production', VENUE: 'sim', TRADING_MODE: 'paper', DATA_DIR: dataDir, SIM_SPEED: '1', LOG_LEVEL: 'info' };
  let logLines = 0;
  const holder = createRuntimeHolder({ env: source, clock, logDestination: { write: () => void logLines++ } });
  const { runtime, sse, sseSource } = holder;
  const registry = createMetricsRegistry(() => holder);

  // --- what the run counts ---
  const rollovers = { m5: 0, m15: 0 };
  let decisions = 0;
  let fills = 0;
  runtime.bus.onAny((e) => {
    if (e.type === 'market.state' && e.state === 'closed') rollovers[e.slug.includes('-15m-') ? 'm15' : 'm5']++;
    else if (e.type === 'strategy.decision' && e.record.action !== 'evaluated') decisions++;
    else if (e.type === 'order.filled') fills++;
  });
  const published = () => runtime.bus.stats.published;
  const consumer = attachSseConsumer(sse, sseSource);
  const seqAtOpen = runtime.bus.stats.lastSeq;

  const t0 = process.hrtime.bigint();
  const starting = runtime.start('soak');
  while (runtime.status().state === 'starting') await drain(published);
  const state = await starting;
  if (state !== 'running') throw new Error(`runtime did not start: ${state} ${runtime.status().lastError ?? ''}`);

  const eld = monitorEventLoopDelay({ resolution: 10 });
  const rssWarm: number[] = [];
  const rssEnd: number[] = [];
  let heapWarm = 0;
  let nextRssMs = startMs;
  let scrapes = 0;
  let nextSnapshotMs = startMs;
  let nextScrapeMs = startMs;
  let nextLogMs = startMs + 3_600_000;
  while (clock.nowMs() < endMs) {
    clock.advanceTo(Math.min(endMs, clock.nowMs() + STEP_MS));
    await drain(published);
    const now = clock.nowMs();
    if (now >= nextSnapshotMs) {
      runtime.views.trading.snapshot();
      nextSnapshotMs += 10_000;
    }
    if (now >= nextScrapeMs) {
      await registry.metrics();
      runtimeHealth(runtime);
      runtimeReadiness(runtime);
      scrapes++;
      nextScrapeMs += 15_000;
    }
    if (heapWarm === 0 && now >= warmMs) {
      gc();
      heapWarm = process.memoryUsage().heapUsed;
      eld.enable();
    }
    if (now >= nextRssMs) {
      if (now >= warmMs && now < warmMs + 3_600_000) rssWarm.push(process.memoryUsage.rss());
      if (now >= endMs - 3_600_000) rssEnd.push(process.memoryUsage.rss());
      nextRssMs += 60_000;
    }
    if (now >= nextLogMs) {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      log(`  soak: ${((now - startMs) / 3_600_000).toFixed(0)} h simulated in ${wall.toFixed(0)} s, rss ${mb(process.memoryUsage().rss).toFixed(0)} MB, ${published()} events`);
      nextLogMs += 3_600_000;
    }
  }
  await drain(published);
  eld.disable();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  gc();
  const heapEnd = process.memoryUsage().heapUsed;
  const expected = runtime.bus.stats.lastSeq - seqAtOpen;
  const sseFrames = consumer.stats.frames;
  const dropped = sse.stats.dropped;
  const events = published();

  // --- shutdown as the holder does it, then look for anything left behind ---
  const shutdown = holder.shutdown('soak done');
  await consumer.done;
  await shutdown;
  registry.clear();
  let handlesAfter = countResources();
  for (let i = 0; i < 100 && Object.keys(leakedResources(handlesBefore, handlesAfter)).length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100)); // ref'd: a wait on unref'd leftovers must not let the process exit
    handlesAfter = countResources();
  }
  rmSync(dataDir, { recursive: true, force: true });
  return {
    hours,
    rollovers,
    rssWarmMb: mb(median(rssWarm)),
    rssEndMb: mb(median(rssEnd)),
    heapWarmMb: mb(heapWarm),
    heapEndMb: mb(heapEnd),
    eldP99Ms: eld.percentile(99) / 1e6,
    eldMaxMs: eld.max / 1e6,
    handlesBefore,
    handlesAfter,
    leaked: leakedResources(handlesBefore, handlesAfter),
    wallMs,
    simSeconds: (endMs - startMs) / 1000,
    events,
    sse: { frames: sseFrames, expected, gaps: consumer.stats.gaps, dropped },
    decisions,
    fills,
    logLines,
    scrapes,
  };
}

export function soakRows(r: SoakResult): BenchRow[] {
  const rolls = r.rollovers.m5 + r.rollovers.m15;
  const want = r.hours * ROLLOVERS_PER_HOUR;
  const growthPct = ((r.rssEndMb - r.rssWarmMb) / r.rssWarmMb) * 100;
  const leaked = Object.entries(r.leaked).map(([k, n]) => `${k} +${n}`).join(', ');
  const count = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
  const fmtHandles = (h: Record<string, number>) => Object.entries(h).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    { id: 'soak', figure: `rollovers in ${r.hours} simulated h (5m ${r.rollovers.m5} + 15m ${r.rollovers.m15})`, value: rolls, unit: 'windows', baseline: want, baselineLabel: 'expected', ratio: rolls / want, target: `= ${want}`, pass: rolls === want },
    {
      id: 'soak', figure: 'RSS, median of the last simulated hour vs of the hour after warm-up', value: r.rssEndMb, unit: 'MB', baseline: r.rssWarmMb, baselineLabel: 'warm-up',
      ratio: r.rssWarmMb / r.rssEndMb, target: 'growth < 10 %', pass: growthPct < 10, notes: `growth ${growthPct.toFixed(1)} %`,
    },
    {
      id: 'soak', figure: 'heap used after a full GC, end vs warm-up', value: r.heapEndMb, unit: 'MB', baseline: r.heapWarmMb, baselineLabel: 'warm-up',
      ratio: r.heapWarmMb / r.heapEndMb, target: 'reported', notes: `growth ${(((r.heapEndMb - r.heapWarmMb) / r.heapWarmMb) * 100).toFixed(1)} %`,
    },
    { id: 'soak', figure: 'event-loop delay p99 after warm-up (max in notes)', value: r.eldP99Ms, unit: 'ms', target: 'reported', notes: `max ${r.eldMaxMs.toFixed(1)} ms` },
    {
      id: 'soak', figure: 'active handles after stop vs before start', value: count(r.handlesAfter), unit: 'handles', baseline: count(r.handlesBefore), baselineLabel: 'before',
      target: 'no leaked socket or timer', pass: leaked === '', notes: leaked ? `leaked: ${leaked}` : `after: ${fmtHandles(r.handlesAfter)}`,
    },
    {
      id: 'soak', figure: `SSE consumer frames (every event parsed; ${r.sse.gaps} gaps, ${r.sse.dropped} drops)`, value: r.sse.frames, unit: 'events', baseline: r.sse.expected, baselineLabel: 'published while attached',
      ratio: r.sse.frames / r.sse.expected, target: 'every event, no gap', pass: r.sse.frames === r.sse.expected && r.sse.gaps === 0 && r.sse.dropped === 0,
    },
    {
      id: 'soak', figure: `speed: ${r.simSeconds.toLocaleString('en-US')} simulated s in ${(r.wallMs / 1000).toFixed(0)} s wall`, value: r.simSeconds / (r.wallMs / 1000), unit: 'sim-s/s', target: 'reported',
      notes: `${r.events.toLocaleString('en-US')} events, ${r.decisions} final decisions, ${r.fills} fills, ${r.scrapes} scrapes, ${r.logLines} log lines`,
    },
  ];
}

function hoursFromEnv(): number {
  const h = Number(process.env.SOAK_HOURS ?? 24);
  if (!Number.isInteger(h) || h < 3 || h > 240) throw new Error(`SOAK_HOURS must be an integer in [3, 240] (got ${process.env.SOAK_HOURS})`);
  return h;
}

export const benchmarks: Benchmark[] = [
  {
    id: 'soak',
    title: 'soak: a simulated day (384 rollovers) through the whole runtime with the console attached',
    run: async () => soakRows(await runSoak(hoursFromEnv(), (l) => process.stderr.write(`${l}\n`))),
  },
];

if (process.argv[1] && /soak\.bench\.ts$/.test(process.argv[1])) {
  process.exitCode = 1; // until the rows say otherwise: a run that never finishes must not look like a pass
  runSoak(hoursFromEnv(), (l) => process.stderr.write(`${l}\n`))
    .then((r) => {
      const rows = soakRows(r);
      for (const row of rows) {
        const base = row.baseline === undefined ? '' : `  (${row.baselineLabel ?? 'baseline'} ${row.baseline.toFixed(2)})`;
        const pass = row.pass === undefined ? '-' : row.pass ? 'yes' : 'NO';
        console.log(`${row.id}  ${row.figure}: ${row.value.toFixed(2)} ${row.unit}${base}  target ${row.target}  pass ${pass}${row.notes ? `  [${row.notes}]` : ''}`);
      }
      process.exitCode = rows.some((row) => row.pass === false) ? 1 : 0;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
