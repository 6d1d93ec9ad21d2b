/**
 * GET /api/strategy[?id=<instance>]: the Strategy page's view of one strategy instance (the first configured one when
 * no id is given): the runtime's decision log (`runtime.views.decisions`) for the configured instances, with the
 * instance's open orders completed (limit price, size, side) from the trading view's open orders, and its signal
 * records and learning updates from the signal log (`runtime.views.signals`).
 *
 * Invariants: read-only; the query is parsed with `strategyQuerySchema` (bad id → 422 with the field); an id that is
 * neither configured nor seen in this runtime's events → 404 naming the known ones; the body parses with
 * `strategyViewSchema`.
 */
import 'server-only';
import { parseStrategyConfig } from '../../bot/strategies/registry';
import type { ConfiguredInstance } from '../../bot/views/decision-log';
import type { StrategyInstanceConfig } from '../schemas/config';
import { strategyQuerySchema, strategyViewLimits, type StrategyOrderRow, type StrategyView } from '../schemas/strategy-view';
import type { OrderRow } from '../schemas/trading';
import { ApiProblem, withApi } from './api';
import { getRuntimeHolder, type RuntimeHolder } from './runtime-registry';

function enabledOf(s: StrategyInstanceConfig): boolean {
  try {
    const parsed = parseStrategyConfig(s.type, s.params) as { enabled?: unknown };
    return parsed.enabled !== false;
  } catch {
    return s.params.enabled !== false;
  }
}

/** The configured instances in config order. */
export function configuredInstances(strategies: readonly StrategyInstanceConfig[]): ConfiguredInstance[] {
  return strategies.map((s) => ({ id: s.id, type: s.type, enabled: enabledOf(s), budgetUsd: s.budgetUsd }));
}

/** Orders of the instance with the open ones' limit price / size / side from the trading view (and open ones the log never saw). */
export function withOpenOrders(orders: readonly StrategyOrderRow[], open: readonly OrderRow[], strategyId: string): StrategyOrderRow[] {
  const mine = new Map(open.filter((o) => o.strategyId === strategyId).map((o) => [o.clientTag, o]));
  const out = orders.map((o) => {
    const x = mine.get(o.clientTag);
    if (!x) return o;
    mine.delete(o.clientTag);
    return { ...o, state: x.state, side: x.side, outcome: x.outcome ?? o.outcome, price: x.price, size: x.size, usd: x.usd, filledSize: Math.max(o.filledSize, x.filledSize) };
  });
  for (const x of mine.values()) {
    out.push({
      clientTag: x.clientTag, windowSlug: x.windowSlug, purpose: x.clientTag.split('|')[2] ?? '', state: x.state, reason: null, firstMs: x.createdMs, updatedMs: x.updatedMs,
      side: x.side, outcome: x.outcome, price: x.price, size: x.size, usd: x.usd, filledSize: x.filledSize, avgFillPrice: null,
    });
  }
  return out.sort((a, b) => b.firstMs - a.firstMs || b.clientTag.localeCompare(a.clientTag)).slice(0, strategyViewLimits.orders);
}

/** One instance's view (the first configured one without an id); null when the id is unknown. */
export function strategyViewFor(holder: RuntimeHolder, id: string | undefined): StrategyView {
  const rt = holder.runtime;
  const configured = configuredInstances(rt.config.strategies);
  const view = rt.views.decisions.snapshot({ id, configured });
  if (view.strategy) {
    const open = rt.views.trading.snapshot().openOrders;
    view.strategy.orders = withOpenOrders(view.strategy.orders, open, view.strategy.id);
    view.strategy.signals = rt.views.signals.signalsOf(view.strategy.id);
    view.strategy.learning = rt.views.signals.learningOf(view.strategy.id);
  }
  return view;
}

export const strategyRoute = withApi({ mutating: false }, ({ req, holder }): StrategyView => {
  const raw = Object.fromEntries(new URL(req.url).searchParams);
  const q = strategyQuerySchema.safeParse(raw);
  if (!q.success) {
    throw new ApiProblem('validation_failed', 'bad query', q.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(query)', message: i.message })));
  }
  const view = strategyViewFor(holder, q.data.id);
  if (q.data.id !== undefined && !view.strategy) {
    const known = view.instances.map((i) => i.id).join(', ') || 'none';
    throw new ApiProblem('not_found', `unknown strategy instance '${q.data.id}' (known: ${known})`);
  }
  return view;
});

/** The page's first snapshot, rendered on the server (null when the runtime is not up or the id is unknown or bad). */
export function strategySnapshotNow(id: string | null): StrategyView | null {
  try {
    const q = strategyQuerySchema.safeParse(id ? { id } : {});
    if (!q.success) return null;
    const view = strategyViewFor(getRuntimeHolder(), q.data.id);
    return q.data.id !== undefined && !view.strategy ? null : view;
  } catch {
    return null;
  }
}
