/**
 * A window slug as an operator reads it in a table, with its asset (several assets trade side by side):
 * `btc-updown-5m-1795241700` -> `BTC 5m 06:15` (start, UTC); `bitcoin-up-or-down-november-21-1am-et` -> `BTC 1h 1am ET`
 * (the hourly scheme names the opening hour on the US Eastern clock); any other text unchanged. Display only: rows are
 * placed in a series by series-scope.ts, never by this label.
 *
 * Invariants: pure and browser-safe; slugs are read by lib/schemas/series.ts `parseSeriesSlug` (the same reading as
 * the bot's), so an asset's ticker comes from its one name table (an unknown name is shown upper-cased).
 */
import { parseSeriesSlug } from '../../lib/schemas/series';

export function windowLabel(slug: string): string {
  const p = parseSeriesSlug(slug);
  if (!p) return slug;
  const ticker = p.asset.toUpperCase();
  if (p.scheme === 'updown') return `${ticker} ${p.kind} ${new Date(p.startSec * 1000).toISOString().slice(11, 16)}`;
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return `${ticker} 1h ${h12}${p.hour < 12 ? 'am' : 'pm'} ET`;
}
