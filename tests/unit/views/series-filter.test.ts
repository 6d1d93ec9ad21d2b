/**
 * The console's series filter as data (components/ui/series-scope.ts) and the audit page's series placement
 * (components/audit/audit-series.ts): the URL round trip keeps other parameters and drops malformed values, rows are
 * placed by their slug against the configured series (BTC and ETH 5m / 15m, BTC hourly), a filter passes exactly the
 * rows of its series, and the Book page asks for the same series on the server and in the browser.
 */
import { describe, expect, it } from 'vitest';
import { auditEntryInScope, auditSeriesKeys } from '../../../components/audit/audit-series';
import { bookQueryString, bookSeriesQueryOf } from '../../../components/book/book-query';
import { windowLabel } from '../../../components/ui/window-label';
import { facets, inScope, NO_SCOPE, scopedOptions, scopeFromParams, scopeLabel, scopeToQuery, seriesOfSlug, slugMatcher, type SeriesOption } from '../../../components/ui/series-scope';

const opt = (asset: string, windowSec: number, kind: string, slugPrefix: string, slugSuffix = '', enabled = true): SeriesOption => ({ key: `${asset}-${windowSec}`, asset, kind, windowSec, enabled, slugPrefix, slugSuffix });
const OPTIONS: SeriesOption[] = [
  opt('btc', 300, '5m', 'btc-updown-5m-'),
  opt('btc', 900, '15m', 'btc-updown-15m-'),
  opt('eth', 300, '5m', 'eth-updown-5m-'),
  opt('eth', 900, '15m', 'eth-updown-15m-', '', false),
  opt('btc', 3_600, '1h', 'bitcoin-up-or-down-', '-et'),
];
const SLUGS = {
  btc5: 'btc-updown-5m-1795242000',
  btc15: 'btc-updown-15m-1795241700',
  eth5: 'eth-updown-5m-1795242000',
  eth15: 'eth-updown-15m-1795241700',
  btc1h: 'bitcoin-up-or-down-november-21-1am-et',
  sol5: 'sol-updown-5m-1795242000',
};

describe('series scope in the URL', () => {
  it('reads asset, kind and series, ignoring malformed values', () => {
    expect(scopeFromParams(new URLSearchParams('asset=eth&kind=15m&series=eth-900&id=x'))).toEqual({ asset: 'eth', kind: '15m', series: 'eth-900' });
    expect(scopeFromParams(new URLSearchParams('asset=ETH&kind=15&series=5m'))).toEqual(NO_SCOPE);
    expect(scopeFromParams(new URLSearchParams('asset=<script>&kind=1h'))).toEqual({ asset: null, kind: '1h', series: null });
  });

  it('writes the scope and keeps every other parameter', () => {
    expect(scopeToQuery('id=late-sweep&asset=btc', { asset: 'eth', kind: '5m', series: null })).toBe('id=late-sweep&asset=eth&kind=5m');
    expect(scopeToQuery('asset=eth&kind=5m&series=eth-300&x=1', NO_SCOPE)).toBe('x=1');
    const q = scopeToQuery('', { asset: 'btc', kind: null, series: 'btc-3600' });
    expect(scopeFromParams(new URLSearchParams(q))).toEqual({ asset: 'btc', kind: null, series: 'btc-3600' });
  });
});

