/**
 * Both ends of the crash-restart battery's (B11) child process. `Child` (the test's end) spawns this file with
 * `node --import tsx` (no tsx CLI wrapper process: the SIGKILL must end the very process the test spawned). The
 * spawned process (env `B11_CHILD` set) runs one live runtime
 * (createRuntime, the production composition root) over a simulator that runs in the PARENT (its URLs in the
 * spec), on a sqlite store file, on a ScaledClock anchored like the parent's so both share one timeline.
 * `UPDOWN_CRASH_AT` (bot/util/crash-points.ts) is passed through the environment when the parent wants a crash.
 *
 * Input: env `B11_CHILD` = JSON ChildSpec. Output: one JSON object per stdout line (pipes are synchronous on
 * Linux, so a line written before a SIGKILL reaches the parent):
 *   {t:'started', state}            runtime.start resolved
 *   {t:'reconciled', ok, reason?, snapshot}   the FIRST reconcile.completed, with the tracker and journal as
 *                                   they are in that same turn (before anything else can change them)
 *   {t:'armed'}                     live trading armed (requested at start: armed when the preflight says GO)
 *   {t:'order', clientTag, state, prevState, reason?, salt?}   every order.state event
 *   {t:'fill', key, size}           every order.filled event
 *   {t:'log', line}                 every line the runtime's pino logger wrote (the parent searches them for secrets)
 *   {t:'fatal', message}            main() threw
 * Command (stdin line): `exit` (dispose the runtime, exit 0). SIGTERM does the same.
 *
 * Invariant: this harness never places, cancels or fixes anything itself; everything the venue sees comes from
 * the runtime's own strategy, risk, engine and reconciliation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { clockFor, createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import type { VenueEndpoints } from '../../../bot/core';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import { createLogger } from '../../../bot/util/logger';

export interface ChildSpec {
  storeFile: string;
  endpoints: VenueEndpoints;
  privateKey: string;
  clock: { startMs: number; speed: number; realStartMs: number };
  seed: number;
  /** Time-bucket parameters (the one strategy this child runs). */
  strategyParams: Record<string, unknown>;
}

export interface SnapshotOrder {
  clientTag: string;
  orderId?: string;
  salt?: number;
  state: string;
  filledSize: number;
  reason?: string;
}
export interface SnapshotFill {
  key: string;
  tradeId: string;
  orderId: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  feeUsd: number;
  status: string;
}
export interface ChildSnapshot {
  address: string;
  tracker: { orders: SnapshotOrder[]; fills: SnapshotFill[]; positions: { tokenId: string; shares: number; settled: boolean; payoutUsd: number }[] };
  journal: { orders: SnapshotOrder[]; fills: SnapshotFill[] };
}

