/**
 * Window maths for BTC Up/Down markets: which window contains a time, its slug, its boundaries.
 *
 * Invariants:
 * - A window starts at an epoch multiple of its length (300 s for 5m, 900 s for 15m) and the slug carries
 *   the start in Unix seconds: `btc-updown-15m-<startSec>` (protocol reference §1.2).
 * - startMs <= t < endMs for the window returned by windowAt(t). Never derive a window from titles (DST).
 */
import type { Asset, WindowKind } from '../core/series';
export type { Asset, WindowKind };

export const WINDOW_SEC: Record<WindowKind, number> = { '5m': 300, '15m': 900 };

export interface MarketWindow {
  asset: Asset;
  kind: WindowKind;
  startMs: number;
  endMs: number;
  slug: string;
}

export function windowLengthMs(kind: WindowKind): number {
  return WINDOW_SEC[kind] * 1000;
}

export function slugFor(asset: Asset, kind: WindowKind, startMs: number): string {
  const len = windowLengthMs(kind);
  if (startMs % len !== 0) throw new RangeError(`window start ${startMs} is not aligned to ${kind}`);
  return `${asset}-updown-${kind}-${startMs / 1000}`;
}

export function windowStarting(asset: Asset, kind: WindowKind, startMs: number): MarketWindow {
  return { asset, kind, startMs, endMs: startMs + windowLengthMs(kind), slug: slugFor(asset, kind, startMs) };
}

/** The window that contains tMs. */
export function windowAt(asset: Asset, kind: WindowKind, tMs: number): MarketWindow {
  const len = windowLengthMs(kind);
  return windowStarting(asset, kind, Math.floor(tMs / len) * len);
}

/** The window after `w`. */
export function nextWindow(w: MarketWindow): MarketWindow {
  return windowStarting(w.asset, w.kind, w.endMs);
}

const SLUG_RE = /^(btc|eth|sol|xrp)-updown-(5m|15m)-(\d+)$/;

/** Parse a slug back into its window; undefined when it is not an aligned Up/Down slug. */
export function parseSlug(slug: string): MarketWindow | undefined {
  const m = SLUG_RE.exec(slug);
  if (!m) return undefined;
  const kind = m[2] as WindowKind;
  const startMs = Number(m[3]) * 1000;
  if (!Number.isSafeInteger(startMs) || startMs % windowLengthMs(kind) !== 0) return undefined;
  return windowStarting(m[1] as Asset, kind, startMs);
}

/** Seconds left in the window at tMs (0 after the end). */
export function secondsLeft(w: MarketWindow, tMs: number): number {
  return Math.max(0, (w.endMs - tMs) / 1000);
}
