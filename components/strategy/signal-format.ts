/**
 * How the Strategy page writes signal figures (pure, shared by the cards and the e2e spec that checks them against
 * the API): raw values with a precision that follows their size, shares in [0, 1] with two decimals, weights with
 * three, directions as arrows, model outputs by type.
 *
 * Invariants: never throws; a missing or non-finite figure is '—'; no −0.
 */

const dash = '—';

/** A raw reading value in its own unit: 3 significant-ish decimals below 1, 2 up to 100, 1 above. */
export function fmtSignalValue(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return dash;
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** A share in [0, 1] (strength, confidence). */
export const fmtShare = (v: number | undefined | null): string => (v === undefined || v === null || !Number.isFinite(v) ? dash : v.toFixed(2));

/** A signal weight. */
export const fmtWeight = (v: number | undefined | null): string => (v === undefined || v === null || !Number.isFinite(v) ? dash : v.toFixed(3));

/** +1 ↑ (favours Up), −1 ↓, 0 · , absent —. */
export function fmtDirection(d: -1 | 0 | 1 | undefined): string {
  return d === 1 ? '↑' : d === -1 ? '↓' : d === 0 ? '·' : dash;
}

/** A model output: numbers as values, booleans yes / no, strings as they are. */
export function fmtModel(v: number | string | boolean): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return fmtSignalValue(v);
  return v;
}

/** A hit rate as a whole percentage. */
export const fmtPct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? dash : `${Math.round(v * 100)} %`);
