/** Formatting helpers shared by pages (browser-safe, no dependencies). */

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return d > 0 ? `${d}d ${pad(h)}:${pad(m)}:${pad(sec)}` : `${pad(h)}:${pad(m)}:${pad(sec)}`;
}

export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return '—';
  if (perSec >= 1000) return `${(perSec / 1000).toFixed(1)}k/s`;
  return `${perSec.toFixed(perSec < 10 ? 1 : 0)}/s`;
}

export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(11, 23);
}

export function formatUsd(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return '—';
  const sign = v < 0 ? '−' : '';
  return `${sign}$${Math.abs(v).toFixed(digits)}`;
}

// --- Trading dashboard: prices, PnL, countdowns and the distance to the price to beat (pure, browser-safe). ---

/** An outcome-token price (probability): 2 dp, 3 dp when the value needs it (0.001 ticks near 0 and 1), or `dp` fixed. */
export function formatProb(p: number | null | undefined, dp?: 2 | 3): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (dp) return p.toFixed(dp);
  const three = Math.round(p * 1000);
  return three % 10 === 0 ? p.toFixed(2) : p.toFixed(3);
}

/** Decimals for a book column: 3 on a 0.001 tick (or when any price needs it), else 2, so a column stays aligned. */
export function probDigits(tickSize: number | null | undefined, prices: readonly (number | null | undefined)[] = []): 2 | 3 {
  if (tickSize != null && tickSize < 0.01) return 3;
  return prices.some((p) => p != null && Number.isFinite(p) && Math.round(p * 1000) % 10 !== 0) ? 3 : 2;
}

/** BTC in US dollars with thousands separators and 2 dp: 97,123.45. */
export function formatBtcUsd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Money with an explicit sign: +$1.20, −$0.35, $0.00. */
export function formatSignedUsd(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const r = Number(v.toFixed(digits));
  if (r === 0) return `$${(0).toFixed(digits)}`;
  return `${r > 0 ? '+' : '−'}$${Math.abs(r).toFixed(digits)}`;
}

/** -1, 0 or 1 after rounding to cents (what colour a PnL figure gets). */
export function pnlSign(v: number | null | undefined, digits = 2): -1 | 0 | 1 {
  if (v === null || v === undefined || !Number.isFinite(v)) return 0;
  const r = Number(v.toFixed(digits));
  return r > 0 ? 1 : r < 0 ? -1 : 0;
}

/** Time left as m:ss (h:mm:ss from an hour); 0:00 once past; '—' when unknown. */
export function formatCountdown(msLeft: number | null | undefined): string {
  if (msLeft === null || msLeft === undefined || !Number.isFinite(msLeft)) return '—';
  const s = Math.max(0, Math.ceil(msLeft / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A short age: 850 ms, 4.2 s, 3 m 05 s. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** Reference minus price to beat, in USD and basis points of the price to beat (null when either is unknown). */
export function distanceToBeat(referenceUsd: number | null | undefined, priceToBeatUsd: number | null | undefined): { usd: number; bps: number } | null {
  if (referenceUsd == null || priceToBeatUsd == null || !Number.isFinite(referenceUsd) || !Number.isFinite(priceToBeatUsd) || priceToBeatUsd <= 0) return null;
  const usd = referenceUsd - priceToBeatUsd;
  return { usd, bps: (usd / priceToBeatUsd) * 10_000 };
}

/** Basis points with a sign and 1 dp: +12.3 bps. */
export function formatBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return '—';
  const r = Number(bps.toFixed(1));
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(1)} bps`;
}

/** Shares: integers plain, fractions with up to 2 dp. */
export function formatShares(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, '');
}

/** A window slug as an operator reads it: `btc-updown-5m-1795241700` -> `5m 06:15` (start, UTC); other text unchanged. */
export function shortSlug(slug: string): string {
  const m = /^[a-z]+-updown-(\d+[mhd])-(\d+)$/.exec(slug);
  if (!m) return slug;
  return `${m[1]} ${new Date(Number(m[2]) * 1000).toISOString().slice(11, 16)}`;
}

/** UTC clock time hh:mm:ss. */
export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(11, 19);
}
