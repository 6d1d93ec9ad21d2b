/**
 * A sweep as a child process: `node <SWEEP_NODE_FLAGS> --import <root>/node_modules/tsx/dist/loader.mjs
 * scripts/sweep.ts ...` with cwd = the project root (the sweep's worker threads load TypeScript through tsx, which the
 * Next server bundle cannot). SWEEP_NODE_FLAGS (bot/replay/sweep-flags.ts) are V8 launch flags for the GC.
 *
 * - Progress: the CLI writes `sweep i/N` lines on stderr when stderr is not a terminal and --json is not given, so
 *   the sweep runs without --json and its results are read from `<out>.json` (the CLI writes it in every mode).
 * - Cancel: SIGINT to the child's process group (the script, as Ctrl-C in a terminal: the script aborts its
 *   workers and exits 130); if it has not exited `killAfterMs` later, SIGKILL to the group. The group is also killed
 *   if the server process exits while the sweep runs.
 *
 * Invariants: stderr kept bounded (the last 20 lines, 300 characters each); the environment is minimal (PATH, HOME,
 * TMPDIR, DATA_DIR, NODE_ENV): no credentials or endpoints reach the child; the result promise never rejects.
 */
import 'server-only';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../../bot/clock';
import { SWEEP_NODE_FLAGS } from '../../bot/replay/sweep-flags';

export interface SweepProcessOptions {
  root: string;
  /** Arguments after `scripts/sweep.ts`. */
  args: readonly string[];
  dataDir: string;
  /** The `--out` prefix given in args: results are read from `<outPrefix>.json`. */
  outPrefix: string;
  clock: Clock;
  onProgress?: (done: number, total: number) => void;
  killAfterMs?: number;
}

export interface SweepProcessResult {
  status: 'done' | 'failed' | 'canceled';
  /** `<out>.json`: { runs, robustRanges } when done. */
  report?: unknown;
  error?: string;
  code: number | null;
  stderrTail: string[];
}

export interface SweepProcess {
  readonly pid: number | undefined;
  readonly result: Promise<SweepProcessResult>;
  cancel(): void;
}

const PROGRESS_RE = /^sweep (\d+)\/(\d+)$/;

/** tsx's module loader, as a file URL for `node --import`. */
export function tsxLoaderUrl(root: string): string {
  return pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
}

export function spawnSweep(o: SweepProcessOptions): SweepProcess {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? o.root, DATA_DIR: o.dataDir, NODE_ENV: process.env.NODE_ENV ?? 'production' };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  const child = spawn(process.execPath, [...SWEEP_NODE_FLAGS, '--import', tsxLoaderUrl(o.root), join(o.root, 'scripts', 'sweep.ts'), ...o.args], {
    cwd: o.root,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let canceled = false;
  let cancelTimer: (() => void) | undefined;
  const tail: string[] = [];
  let partial = '';
  const signalGroup = (sig: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  const onServerExit = () => signalGroup('SIGKILL');
  process.once('exit', onServerExit);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = (lines.pop() ?? '').slice(-1_000);
    for (const raw of lines) {
      const line = raw.trim();
      if (!line) continue;
      const m = PROGRESS_RE.exec(line);
      if (m) o.onProgress?.(Number(m[1]), Number(m[2]));
      else {
        tail.push(line.slice(0, 300));
        if (tail.length > 20) tail.shift();
      }
    }
  });
  const result = new Promise<SweepProcessResult>((resolve) => {
    const finish = async (code: number | null, spawnError?: Error) => {
      process.off('exit', onServerExit);
      cancelTimer?.();
      if (partial.trim()) tail.push(partial.trim().slice(0, 300));
      if (canceled) return resolve({ status: 'canceled', code, stderrTail: tail });
      if (spawnError || code !== 0) {
        const why = spawnError?.message ?? tail.at(-1) ?? `exit code ${code}`;
        return resolve({ status: 'failed', error: why, code, stderrTail: tail });
      }
      try {
        const report: unknown = JSON.parse(await readFile(`${o.outPrefix}.json`, 'utf8'));
        resolve({ status: 'done', report, code, stderrTail: tail });
      } catch (err) {
        resolve({ status: 'failed', error: `the sweep finished but its results are unreadable: ${err instanceof Error ? err.message : String(err)}`, code, stderrTail: tail });
      }
    };
    child.once('error', (err) => void finish(null, err));
    child.once('close', (code) => void finish(code));
  });
  return {
    pid: child.pid,
    result,
    cancel() {
      if (canceled) return;
      canceled = true;
      signalGroup('SIGINT');
      cancelTimer = o.clock.after(o.killAfterMs ?? 10_000, 'sweep-kill', () => signalGroup('SIGKILL'));
    },
  };
}
