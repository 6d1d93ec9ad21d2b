/**
 * Test wiring of the risk layer over the venue harness (a live stack on the simulator): kill switch over a store,
 * risk engine with a view over the stack, the persisted risk day, the automatic triggers and the halt loop — the
 * same wiring the runtime gets (see the report of issue #9, part 5). `place()` is what the strategy host does:
 * approve through the risk engine, then hand the order to the execution engine.
 */
import { orderMarketInfo } from '../../../bot/markets';
import { AutoTriggers, createLedgerCheck, HaltLoop, KillSwitch, RiskDay, RiskEngine, type OrderProposal, type RiskView, type RiskVerdict } from '../../../bot/risk';
import { openStore, type Store } from '../../../bot/store';
import { riskConfigSchema, type RiskConfig } from '../../../lib/schemas/config';
import type { Stack } from '../venue/harness';
import { venueOrders } from '../venue/invariants';

type Order = ReturnType<Stack['tracker']['open']>[number];

/** USD our working BUY orders can still spend. */
export function workingBuyUsd(orders: readonly Order[], filter: (o: Order) => boolean = () => true): number {
  let sum = 0;
  for (const o of orders) {
    if (o.side !== 'BUY' || !filter(o)) continue;
    sum += o.usd !== undefined ? Math.max(0, o.usd - o.filledSize * o.price) : Math.max(0, (o.size ?? 0) - o.filledSize) * o.price;
  }
  return sum;
}

/** Orders of ours the simulator holds as open. */
export function openAtSim(s: Stack): { orderId: string }[] {
  return venueOrders(s).filter((o) => o.status === 'LIVE').map((o) => ({ orderId: o.id }));
}

export interface RigOptions {
  store?: Store;
  risk?: Partial<RiskConfig>;
  /** Wire the balance read (live venue: GET /balance-allowance). */
  balance?: boolean;
  /** Wire the periodic two-way ledger check. */
  ledger?: boolean;
}

let seq = 0;

export function wireRisk(s: Stack, o: RigOptions = {}) {
  const { clock, bus } = s;
  const store = o.store ?? openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const riskDay = new RiskDay({ clock, store: store.riskDays, realizedTotalUsd: () => (s.stack.lastReconcile ? s.tracker.positions.totalRealizedUsd() : undefined) });
  const cost = (f: (p: ReturnType<Stack['tracker']['positions']['all']>[number]) => boolean) =>
    s.tracker.positions.all().filter((p) => !p.settled && f(p)).reduce((a, p) => a + p.costUsd, 0);
  const view: RiskView = {
    windowExposureUsd: (slug) => cost((p) => p.windowSlug === slug) + workingBuyUsd(s.tracker.open(), (x) => x.windowSlug === slug),
    strategyExposureUsd: (id) => workingBuyUsd(s.tracker.open(id)),
    totalExposureUsd: () => cost(() => true) + workingBuyUsd(s.tracker.open()),
    tokenExposureUsd: (t) => cost((p) => p.tokenId === t) + workingBuyUsd(s.tracker.open(), (x) => x.tokenId === t),
    realizedTodayUsd: () => riskDay.realizedTodayUsd(),
    windowBlockReason: (slug) => s.stack.windowBlockReason(slug),
    feedBlockReason: (t) => s.stack.feedBlockReason(t),
    venueBlockReason: (p) => s.stack.venueBlockReason(p.orderType, p.postOnly),
  };
  const risk = new RiskEngine({ clock, bus, killSwitch, view, config: riskConfigSchema.parse(o.risk ?? {}) });
  const haltLoop = new HaltLoop({
    clock, bus, killSwitch,
    port: {
      cancelAll: async () => {
        const known = await s.stack.cancelAll();
        const rest = await s.venue.cancelAll();
        return known + rest.canceled.length;
      },
      openOrdersAtVenue: async () => (await s.venue.openOrders()).length,
    },
  });
  const triggers = new AutoTriggers({
    clock, bus, killSwitch, risk,
    port: {
      restingOrders: () => s.tracker.open().length,
      workingBuyUsd: () => workingBuyUsd(s.tracker.open()),
      ...(o.balance
        ? {
            balanceUsd: async () => {
              const r = await s.live!.http.request('GET', '/balance-allowance?asset_type=COLLATERAL');
              if (r.status !== 200) return undefined;
              return Number((JSON.parse(r.text) as { balance: string }).balance) / 1e6;
            },
          }
        : {}),
      ...(o.ledger
        ? {
            ledgerCheck: createLedgerCheck({
              venueOpenOrderIds: async () => (await s.venue.openOrders()).map((x) => x.orderId),
              ourOpenOrderIds: () => s.tracker.open().flatMap((x) => (x.orderId ? [x.orderId] : [])),
              // Every token the simulator holds for the account (not only the ones the bot knows of): two-way.
              venuePositions: async () => new Map([...s.sim.model.ledger.holdings(s.account).positions].map(([t, v]) => [t, v / 1e6])),
              ourPositions: () => new Map(s.tracker.positions.all().filter((p) => !p.settled).map((p) => [p.tokenId, p.shares])),
            }),
          }
        : {}),
    },
  });
  haltLoop.start();
  triggers.start();

  /** A strategy's place: risk first (synchronous verdict), then the execution engine. */
  function place(slug: string, p: { price: number; size?: number; usd?: number; orderType?: 'GTC' | 'FOK'; postOnly?: boolean; outcome?: 'up' | 'down' }) {
    const rec = s.catalog.get(slug)!;
    const outcome = p.outcome ?? 'up';
    const clientTag = `rk|${slug}|e|${++seq}`;
    const proposal: OrderProposal = {
      strategyId: 'rk', clientTag, windowSlug: slug, tokenId: outcome === 'up' ? rec.upTokenId : rec.downTokenId, side: 'BUY', price: p.price,
      ...(p.size !== undefined ? { size: p.size } : {}), ...(p.usd !== undefined ? { usd: p.usd } : {}),
      orderType: p.orderType ?? 'GTC', postOnly: p.postOnly ?? true, reducesExposure: false,
    };
    const verdict: RiskVerdict = risk.approve(proposal);
    const sent = verdict.ok
      ? s.engine.place({
          clientTag, strategyId: 'rk', market: orderMarketInfo(rec, outcome), side: 'BUY', price: p.price,
          ...(p.size !== undefined ? { size: p.size } : {}), ...(p.usd !== undefined ? { usd: p.usd } : {}),
          orderType: p.orderType ?? 'GTC', postOnly: p.postOnly ?? true,
        })
      : undefined;
    return { verdict, sent, clientTag };
  }

  return {
    store, killSwitch, risk, riskDay, triggers, haltLoop, view, place,
    dispose: () => {
      triggers.stop();
      haltLoop.stop();
    },
  };
}

export type RiskRig = ReturnType<typeof wireRisk>;
