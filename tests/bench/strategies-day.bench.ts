/**
 * Strategies on the harness (part of `npm run bench`), the speed figure that used to be asserted inside
 * tests/unit/strategies/sim-day.test.ts:
 * - harness-day: a simulated day (288 5m + 96 15m windows) with every strategy type in paper on the deterministic
 *   harness, in simulated seconds per wall second; the baseline is the same day with no strategy (path, synthetic
 *   books, lifecycle), measured in the same run. Bar: the day in under 45 s (>= 1,920 simulated s/s).
 */
import { dayStrategies } from '../unit/strategies/harness/day-strategies';
import { runDay } from '../unit/strategies/harness/runner';
import type { Benchmark, BenchRow } from './types';

const DAY_SEC = 86_400;

function timeDay(withStrategies: boolean): { wallMs: number; events: number } {
  const strategies = withStrategies ? dayStrategies() : [];
  const t0 = process.hrtime.bigint();
  const run = runDay({ seed: 'sim-day-1', seconds: DAY_SEC, strategies });
  return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, events: run.events };
}

export const benchmarks: Benchmark[] = [
  {
    id: 'harness-day',
    title: 'simulated day on the strategy harness, 7 strategy instances vs none',
    async run(): Promise<BenchRow[]> {
      const bare = timeDay(false);
      const full = timeDay(true);
      const rate = (DAY_SEC * 1000) / full.wallMs;
      const bareRate = (DAY_SEC * 1000) / bare.wallMs;
      return [
        {
          id: 'harness-day',
          figure: `simulated s per wall s (${full.events.toLocaleString('en-US')} strategy events, ${(full.wallMs / 1000).toFixed(1)} s)`,
          value: rate,
          unit: 'sim-s/s',
          baseline: bareRate,
          baselineLabel: 'harness without strategies',
          ratio: rate / bareRate,
          target: '>= 1,920 sim-s/s (a day in < 45 s)',
          pass: rate >= 1_920,
        },
      ];
    },
  },
];
