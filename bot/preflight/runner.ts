/**
 * Preflight runner: runs a list of stage definitions (each one check: endpoint reachable, clock skew, allowance,
 * ...) and produces the go/no-go report. Stages run concurrently unless one names another in `needs` (runs after
 * it and is skipped, naming it, when it failed) or `after` (only runs after it).
 *
 * Invariants: a stage never throws out of the runner (an exception is a `fail` with the message) and never runs
 * longer than its timeout on the injected Clock (then it is a `fail` that says so); the report lists the stages in
 * definition order whatever order they finish in; GO iff no stage failed (`summarize`).
 */
import type { PreflightReport, PreflightStage, PreflightStatus } from '../../lib/schemas/preflight';
import { summarize } from '../../lib/schemas/preflight';
import type { Clock } from '../clock';

export interface StageOutcome {
  status: PreflightStatus;
  detail: string;
  fix?: string;
}

export interface StageDef {
  id: string;
  title: string;
  /** Run after these; skipped when one of them failed. */
  needs?: string[];
  /** Run after these (whatever their result). */
  after?: string[];
  /** Clock ms before the stage is declared failed (default: the runner's). */
  timeoutMs?: number;
  run(): Promise<StageOutcome>;
}

export const ok = (detail: string): StageOutcome => ({ status: 'ok', detail });
export const warn = (detail: string, fix?: string): StageOutcome => ({ status: 'warn', detail, ...(fix ? { fix } : {}) });
export const fail = (detail: string, fix?: string): StageOutcome => ({ status: 'fail', detail, ...(fix ? { fix } : {}) });
export const skip = (detail: string): StageOutcome => ({ status: 'skip', detail });
/** `fail` when the check is required (live), `warn` when it is informational (paper). */
export const failIf = (required: boolean, detail: string, fix?: string): StageOutcome => (required ? fail(detail, fix) : warn(detail, fix));

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Run one stage with a timeout on the clock; never throws. */
export function runStage(clock: Clock, def: StageDef, timeoutMs: number): Promise<PreflightStage> {
  const started = clock.nowMs();
  const limit = def.timeoutMs ?? timeoutMs;
  return new Promise<StageOutcome>((resolve) => {
    const cancel = clock.after(limit, `preflight.timeout.${def.id}`, () => resolve(fail(`no answer within ${(limit / 1000).toFixed(0)} s (timed out)`, 'check the network path to this endpoint (firewall, proxy, DNS) and re-run')));
    let p: Promise<StageOutcome>;
    try {
      p = def.run();
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(
      (o) => {
        cancel();
        resolve(o);
      },
      (err: unknown) => {
        cancel();
        resolve(fail(`check failed: ${err instanceof Error ? err.message : String(err)}`));
      },
    );
  }).then((o) => ({
    id: def.id,
    title: def.title,
    status: o.status,
    detail: clip(o.detail, 500),
    ...(o.fix ? { fix: clip(o.fix, 500) } : {}),
    ms: Math.max(0, clock.nowMs() - started),
  }));
}

export interface RunOptions {
  clock: Clock;
  mode: 'paper' | 'live';
  venue: string;
  trigger: PreflightReport['trigger'];
  stageTimeoutMs?: number;
}

/** Run every stage (dependencies respected) and build the report. */
export async function runStages(defs: readonly StageDef[], o: RunOptions): Promise<PreflightReport> {
  const startedMs = o.clock.nowMs();
  const timeoutMs = o.stageTimeoutMs ?? 10_000;
  const ids = new Set(defs.map((d) => d.id));
  const results = new Map<string, Promise<PreflightStage>>();
  const get = (id: string): Promise<PreflightStage> => {
    const found = results.get(id);
    if (found) return found;
    const def = defs.find((d) => d.id === id)!;
    const needs = (def.needs ?? []).filter((n) => ids.has(n) && n !== id);
    const after = (def.after ?? []).filter((n) => ids.has(n) && n !== id);
    const p = Promise.all([...needs, ...after].map(get)).then((done) => {
      const failed = done.slice(0, needs.length).filter((s) => s.status === 'fail');
      if (failed.length > 0) return { id: def.id, title: def.title, status: 'skip' as const, detail: `skipped: ${failed.map((s) => s.title).join(', ')} failed`, ms: 0 };
      return runStage(o.clock, def, timeoutMs);
    });
    results.set(id, p);
    return p;
  };
  const stages = await Promise.all(defs.map((d) => get(d.id)));
  const { go, summary } = summarize(stages);
  return { go, mode: o.mode, venue: o.venue, trigger: o.trigger, startedMs, finishedMs: o.clock.nowMs(), stages, summary };
}
