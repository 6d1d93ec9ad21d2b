'use client';
/**
 * The Book page's client root: the series filter (asset and window-length chips, in the URL) and a picker of the
 * configured series it leaves (the page shows one series: the picked one, else the first that matches), the current window (slug, times, lifecycle state, time
 * left as of the snapshot), the top of book of Up and Down, a depth ladder per token and the mid and spread of both
 * tokens over the window. Data: useBook (GET /api/book refetched at about 2 Hz, history merged incrementally).
 *
 * Invariants: everything shown comes from one parsed snapshot (the root carries its `seq` and `nowMs`), so the figures
 * on screen are consistent with each other and with the API; errors are shown in place above the last good snapshot.
 */
import { useSearchParams } from 'next/navigation';
import { formatClock, formatCountdown, probDigits } from '../../lib/format';
import type { BookSnapshot } from '../../lib/schemas/book';
import { Empty } from '../dashboard/numbers';
import { Badge, type Tone } from '../ui/badge';
import { Card } from '../ui/card';
import { SeriesFilter, useSeriesFilter, type SeriesFilterState } from '../ui/series-filter';
import { inScope, seriesLabel } from '../ui/series-scope';
import { bookQueryString, bookSeriesQueryOf } from './book-query';
import { BookChart } from './book-chart';
import { DepthLadder } from './depth-ladder';
import { TopOfBook } from './top-of-book';
import { useBook } from './use-book';

const stateTone: Record<NonNullable<BookSnapshot['window']['state']>, Tone> = { discovered: 'info', open: 'ok', closing: 'warn', closed: 'neutral', resolved: 'neutral' };

/** The configured series the filter's asset and length leave (the exact series chosen in the URL is shown pressed). */
function SeriesPicker({ shown, options, filter }: { shown: string | undefined; options: BookSnapshot['seriesOptions'] | undefined; filter: SeriesFilterState }) {
  const { scope } = filter;
  const list = (options ?? []).filter((o) => inScope({ ...scope, series: null }, o));
  if (list.length === 0) return null;
  return (
    <div className="inline-flex flex-wrap overflow-hidden rounded-md border border-slate-700" role="group" aria-label="Series">
      {list.map((o) => (
        <button
          key={o.key}
          type="button"
          data-testid={`book-series-${o.key}`}
          aria-pressed={shown === o.key}
          onClick={() => filter.setScope({ ...scope, series: o.key })}
          title={o.enabled ? `${seriesLabel(o)} windows` : `${seriesLabel(o)}: switched off in the config`}
          className={`px-3 py-1.5 text-sm font-medium ${shown === o.key ? 'bg-sky-600 text-white' : 'bg-slate-800 text-slate-300 hover:bg-slate-700'}`}
        >
          {seriesLabel(o)}
          {!o.enabled && <span className="ml-1 text-xs opacity-70">(off)</span>}
        </button>
      ))}
    </div>
  );
}

function WindowHeader({ s }: { s: BookSnapshot }) {
  const w = s.window;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
      <span className="truncate font-mono text-xs text-slate-300" data-testid="book-window-slug" title={w.slug}>
        {w.slug}
      </span>
      <span className="font-mono text-xs tabular-nums text-slate-400">
        {formatClock(w.startMs)} → {formatClock(w.endMs)} UTC
      </span>
      <Badge tone={w.state ? stateTone[w.state] : 'neutral'} testId="book-window-state">
        {w.state ?? (s.tradingUp ? 'discovering…' : 'bot stopped')}
      </Badge>
      <span className="text-xs text-slate-400">
        ends in <span className="font-mono tabular-nums text-slate-200" data-testid="book-window-left">{formatCountdown(w.endMs - s.nowMs)}</span>
      </span>
      <span className="text-xs text-slate-500" data-testid="book-asof">
        as of {formatClock(s.nowMs)} UTC
      </span>
    </div>
  );
}

export function BookView({ initialQuery, initial }: { initialQuery: string; initial: BookSnapshot | null }) {
  const filter = useSeriesFilter();
  const query = bookQueryString(bookSeriesQueryOf(useSearchParams()));
  const q = useBook(query, initial, initialQuery);
  const s = q.data;
  const dp = s ? probDigits(s.window.tickSize, s.sides.flatMap((x) => [x.top?.bestBid, x.top?.bestAsk, ...x.bids.map((l) => l.price), ...x.asks.map((l) => l.price)])) : 2;

  return (
    <div className="flex flex-col gap-4" data-testid="book-page" data-seq={s?.seq} data-now={s?.nowMs} data-series={s?.series}>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold">Book</h1>
        <SeriesFilter filter={filter} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SeriesPicker shown={s?.series} options={s?.seriesOptions} filter={filter} />
        {s && <WindowHeader s={s} />}
      </div>
      {q.isError && (
        <p className="rounded-md border border-red-900 bg-red-950/40 px-3 py-2 text-sm text-red-300" data-testid="book-error">
          Could not read the book: {q.error instanceof Error ? q.error.message : String(q.error)}
          {s ? ' (showing the last snapshot)' : ''}
        </p>
      )}
      {!s ? (
        q.isPending ? <p className="py-8 text-center text-sm text-slate-500" data-testid="book-loading">Loading the book…</p> : null
      ) : (
        <>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-[minmax(240px,0.7fr)_1fr_1fr]">
            <div className="md:col-span-2 xl:col-span-1">
              <Card title={`Top of book · ${s.asset.toUpperCase()} ${s.window.kind}`} testId="book-top-card">
                <TopOfBook sides={s.sides} tickSize={s.window.tickSize} />
              </Card>
            </div>
            {s.sides.map((side) => (
              <Card key={side.outcome} title={`${side.outcome === 'up' ? 'Up' : 'Down'} depth · best ${s.limits.ladderDepth}`} testId={`book-depth-${side.outcome}`}>
                <DepthLadder side={side} dp={dp} tradingUp={s.tradingUp} />
              </Card>
            ))}
          </div>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Card title="Mid over the window" testId="book-mid-card">
              <BookChart sides={s.sides} metric="mid" startMs={s.window.startMs} nowMs={s.nowMs} />
            </Card>
            <Card title="Spread over the window" testId="book-spread-card">
              <BookChart sides={s.sides} metric="spread" startMs={s.window.startMs} nowMs={s.nowMs} />
            </Card>
          </div>
          {!s.tradingUp && s.sides.every((x) => x.points.length === 0) && <Empty testId="book-stopped">The bot is stopped: start it from the dashboard to follow the books.</Empty>}
        </>
      )}
    </div>
  );
}
