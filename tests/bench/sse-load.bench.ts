/**
 * SSE load on the decision path (issue 11): does serving the console's event stream to 50 browsers slow the bot?
 *
 * Workload: the whole runtime (createRuntime, paper mode) on its embedded simulator over real loopback sockets, on
 * a SimClock advanced in fixed 100 ms steps. The hammer is set to evaluate on every book / reference event of a
 * window (hammerSecs 3600, minEvalIntervalMs 0) so that decisions are plentiful; the other default strategies run.
 *
 * Frame-to-decision, measured in the process on performance.now():
 * - t0: the runtime's socket message handler hands a text frame to the feed (the `onRaw` tap of createRuntime,
 *   called just before the feed parses it; any market-data socket: CLOB market, reference, spot).
 * - t1: a `strategy.decision` caused by that frame reaches the bus's subscribers (a typed bus handler registered
 *   before the runtime starts, so it is the event's first subscriber). A decision is caused by a frame when it is
 *   dispatched in the same synchronous turn as the frame's hand-over (the feed, the bus and the strategy host are
 *   synchronous); decisions raised by timers (the host's tick) or after an await are not counted.
 * - also reported: t1' = the moment the strategy host publishes the decision (before the bus dispatches events
 *   queued ahead of it); the SSE hub's bus handlers run between t1' and t1 for those queued events.
 *
 * Conditions, in one process and one runtime: no SSE client vs 50 SSE clients (an SseHub subscribed to the same bus
 * exactly as lib/server/runtime-registry wires it, a node http server pumping each stream to its socket as the route
 * does, and 50 http.get readers counting events and bytes). Phases alternate A B B A ... with the same number of
 * decisions each; clients connect and disconnect while the clock is paused (no frames then), so that cost is not
 * measured. The readers run in this process (browsers would not): they cannot add to a sample (a sample is one
 * synchronous turn) but they add load and garbage, so the figure is if anything pessimistic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock } from '../../bot/clock';
import { createRuntime, type Runtime } from '../../bot/runtime';
import { openStore } from '../../bot/store';
import { runtimeConfigSchema } from '../../lib/schemas/config';
import type { BotEvent } from '../../lib/schemas/events';
import { SseHub, type SseSource } from '../../lib/server/sse';
import type { Benchmark, BenchRow } from './types';

const DAY0_MS = 1791158400_000;
const CLIENTS = 50;
const STEP_MS = 100;
/** Decisions per phase, and phases per condition (ABBA order). */
const PER_PHASE = Number(process.env.SSE_LOAD_PER_PHASE ?? 300);
const ROUNDS = Number(process.env.SSE_LOAD_ROUNDS ?? 12);
/** Give up on a phase after this much wall time (the bench must stay under about a minute). */
const PHASE_WALL_LIMIT_MS = 12_000;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const turn = () => new Promise<void>((r) => setImmediate(r));

/** Pairs each frame hand-over with the decisions dispatched in the same synchronous turn. */
class FrameDecisionProbe {
  /** performance.now() of the frame being handled in the current synchronous turn (undefined outside one). */
  private frameT0: number | undefined;
  private publishedAt: number | undefined;
  private clearQueued = false;
  /** performance.now() when the bench last advanced the clock (the simulator writes that step's frames then). */
  stepT0 = 0;
  recording = false;
  frames = 0;
  readonly toDispatch: number[] = [];
  readonly fromStep: number[] = [];
  readonly toPublish: number[] = [];
  unattributed = 0;

  readonly onRaw = (): void => {
    this.frameT0 = performance.now();
    if (this.recording) this.frames++;
    if (!this.clearQueued) {
      this.clearQueued = true;
      // Microtasks run once the socket callback's synchronous work is over: the turn has ended.
      queueMicrotask(() => {
        this.frameT0 = undefined;
        this.clearQueued = false;
      });
    }
  };