function out(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const order = (o: SnapshotOrder): SnapshotOrder => ({
  clientTag: o.clientTag,
  ...(o.orderId ? { orderId: o.orderId } : {}),
  ...(o.salt !== undefined ? { salt: o.salt } : {}),
  state: o.state,
  filledSize: o.filledSize,
  ...(o.reason ? { reason: o.reason } : {}),
});
const fill = (f: SnapshotFill): SnapshotFill => ({ key: f.key, tradeId: f.tradeId, orderId: f.orderId, side: f.side, price: f.price, size: f.size, feeUsd: f.feeUsd, status: f.status });

function snapshot(rt: Runtime, store: Store): ChildSnapshot {
  const session = rt.session!;
  const tracker = session.stack!.tracker;
  return {
    address: (session.credentials?.address ?? '').toLowerCase(),
    tracker: {
      orders: tracker.all().map(order),
      fills: tracker.allFills().map(fill),
      positions: tracker.positions.all().map((p) => ({ tokenId: p.tokenId, shares: p.shares, settled: p.settled, payoutUsd: p.payoutUsd })),
    },
    journal: { orders: store.journal.loadOrders().map(order), fills: store.journal.loadFills().map(fill) },
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.env.B11_CHILD ?? '') as ChildSpec;
  const config = runtimeConfigSchema.parse({
    mode: 'live',
    venue: 'sim',
    sim: { seed: spec.seed, speed: spec.clock.speed },
    series: [{ asset: 'btc', windowSec: 900 }],
    strategies: [{ id: 'time-bucket', type: 'time-bucket', budgetUsd: 30, params: { windowSecs: [900], ...spec.strategyParams } }],
  });
  const store = openStore(spec.storeFile);
  const clock = clockFor(config, spec.clock);
  const rt = createRuntime({
    instanceId: 'b11-child',
    version: 'test',
    config,
    clock,
    store,
    endpoints: spec.endpoints,
    credentials: { privateKey: spec.privateKey, signatureType: 0 },
    logger: createLogger({ level: 'debug', name: 'b11-child', destination: { write: (line: string) => out({ t: 'log', line: line.trimEnd() }) } }),
  });
  let reconciled = false;
  rt.bus.on('reconcile.completed', (e) => {
    if (reconciled) return;
    reconciled = true;
    out({ t: 'reconciled', ok: e.ok, ...(e.reason ? { reason: e.reason } : {}), snapshot: snapshot(rt, store) });
  });
  rt.bus.on('arming.changed', (e) => {
    if (e.armed) out({ t: 'armed' });
  });
  rt.bus.on('order.state', (e) => {
    const salt = rt.session?.stack?.tracker.get(e.clientId)?.salt;
    out({ t: 'order', clientTag: e.clientTag, state: e.state, prevState: e.prevState, ...(e.reason ? { reason: e.reason } : {}), ...(salt !== undefined ? { salt } : {}) });
  });
  rt.bus.on('order.filled', (e) => out({ t: 'fill', key: `${e.tradeId}:${e.orderId}`, size: e.size }));

  let exiting = false;
  const exit = async (code: number) => {
    if (exiting) return;
    exiting = true;
    await rt.dispose('b11 child exit').catch(() => undefined);
    store.close();
    process.exit(code);
  };
  process.once('SIGTERM', () => void exit(0));
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'exit') void exit(0);
  });

  const state = await rt.start('b11');
  out({ t: 'started', state, ...(rt.status().lastError ? { error: rt.status().lastError } : {}) });
  if (state !== 'running') return exit(1);
  rt.session!.arming.armWhenReady({ actor: 'operator(b11)', reason: 'crash-restart battery' });
}

export type Line = Record<string, unknown> & { t: string };

/** The parent's end: spawn this file as a child process, read its JSON lines, send commands, see how it ended. */
export class Child {
  readonly lines: Line[] = [];
  stderr = '';
  /** Every stderr chunk (at most 10,000; searched for secrets with the stdout lines). */
  readonly stderrChunks: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly proc: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(spec: ChildSpec, crashAt?: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, B11_CHILD: JSON.stringify(spec) };
    delete env.UPDOWN_CRASH_AT;
    if (crashAt) env.UPDOWN_CRASH_AT = crashAt;
    this.proc = spawn(process.execPath, ['--import', 'tsx', __filename], { cwd: join(__dirname, '..', '..', '..'), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    this.proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (text.startsWith('{')) this.lines.push(parseLine(text));
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.proc.stderr!.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      this.stderr = (this.stderr + text).slice(-4000);
      if (this.stderrChunks.length < 10_000) this.stderrChunks.push(text);
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of this.waiters.splice(0)) w();
    }));
  }

  send(cmd: string): void {
    this.proc.stdin!.write(`${cmd}\n`);
  }

  /** The first line that matches, waiting at most `ms` of real time (woken by every new line). */
  async waitFor(pred: (l: Line) => boolean, ms: number): Promise<Line> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.lines.find(pred);
      if (hit) return hit;
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error(`child ended before the line came; last lines: ${this.tail()}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching line within ${ms} ms; last lines: ${this.tail()}\n${this.stderr}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** How the process ended, waiting at most `ms` of real time. */
  async waitExit(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${ms} ms; last lines: ${this.tail()}\n${this.stderr}`)), ms);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  tail(): string {
    return this.lines.slice(-5).map((l) => JSON.stringify(l).slice(0, 300)).join('\n');
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

function parseLine(text: string): Line {
  try {
    return JSON.parse(text) as Line;
  } catch {
    return { t: 'unparsed', text };
  }
}

// Only the spawned process runs the runtime; the test imports this file for the types and the Child class.
if (process.env.B11_CHILD) {
  main().catch((err) => {
    out({ t: 'fatal', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });
}
