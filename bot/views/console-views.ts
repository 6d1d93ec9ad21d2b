/**
 * The runtime's read models for the console, created with the runtime (so their event logs cover its whole life) and
 * disposed with it: the dashboard's trading snapshot and the Feeds, Book and Strategy pages' timelines.
 *
 * A replay's runtime (mode `replay`: a backtest, a sweep point, the console's replay playback) serves no page: its
 * views read a quiet bus of their own and stay empty, so millions of replayed frames do not feed console read models.
 */
import { EventBus } from '../bus';
import { BookTimeline } from './book-timeline';
import { DecisionLog } from './decision-log';
import { FeedTimeline } from './feed-timeline';
import { SignalLog } from './signal-log';
import { TradingView, type TradingSource } from './trading-snapshot';

export interface ConsoleViews {
  readonly trading: TradingView;
  readonly feeds: FeedTimeline;
  readonly book: BookTimeline;
  readonly decisions: DecisionLog;
  /** Signal records and learning updates per strategy instance (issue 14). */
  readonly signals: SignalLog;
}

export function createConsoleViews(runtime: TradingSource): ConsoleViews & { dispose(): void } {
  const source: TradingSource =
    runtime.config.mode !== 'replay'
      ? runtime
      : {
          instanceId: runtime.instanceId,
          bus: new EventBus({ clock: runtime.clock, historySize: 1 }),
          clock: runtime.clock,
          config: runtime.config,
          status: () => runtime.status(),
          get session() {
            return runtime.session;
          },
        };
  const views = { trading: new TradingView(source), feeds: new FeedTimeline(source), book: new BookTimeline(source), decisions: new DecisionLog(source), signals: new SignalLog(source) };
  return {
    ...views,
    dispose() {
      for (const v of Object.values(views)) v.dispose();
    },
  };
}
