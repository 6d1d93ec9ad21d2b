/**
 * A window slug as an operator reads it in a table, with its asset (several assets trade side by side):
 * `btc-updown-5m-1795241700` -> `BTC 5m 06:15` (start, UTC); `bitcoin-up-or-down-november-21-1am-et` -> `BTC 1h 1am ET`
 * (the hourly scheme names the opening hour on the US Eastern clock); any other text unchanged. Display only: rows are
 * placed in a series by series-scope.ts, never by this label.
 *
 * Invariants: pure and browser-safe; the asset names mirror bot/core/series.ts ASSET_NAMES (an unknown name is shown
 * upper-cased).
 */

const TICKER_BY_NAME: Record<string, string> = { bitcoin: 'BTC', ethereum: 'ETH', solana: 'SOL', xrp: 'XRP', dogecoin: 'DOGE', bnb: 'BNB', hyperliquid: 'HYPE' };
const UPDOWN_RE = /^([a-z0-9]{2,10})-updown-([1-9][0-9]{0,3}[mhd])-(\d{1,12})$/;
const HOURLY_RE = /^([a-z]+)-up-or-down-[a-z]+-\d{1,2}-(\d{1,2}(?:am|pm))-et$/;

export function windowLabel(slug: string): string {
  const u = UPDOWN_RE.exec(slug);
  if (u) return `${u[1]!.toUpperCase()} ${u[2]} ${new Date(Number(u[3]) * 1000).toISOString().slice(11, 16)}`;
  const h = HOURLY_RE.exec(slug);
  if (h) return `${TICKER_BY_NAME[h[1]!] ?? h[1]!.toUpperCase()} 1h ${h[2]} ET`;
  return slug;
}