  /** Wraps bus.publish to stamp the moment a strategy publishes its decision. */
  attach(rt: Runtime): void {
    const bus = rt.bus;
    const publish = bus.publish.bind(bus) as (input: { type: string }) => unknown;
    (bus as unknown as { publish: (input: { type: string }) => unknown }).publish = (input) => {
      if (input.type === 'strategy.decision') this.publishedAt = performance.now();
      return publish(input);
    };
    bus.on('strategy.decision', () => {
      const t1 = performance.now();
      const pub = this.publishedAt;
      this.publishedAt = undefined;
      if (!this.recording) return;
      if (this.frameT0 === undefined) {
        this.unattributed++;
        return;
      }
      this.toDispatch.push(t1 - this.frameT0);
      this.fromStep.push(t1 - this.stepT0);
      if (pub !== undefined) this.toPublish.push(pub - this.frameT0);
    });
  }
}

/** The console's SSE endpoint without Next: the hub's stream pumped to the response, as the route handler does. */
async function sseServer(hub: SseHub, source: SseSource): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const stream = hub.open(source, undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const reader = stream.getReader();
    const pump = async (): Promise<void> => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void res.end();
        if (!res.write(value)) await new Promise((r) => res.once('drain', r));
      }
    };
    void pump().catch(() => undefined);
    req.on('close', () => void reader.cancel().catch(() => undefined));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * The 50 browsers: a child node process (plain JS, so the readers' parsing and garbage stay out of the runtime's
 * process, as a browser's would) with n http.get readers that count `id:` events, bytes and the highest id seen.
 */
const READER_SOURCE = `
const http = require('node:http');
let readers = [];
process.on('message', (m) => {
  if (m.cmd === 'connect') {
    readers = Array.from({ length: m.n }, () => {
      const r = { events: 0, bytes: 0, maxId: 0, res: undefined };
      const req = http.get({ host: '127.0.0.1', port: m.port, path: '/', agent: false }, (res) => {
        r.res = res;
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          r.bytes += Buffer.byteLength(chunk);
          buf += chunk;
          let at, pos = 0;
          while ((at = buf.indexOf('\\n\\n', pos)) >= 0) {
            if (buf.startsWith('id: ', pos)) {
              r.events++;
              r.maxId = Math.max(r.maxId, Number(buf.slice(pos + 4, buf.indexOf('\\n', pos))));
            }
            pos = at + 2;
          }
          buf = buf.slice(pos);
        });
        res.on('error', () => {});
      });
      req.on('error', () => {});
      return r;
    });
  } else if (m.cmd === 'report') {
    const t0 = Date.now();
    const check = () => {
      if (readers.some((r) => r.maxId < m.lastSeq) && Date.now() - t0 < 5000) return void setTimeout(check, 10);
      process.send({ events: readers.map((r) => r.events), bytes: readers.map((r) => r.bytes), maxId: readers.map((r) => r.maxId) });
      for (const r of readers) r.res?.destroy();
      readers = [];
    };
    check();
  }
});
`;

interface ReaderReport {
  events: number[];
  bytes: number[];
  maxId: number[];
}

class ReaderProcess {
  private readonly child: ChildProcess = spawn(process.execPath, ['-e', READER_SOURCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

  /** Connect n readers and wait until the hub holds them all. */
  async connect(port: number, n: number, hub: SseHub): Promise<void> {
    this.child.send({ cmd: 'connect', port, n });
    while (hub.stats.clients < n) await new Promise((r) => setTimeout(r, 5));
  }

  /** Wait (up to 5 s) until every reader saw `lastSeq`, take their counts and disconnect them. */
  async report(lastSeq: number, hub: SseHub): Promise<ReaderReport> {
    const got = new Promise<ReaderReport>((r) => this.child.once('message', (m) => r(m as ReaderReport)));
    this.child.send({ cmd: 'report', lastSeq });
    const report = await got;
    while (hub.stats.clients > 0) await new Promise((r) => setTimeout(r, 5));
    return report;
  }

  close(): void {
    this.child.kill();
  }
}

interface Phase {
  clients: number;
  toDispatch: number[];
  toPublish: number[];
  fromStep: number[];
  frames: number;
  unattributed: number;
  wallMs: number;
  busEvents: number;
  /** Per client: events received, bytes received, and whether it saw the phase's last event. */
  delivered: number[];
  bytes: number[];
  complete: boolean;
}

/** Advance the clock in fixed steps until `decisions` frame-caused decisions were measured (or the wall limit). */
async function runPhase(ctx: { rt: Runtime; clock: SimClock; probe: FrameDecisionProbe; hub: SseHub; port: number; readers: ReaderProcess }, clients: number, decisions: number): Promise<Phase> {
  const { rt, clock, probe, hub, port } = ctx;
  if (clients > 0) await ctx.readers.connect(port, clients, hub);
  const d0 = probe.toDispatch.length;
  const p0 = probe.toPublish.length;
  const f0 = probe.frames;
  const u0 = probe.unattributed;
  const seq0 = rt.bus.stats.lastSeq;
  probe.recording = true;
  const t0 = performance.now();
  while (probe.toDispatch.length - d0 < decisions && performance.now() - t0 < PHASE_WALL_LIMIT_MS) {
    probe.stepT0 = performance.now();
    clock.advanceBy(STEP_MS);
    await turn();
    await turn();
  }
  // Let the frames of the last step arrive before the phase ends.
  for (let i = 0; i < 4; i++) await turn();
  probe.recording = false;
  const wallMs = performance.now() - t0;
  const lastSeq = rt.bus.stats.lastSeq;
  const report = clients > 0 ? await ctx.readers.report(lastSeq, hub) : undefined;
  const complete = report ? report.maxId.every((m) => m >= lastSeq) : true;
  return {
    clients,
    toDispatch: probe.toDispatch.slice(d0, d0 + decisions),
    toPublish: probe.toPublish.slice(p0, p0 + decisions),
    fromStep: probe.fromStep.slice(d0, d0 + decisions),
    frames: probe.frames - f0,
    unattributed: probe.unattributed - u0,
    wallMs,
    busEvents: lastSeq - seq0,
    delivered: report?.events ?? [],
    bytes: report?.bytes ?? [],
    complete,
  };
}

async function setup() {
  const clock = new SimClock(DAY0_MS + 10_000);
  const config = runtimeConfigSchema.parse({
    mode: 'paper',
    venue: 'sim',
    sim: { seed: 11 },
    recording: { enabled: false },
    strategies: [
      { id: 'time-bucket', type: 'time-bucket', budgetUsd: 30, params: {} },
      { id: 'hammer', type: 'hammer', budgetUsd: 50, params: { hammerSecs: 3600, minEvalIntervalMs: 0 } },
      { id: 'trend-window', type: 'trend-window', budgetUsd: 10, params: {} },
      { id: 'late-sweep', type: 'late-sweep', budgetUsd: 30, params: {} },
    ],
  });
  const probe = new FrameDecisionProbe();
  const rt = createRuntime({ instanceId: 'sse-load', version: 'bench', config, clock, store: openStore(':memory:'), onRaw: probe.onRaw });
  probe.attach(rt);
  const hub = new SseHub({ maxClientBytes: 4 << 20, heartbeatMs: 15_000 });
  const source: SseSource = {
    instanceId: rt.instanceId,
    lastSeq: () => rt.bus.stats.lastSeq,
    since: (seq) => rt.bus.history.since(seq),
    subscribe: (fn: (e: BotEvent) => void) => rt.bus.onAny(fn),
  };
  const { server, port } = await sseServer(hub, source);
  const starting = rt.start('bench');
  for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) {
    await turn();
    await new Promise((r) => setTimeout(r, 1));
  }
  if ((await starting) !== 'running') throw new Error(`runtime did not start: ${rt.status().lastError ?? rt.status().state}`);
  const readers = new ReaderProcess();
  const close = async () => {
    readers.close();
    hub.closeAll();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await rt.dispose('bench done');
  };
  return { rt, clock, probe, hub, port, readers, close };
}

function merge(phases: Phase[]) {
  return {
    toDispatch: phases.flatMap((p) => p.toDispatch),
    toPublish: phases.flatMap((p) => p.toPublish),
    fromStep: phases.flatMap((p) => p.fromStep),
    frames: phases.reduce((n, p) => n + p.frames, 0),
    unattributed: phases.reduce((n, p) => n + p.unattributed, 0),
    wallMs: phases.reduce((n, p) => n + p.wallMs, 0),
    busEvents: phases.reduce((n, p) => n + p.busEvents, 0),
    delivered: phases.reduce((n, p) => n + p.delivered.reduce((a, b) => a + b, 0), 0),
    bytes: phases.reduce((n, p) => n + p.bytes.reduce((a, b) => a + b, 0), 0),
    complete: phases.every((p) => p.complete),
  };
}

export const benchmarks: Benchmark[] = [
  {
    id: 'sse-load',
    title: 'frame -> strategy decision p99 with 50 SSE clients vs none (runtime on the simulator)',
    async run(): Promise<BenchRow[]> {
      const load0 = (await import('node:os')).loadavg()[0]!;
      const ctx = await setup();
      try {
        // Warm-up: markets discovered, books and reference flowing, JIT warm on both paths.
        await runPhase(ctx, 0, 1_000);
        await runPhase(ctx, CLIENTS, 1_000);
        const none: Phase[] = [];
        const fifty: Phase[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const order = r % 2 === 0 ? [0, CLIENTS] : [CLIENTS, 0];
          for (const n of order) (n === 0 ? none : fifty).push(await runPhase(ctx, n, PER_PHASE));
        }
        const a = merge(none);
        const b = merge(fifty);
        const p99a = pct(a.toDispatch, 99);
        const p99b = pct(b.toDispatch, 99);
        const load1 = (await import('node:os')).loadavg()[0]!;
        const busPerSec = (x: { busEvents: number; wallMs: number }) => (x.busEvents * 1000) / x.wallMs;
        const notes = `load avg ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${(await import('node:os')).cpus().length} cores; ${ROUNDS} rounds ABBA`;
        const perClient = b.delivered / (CLIENTS * fifty.length);
        return [
          { id: 'SSE-L', figure: `frame -> decision p99, ${CLIENTS} SSE clients (${b.toDispatch.length} decisions)`, value: p99b, unit: 'ms', baseline: p99a, baselineLabel: `no client (${a.toDispatch.length} decisions)`, ratio: p99a / p99b, target: '<= 1.10x no-client p99', pass: p99b <= 1.1 * p99a, notes },
          { id: 'SSE-L', figure: `frame -> decision p50, ${CLIENTS} SSE clients`, value: pct(b.toDispatch, 50), unit: 'ms', baseline: pct(a.toDispatch, 50), baselineLabel: 'no client', target: 'informational' },
          { id: 'SSE-L', figure: `frame -> decision published (strategy output) p99, ${CLIENTS} clients`, value: pct(b.toPublish, 99), unit: 'ms', baseline: pct(a.toPublish, 99), baselineLabel: 'no client', target: 'informational' },
          { id: 'SSE-L', figure: `clock step (simulator sends) -> decision p99, ${CLIENTS} clients`, value: pct(b.fromStep, 99), unit: 'ms', baseline: pct(a.fromStep, 99), baselineLabel: 'no client', ratio: pct(a.fromStep, 99) / pct(b.fromStep, 99), target: 'informational (includes loopback and event-loop queueing)' },
          { id: 'SSE-L', figure: `clock step (simulator sends) -> decision p50, ${CLIENTS} clients`, value: pct(b.fromStep, 50), unit: 'ms', baseline: pct(a.fromStep, 50), baselineLabel: 'no client', ratio: pct(a.fromStep, 50) / pct(b.fromStep, 50), target: 'informational' },
          { id: 'SSE-L', figure: 'frames per phase / unattributed decisions', value: b.frames / fifty.length, unit: 'frames', baseline: a.frames / none.length, baselineLabel: 'no client', target: 'informational', notes: `unattributed (timer-driven) decisions: ${b.unattributed} with clients, ${a.unattributed} without` },
          { id: 'SSE-L', figure: 'bus events/s (wall) during the phases', value: busPerSec(b), unit: 'ev/s', baseline: busPerSec(a), baselineLabel: 'no client', target: 'informational' },
          { id: 'SSE-L', figure: 'SSE events delivered per client per phase', value: perClient, unit: 'events', baseline: b.busEvents / fifty.length, baselineLabel: 'bus events per phase', ratio: perClient / (b.busEvents / fifty.length), target: 'every client saw the last event', pass: b.complete },
          { id: 'SSE-L', figure: 'SSE bytes sent (all clients, all phases)', value: b.bytes, unit: 'B', target: 'informational' },
        ];
      } finally {
        await ctx.close();
      }
    },
  },
];
