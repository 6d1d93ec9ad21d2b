/**
 * The Feeds page's shared time axis: the domain every chart and the status timeline use (the snapshot's window, cut
 * to where data begins), round tick times and their UTC labels, and the series colours.
 *
 * Invariants: pure; startMs < endMs; at most MAX_TICKS ticks, all inside the domain.
 */
import type { FeedsSnapshot } from '../../lib/schemas/feeds';

export interface TimeDomain {
  startMs: number;
  endMs: number;
}

const MIN_SPAN_MS = 20_000;
const MAX_TICKS = 6;
const STEPS_MS = [5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000];

/** From the earliest point (any asset's) / interval / rate sample in the window to the snapshot's now (≥ MIN_SPAN_MS). */
export function timeDomain(s: FeedsSnapshot): TimeDomain {
  const endMs = s.nowMs;
  let first = endMs;
  for (const a of s.assets) if (a.points[0]) first = Math.min(first, a.points[0].tMs);
  for (const f of s.feeds) {
    if (f.intervals[0]) first = Math.min(first, f.intervals[0].startMs);
    if (f.rate[0]) first = Math.min(first, f.rate[0].tMs);
  }
  const startMs = Math.max(endMs - s.windowMs, Math.min(first, endMs - MIN_SPAN_MS));
  return { startMs, endMs };
}

/** Round tick times (multiples of a step) inside the domain. */
export function timeTicks(d: TimeDomain, maxTicks = MAX_TICKS): number[] {
  const span = d.endMs - d.startMs;
  const step = STEPS_MS.find((s) => span / s <= maxTicks) ?? STEPS_MS[STEPS_MS.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(d.startMs / step) * step; t <= d.endMs; t += step) out.push(t);
  return out;
}

/** hh:mm:ss UTC (hh:mm when the ticks are whole minutes). */
export function formatTick(ms: number, wholeMinutes: boolean): string {
  const iso = new Date(ms).toISOString();
  return wholeMinutes ? iso.slice(11, 16) : iso.slice(11, 19);
}

export function ticksAreMinutes(ticks: readonly number[]): boolean {
  return ticks.length > 0 && ticks.every((t) => t % 60_000 === 0);
}

export const seriesColor = {
  ref: '#38bdf8',
  twap: '#a78bfa',
  spot: '#f59e0b',
  spotRef: '#f59e0b',
  refTwap: '#a78bfa',
} as const;

export const feedColor: Record<string, string> = {
  'clob-market': '#22c55e',
  'clob-user': '#14b8a6',
  polybolt: '#38bdf8',
  rtds: '#60a5fa',
  spot: '#f59e0b',
};

export const feedLabel: Record<string, string> = { 'clob-market': 'CLOB market', 'clob-user': 'CLOB user', polybolt: 'PolyBolt ref', rtds: 'RTDS ref', spot: 'Spot' };
