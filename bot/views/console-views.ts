/**
 * The runtime's read models for the console, created with the runtime (so their event logs cover its whole life) and
 * disposed with it: the dashboard's trading snapshot and the Feeds, Book and Strategy pages' timelines.
 */
import { BookTimeline } from './book-timeline';
import { DecisionLog } from './decision-log';
import { FeedTimeline } from './feed-timeline';
import { TradingView, type TradingSource } from './trading-snapshot';

export interface ConsoleViews {
  readonly trading: TradingView;
  readonly feeds: FeedTimeline;
  readonly book: BookTimeline;
  readonly decisions: DecisionLog;
}

export function createConsoleViews(source: TradingSource): ConsoleViews & { dispose(): void } {
  const views = { trading: new TradingView(source), feeds: new FeedTimeline(source), book: new BookTimeline(source), decisions: new DecisionLog(source) };
  return {
    ...views,
    dispose() {
      for (const v of Object.values(views)) v.dispose();
    },
  };
}
