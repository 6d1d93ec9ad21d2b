/**
 * Strategy additions (issue 14 acceptance), part of `npm run bench` (`npm run bench -- strategy-additions` alone):
 * each addition of the maker (seed 003) and the trend window (seed 004) against the same strategy without it, on the
 * same sessions — two synthetic sessions of 2 h (simulator seeds additions-1, additions-2, generated once into
 * bench-results/cache; STRATEGY_ADDITIONS_SEEDS=1..5 and STRATEGY_ADDITIONS_HOURS=1..24 for more) and, for the maker,
 * the real sample slice (books only). The defaults keep the run near 4 min on 2 idle cores: a maker replay costs about
 * 10 CPU s per synthetic hour. Prints one table (PnL after fees with /
 * without / Δ, max drawdown, fill ratio, markout at 30 s, trades, verdict), writes it as JSON to
 * test-results/bench/strategy-additions.json and returns one bench row per addition (pass = not "loses while on by
 * default") plus the run time.
 *
 * The comparisons are data (`ADDITION_COMPARISONS`); a flag the strategy's schema does not know yet gives a
 * "flag not in schema yet" row, not a crash. Arms with identical configs (e.g. every "without" of the maker, all
 * flags off) are replayed once; the arms run as sweep points on 2 worker threads (bot/replay/sweep-pool.ts).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  canonicalJson, comparedRow, comparisonTable, resolveComparison, skippedRow, type AdditionComparison, type ArmMetrics, type ComparisonRow,
} from '../../bot/replay/addition-compare';
import { runSweep } from '../../bot/replay/sweep-pool';
import { prepareSweepShared } from '../../bot/replay/sweep-shared';
import { generateSynthetic, SYNTH_FORMAT_VERSION } from '../../bot/replay/synth';
import { defaultRuntimeConfig, defaultStrategies, type RuntimeConfig } from '../../lib/schemas/config';
import type { ArmTaskOptions } from './strategy-additions-task';
import type { Benchmark, BenchRow } from './types';

const MAKER = 'two-sided-maker';
const TREND = 'trend-window';
const on = (flag: string, addition: string): AdditionComparison => ({ strategyType: MAKER, addition, withPatch: { [flag]: true }, withoutPatch: { [flag]: false } });

/** Each addition against the strategy without it; everything not in the patches is the strategy's default. */
export const ADDITION_COMPARISONS: readonly AdditionComparison[] = [
  on('enableFlowSignals', 'flow signals'),
  on('enableRegime', 'liquidity regime'),
  on('enableCompetitor', 'competitor response'),
  on('enableTimePatterns', 'time patterns'),
  on('enableMarkoutGuard', 'markout guard'),
  on('enableKelly', 'Kelly sizing'),
  on('enableStaleCleanup', 'stale-order cleanup'),
  on('enableArbitrage', 'complete-set arbitrage (existing)'),
  { strategyType: TREND, addition: 'external signals (put/call, fear & greed)', withPatch: { enableVeto: true, weights: { putCallRatio: 0.1, fearGreed: 0.05 } }, withoutPatch: { enableVeto: true, weights: { putCallRatio: 0, fearGreed: 0 } } },
  { strategyType: TREND, addition: 'learning engine', withPatch: { enableVeto: true, learningEnabled: true }, withoutPatch: { enableVeto: true, learningEnabled: false } },
  { strategyType: TREND, addition: 'signal veto (existing)', withPatch: { enableVeto: true }, withoutPatch: { enableVeto: false } },
];