describe('placing rows by slug', () => {
  it('finds each slug\'s series by its prefix and suffix, and none for an unconfigured series', () => {
    expect(Object.fromEntries(Object.entries(SLUGS).map(([k, s]) => [k, seriesOfSlug(s, OPTIONS)?.key ?? null]))).toEqual({
      btc5: 'btc-300', btc15: 'btc-900', eth5: 'eth-300', eth15: 'eth-900', btc1h: 'btc-3600', sol5: null,
    });
    expect(seriesOfSlug('btc-updown-5m-', OPTIONS)).toBeUndefined(); // a bare prefix is no window
    expect(seriesOfSlug('bitcoin-up-or-down-on-december-1', OPTIONS)).toBeUndefined(); // a daily slug is not the hourly series
  });

  it('passes exactly the rows of the scope; everything without a scope', () => {
    const pass = (scope: Parameters<typeof slugMatcher>[0]) => Object.entries(SLUGS).filter(([, s]) => slugMatcher(scope, OPTIONS)(s)).map(([k]) => k);
    expect(pass(NO_SCOPE)).toEqual(['btc5', 'btc15', 'eth5', 'eth15', 'btc1h', 'sol5']);
    expect(pass({ asset: 'eth', kind: null, series: null })).toEqual(['eth5', 'eth15']);
    expect(pass({ asset: null, kind: '5m', series: null })).toEqual(['btc5', 'eth5']);
    expect(pass({ asset: 'btc', kind: '1h', series: null })).toEqual(['btc1h']);
    expect(pass({ asset: null, kind: null, series: 'btc-900' })).toEqual(['btc15']);
    expect(pass({ asset: 'eth', kind: null, series: 'btc-900' })).toEqual([]); // contradicting parts pass nothing
    expect(slugMatcher({ asset: 'btc', kind: null, series: null }, OPTIONS)(null)).toBe(false);
  });

  it('lists the facets and the options in scope, and labels the scope', () => {
    expect(facets(OPTIONS)).toEqual({ assets: ['btc', 'eth'], kinds: ['5m', '15m', '1h'] });
    expect(scopedOptions({ asset: null, kind: '15m', series: null }, OPTIONS).map((o) => o.key)).toEqual(['btc-900', 'eth-900']);
    expect(inScope({ asset: 'eth', kind: '15m', series: null }, OPTIONS[3]!)).toBe(true); // switched off is still in scope
    expect(scopeLabel({ asset: 'eth', kind: null, series: null })).toBe('ETH · all lengths');
    expect(scopeLabel({ asset: null, kind: null, series: 'btc-3600' }, OPTIONS)).toBe('BTC 1h');
    expect(scopeLabel(NO_SCOPE)).toBe('all series');
  });
});

describe('audit entries by series', () => {
  it('places an entry by its config diff paths or by series keys and window slugs in its detail', () => {
    const added = { diff: [{ path: 'series.eth-900', to: '{"asset":"eth"}' }, { path: 'risk.maxUsdPerTrade', from: '5', to: '6' }], detail: {} };
    const cancel = { diff: null, detail: { reason: 'series removed', orders: [{ windowSlug: SLUGS.btc1h }] } };
    const halt = { diff: null, detail: { state: 'halted', reason: 'daily loss' } };
    const removed = { diff: [{ path: 'series.sol-300.enabled', from: 'true', to: 'false' }], detail: {} };
    expect([...auditSeriesKeys(added, OPTIONS)]).toEqual(['eth-900']);
    expect([...auditSeriesKeys(cancel, OPTIONS)]).toEqual(['btc-3600']);
    expect([...auditSeriesKeys(halt, OPTIONS)]).toEqual([]);
    const eth = { asset: 'eth', kind: null, series: null };
    expect([added, cancel, halt, removed].map((e) => auditEntryInScope(e, eth, OPTIONS))).toEqual([true, false, false, false]);
    // A series the config no longer lists is still placed by its key's asset (its length is unknown).
    expect(auditEntryInScope(removed, { asset: 'sol', kind: null, series: null }, OPTIONS)).toBe(true);
    expect(auditEntryInScope(removed, { asset: 'sol', kind: '5m', series: null }, OPTIONS)).toBe(false);
  });
});

describe('the Book page\'s series query', () => {
  it('is the same from the server\'s search params and the browser\'s URL, and reads an old `series=5m` as a length', () => {
    const server = (raw: Record<string, string>) => bookQueryString(bookSeriesQueryOf({ get: (n) => raw[n] ?? null }));
    const browser = (qs: string) => bookQueryString(bookSeriesQueryOf(new URLSearchParams(qs)));
    expect(server({ kind: '15m', asset: 'eth' })).toBe('asset=eth&kind=15m');
    expect(browser('kind=15m&asset=eth&foo=1')).toBe('asset=eth&kind=15m');
    expect(browser('series=btc-3600')).toBe('series=btc-3600');
    expect(browser('series=5m')).toBe('kind=5m');
    expect(browser('series=5m&kind=15m')).toBe('kind=15m');
    expect(browser('series=nonsense')).toBe('');
  });
});

describe('window labels', () => {
  it('names the asset, the length and the start (UTC, or the ET hour of an hourly slug)', () => {
    expect(windowLabel('btc-updown-5m-1795241700')).toBe('BTC 5m 06:15');
    expect(windowLabel('eth-updown-15m-1795242600')).toBe('ETH 15m 06:30');
    expect(windowLabel('bitcoin-up-or-down-november-21-1am-et')).toBe('BTC 1h 1am ET');
    expect(windowLabel('ethereum-up-or-down-december-1-12pm-et')).toBe('ETH 1h 12pm ET');
    expect(windowLabel('something-else')).toBe('something-else');
  });
});
