/**
 * How the Feeds page's External signals panel writes each figure (browser-safe, no React), shared with the e2e spec
 * that checks the page against GET /api/feeds. '—' for a missing value.
 */
import type { ExternalSignalRow } from '../../lib/schemas/external-signals';

/** The source's own figure: a put/call ratio (0.734) or an index (54.0), four significant digits at most. */
export function formatSignalRaw(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const dp = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 3;
  return v.toFixed(dp);
}

/** A score in [-1, 1] with its sign: +0.35, −0.12, 0.00. */
export function formatSignalScore(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const r = Math.round(v * 100) / 100;
  return r > 0 ? `+${r.toFixed(2)}` : r < 0 ? `−${Math.abs(r).toFixed(2)}` : '0.00';
}

export function formatSignalDirection(d: ExternalSignalRow['direction']): string {
  return d === 1 ? '▲ up' : d === -1 ? '▼ down' : d === 0 ? 'flat' : '—';
}

/** A fraction in [0, 1] as a whole percentage: 72 %. */
export function formatFraction(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)} %`;
}

/** Age of the value served to strategies now: its age at the poll plus the time since (null: nothing served). */
export function servedAgeNow(r: Pick<ExternalSignalRow, 'servedAgeMs' | 'polledMs'>, nowMs: number): number | null {
  return r.servedAgeMs === null ? null : r.servedAgeMs + Math.max(0, nowMs - r.polledMs);
}