/** Params every arm of a type starts from (the maker is off in the default config). */
const BASE_PARAMS: Record<string, Record<string, unknown>> = { [MAKER]: { enabled: true }, [TREND]: {} };
const INSTANCE_ID: Record<string, string> = { [MAKER]: 'maker', [TREND]: 'trend-window' };
const envInt = (name: string, dflt: number, max: number): number => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${name} must be an integer in 1..${max} (got ${process.env[name]})`);
  return v;
};
const SYNTH_SEEDS = Array.from({ length: envInt('STRATEGY_ADDITIONS_SEEDS', 2, 5) }, (_, i) => `additions-${i + 1}`);
const SYNTH_HOURS = envInt('STRATEGY_ADDITIONS_HOURS', 2, 24);
const SAMPLE = resolve('samples', 'polymarket-btc-5m-books');
const CACHE = resolve('bench-results', 'cache');
const OUT = resolve('test-results', 'bench', 'strategy-additions.json');
const WORKERS = 2;
const TIME_BAR_SEC = 300;

async function syntheticSessions(): Promise<string[]> {
  const dirs: string[] = [];
  for (const seed of SYNTH_SEEDS) {
    // Keyed on the generator's format version: a session cached before a format change is not reused.
    const name = `${seed}-${SYNTH_HOURS}h-v${SYNTH_FORMAT_VERSION}`;
    const dir = join(CACHE, name);
    if (!existsSync(join(dir, 'manifest.json'))) {
      mkdirSync(CACHE, { recursive: true });
      process.stderr.write(`  generating synthetic session ${seed} (${SYNTH_HOURS} h, once) ...\n`);
      await generateSynthetic({ hours: SYNTH_HOURS, seed, dir, id: name });
    }
    dirs.push(dir);
  }
  return dirs;
}

function armConfig(type: string, params: Record<string, unknown>): RuntimeConfig {
  const config = defaultRuntimeConfig();
  const budgetUsd = defaultStrategies.find((s) => s.type === type)?.budgetUsd ?? 50;
  return { ...config, strategies: [{ id: INSTANCE_ID[type] ?? type, type, budgetUsd, params }] };
}

function armMetrics(m: Record<string, number | string>): ArmMetrics {
  return {
    pnlUsd: Number(m.pnl_usd), feesUsd: Number(m.fees_usd), maxDrawdownUsd: Number(m.max_drawdown), fillRatio: Number(m.fill_ratio),
    markout30s: m.markout_30s === undefined ? null : Number(m.markout_30s), trades: Number(m.trades), fills: Number(m.fills), ledgers: String(m.ledgers),
  };
}

export interface AdditionsResult {
  rows: ComparisonRow[];
  seconds: number;
  /** CPU seconds of the whole process (worker threads included): the figure a loaded machine does not inflate. */
  cpuSeconds: number;
  arms: number;
  sessions: { maker: string[]; trendWindow: string[] };
}

/** Resolve every comparison, replay each distinct arm once (sweep workers) and build the rows. */
export async function compareAdditions(comparisons: readonly AdditionComparison[] = ADDITION_COMPARISONS): Promise<AdditionsResult> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const synth = await syntheticSessions();
  const sessionsOf = (type: string) => (type === MAKER ? [...synth, SAMPLE] : synth);
  const arms: ArmTaskOptions['arms'] = [];
  const armIndex = new Map<string, number>();
  const armOf = (type: string, params: Record<string, unknown>, parsedKey: string): number => {
    const sessions = sessionsOf(type);
    const key = canonicalJson({ type, parsedKey, sessions });
    let i = armIndex.get(key);
    if (i === undefined) {
      i = arms.push({ config: armConfig(type, params), sessions }) - 1;
      armIndex.set(key, i);
    }
    return i;
  };
  const plans = comparisons.map((c) => {
    const r = resolveComparison(c, BASE_PARAMS[c.strategyType] ?? {});
    return { c, r, arms: r.ok ? [armOf(c.strategyType, r.withParams, r.withKey), armOf(c.strategyType, r.withoutParams, r.withoutKey)] as const : undefined };
  });
  const needsSample = arms.some((a) => a.sessions.includes(SAMPLE));
  const sweep = arms.length === 0 ? { rows: [] } : await runSweep({
    points: arms.map((_, i) => ({ index: i, params: { arm: i } })), sessions: [], workers: Math.min(WORKERS, arms.length),
    task: resolve('tests', 'bench', 'strategy-additions-task.ts'), taskOptions: { arms } satisfies ArmTaskOptions,
    ...(needsSample ? { shared: prepareSweepShared([SAMPLE], {}) } : {}),
    onProgress: (done, total) => process.stderr.write(`  arm ${done}/${total}\n`),
  });
  const rows = plans.map(({ c, r, arms: pair }) => {
    const n = sessionsOf(c.strategyType).length;
    if (!r.ok) return skippedRow(c, n, r.status, r.message);
    const [w, wo] = [sweep.rows[pair![0]]!, sweep.rows[pair![1]]!];
    if (w.error || wo.error) return skippedRow(c, n, 'failed', (w.error ?? wo.error)!);
    return comparedRow(c, n, r.defaultOn, armMetrics(w.metrics), armMetrics(wo.metrics));
  });
  const cpu = process.cpuUsage(cpu0);
  return { rows, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, arms: arms.length, sessions: { maker: sessionsOf(MAKER), trendWindow: sessionsOf(TREND) } };
}

export const benchmarks: Benchmark[] = [
  {
    id: 'strategy-additions',
    title: 'strategy additions vs the strategy without them, same sessions (PnL after fees, DD, fill %, markout)',
    async run(): Promise<BenchRow[]> {
      const r = await compareAdditions();
      const head = `Strategy additions: ${r.sessions.maker.length} maker sessions (${SYNTH_SEEDS.length} synthetic ${SYNTH_HOURS} h + real sample), `
        + `${r.sessions.trendWindow.length} trend-window sessions; ${r.arms} distinct arms on ${WORKERS} workers in ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(0)} CPU s)`;
      console.log(`\n${head}\n${comparisonTable(r.rows)}\n`);
      mkdirSync(resolve('test-results', 'bench'), { recursive: true });
      writeFileSync(OUT, `${JSON.stringify({ at: new Date().toISOString(), seconds: r.seconds, cpuSeconds: r.cpuSeconds, arms: r.arms, sessions: r.sessions, rows: r.rows }, null, 2)}\n`);
      const rows: BenchRow[] = r.rows.map((x) => ({
        id: 'strategy-additions',
        figure: `${x.strategyType} ${x.addition}: Δ PnL after fees (with − without)`,
        value: x.deltaPnlUsd ?? NaN,
        unit: 'USD',
        ...(x.without ? { baseline: x.without.pnlUsd, baselineLabel: 'without' } : {}),
        target: 'a loser is off by default',
        ...(x.status === 'compared' ? { pass: x.offByDefaultOk } : {}),
        notes: x.status === 'compared' ? `${x.verdict}${x.identicalLedgers ? ' (same ledgers)' : ''}${x.defaultOn ? ', on by default' : ''}` : `${x.status}: ${x.message ?? ''}`,
      }));
      rows.push({ id: 'strategy-additions', figure: `run time (${r.arms} arms, JSON in ${OUT})`, value: r.seconds, unit: 's', target: `< ${TIME_BAR_SEC} s`, pass: r.seconds < TIME_BAR_SEC, notes: `${r.cpuSeconds.toFixed(0)} CPU s (worker threads included)` });
      return rows;
    },
  },
];
