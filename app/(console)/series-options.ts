/**
 * The running config's series for the console's series filter, read on the server for the first render (the layout
 * hands them to SeriesOptionsProvider; the browser re-reads them from GET /api/trading afterwards).
 *
 * Invariants: never throws (an unreachable runtime gives an empty list: the filter then shows "all" only); no secrets
 * (the trading snapshot's series entries carry none).
 */
import 'server-only';
import { getRuntimeHolder } from '../../lib/server/runtime-registry';
import { optionsOf, type SeriesOption } from '../../components/ui/series-scope';

export function seriesOptionsNow(): SeriesOption[] {
  try {
    return optionsOf(getRuntimeHolder().runtime.views.trading.snapshot().series);
  } catch {
    return [];
  }
}
