/**
 * The alert service (bot/health/alerts/alert-service.ts) on a real EventBus and SimClock with a scripted transport:
 * bus facts and periodic checks become payloads with the right kind and fields; the `alerts` config section is read
 * at every decision (enabled, kinds, limits: hot); suppressed alerts are summarised in the next one and published as
 * `alert.suppressed`; deliveries as `alert.sent`; daily-loss proximity reads the risk day against
 * risk.maxDailyLossUsd; the balance drop reads paper equity (paper) or the venue balance (live); without a URL nothing
 * subscribes; the status never shows more than the host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { workingBuyUsd } from '../../../bot/host/risk-view';
import type { EquityStack } from '../../../bot/health/alerts/account-equity';
import { alertPayloadSchema, type AlertPayload } from '../../../bot/health/alerts/alert-payload';
import { AlertService, AlertsNotConfiguredError, type AlertSession } from '../../../bot/health/alerts/alert-service';
import type { TransportRequest, TransportResponse } from '../../../bot/health/alerts/webhook-sender';
import type { Position, TrackedOrder } from '../../../bot/execution';
import { diffConfigs } from '../../../bot/config/diff';
import { defaultRuntimeConfig, type RuntimeConfig } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';

const URL_ = 'https://alerts.example.org/hook/0123456789abcdefSECRET';
const T0 = Date.UTC(2026, 9, 5, 12, 0, 0);
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

interface FakeStack extends EquityStack {
  positionsList: Position[];
  orders: TrackedOrder[];
  bids: Map<string, number>;
  collateral: number | undefined;
}

function fakeStack(live: boolean): FakeStack {
  const s: FakeStack = {
    reconciled: true,
    positionsList: [],
    orders: [],
    bids: new Map(),
    collateral: undefined,
    live: live ? { collateralUsd: async () => s.collateral } : undefined,
    tracker: {
      open: () => s.orders,
      positions: { all: () => s.positionsList, totalRealizedUsd: () => s.positionsList.reduce((a, p) => a + p.realizedUsd, 0) },
    },
    marketFeed: { book: (t: string) => (s.bids.has(t) ? { bestBid: () => s.bids.get(t) } : undefined) },
  };
  return s;
}

const position = (p: Partial<Position>): Position => ({ windowSlug: 'btc-updown-5m-1791158400', tokenId: 'up', shares: 0, provisionalShares: 0, costUsd: 0, avgPrice: 0, realizedUsd: 0, feesUsd: 0, settled: false, payoutUsd: 0, ...p });

function rig(opts: { url?: string | undefined; live?: boolean; session?: boolean } = {}) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  const config: RuntimeConfig = defaultRuntimeConfig();
  const sent: AlertPayload[] = [];
  const events: BotEvent[] = [];
  bus.onAny((e) => {
    if (e.type.startsWith('alert.')) events.push(e);
  });
  let realizedToday = 0;
  const stack = fakeStack(opts.live ?? false);
  const session: AlertSession = { riskDay: { realizedTodayUsd: () => realizedToday }, stack };
  const transport = async (req: TransportRequest): Promise<TransportResponse> => {
    sent.push(alertPayloadSchema.parse(JSON.parse(req.body)));
    return { status: 200 };
  };
  const svc = new AlertService({
    clock, bus, config: () => config, context: () => ({ runId: 'inst', runNumber: 7, mode: config.mode, venue: config.venue }),
    session: () => (opts.session === false ? undefined : session), workingBuyUsd, transport,
    ...('url' in opts ? { webhookUrl: opts.url } : { webhookUrl: URL_ }),
  });
  const setRealized = (usd: number) => (realizedToday = usd);
  return { clock, bus, config, sent, events, stack, svc, setRealized };
}

let current: ReturnType<typeof rig> | undefined;
afterEach(() => current?.svc.dispose());
const make = (opts?: Parameters<typeof rig>[0]) => (current = rig(opts));

async function tick(r: ReturnType<typeof rig>, ms: number): Promise<void> {
  const end = r.clock.nowMs() + ms;
  while (r.clock.nowMs() < end) {
    r.clock.advanceBy(500);
    await flush();
  }
}

const halt = (bus: EventBus, state: 'halted' | 'active' | 'reducing' = 'halted', prevState: 'halted' | 'active' | 'reducing' = 'active') =>
  bus.publish({ type: 'killswitch.changed', state, prevState, reason: 'test', actor: 'operator(local)', automatic: false });
const rejected = (bus: EventBus, n: number) =>
  bus.publish({ type: 'order.state', clientId: `c${n}`, clientTag: `hammer|btc-updown-5m-1791158400|entry|${n}`, state: 'rejected', prevState: 'submitted', reason: 'post-only would cross' });

describe('AlertService', () => {
  it('a kill-switch change becomes one payload with the structured fields, then an alert.sent event', async () => {
    const r = make();
    halt(r.bus);
    await flush();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]).toMatchObject({ kind: 'kill_switch', severity: 'danger', title: 'kill switch active → halted', runId: 'inst', runNumber: 7, mode: 'paper', venue: 'sim', tsMs: T0, test: false });
    expect(r.sent[0]!.text).toMatch(/^\[DANGER\] kill switch active → halted/);
    expect(r.events).toMatchObject([{ type: 'alert.sent', kind: 'kill_switch', delivered: true, status: 200, attempts: 1 }]);
  });

  it('a rejection burst at the configured count, with series and market', async () => {
    const r = make();
    r.config.alerts.rejectionBurstCount = 3;
    rejected(r.bus, 1);
    rejected(r.bus, 2);
    await flush();
    expect(r.sent).toHaveLength(0);
    rejected(r.bus, 3);
    await flush();
    expect(r.sent.map((p) => [p.kind, p.series, p.market])).toEqual([['rejection_burst', 'btc-5m', 'btc-updown-5m-1791158400']]);
  });

  it('daily-loss proximity: the risk day against risk.maxDailyLossUsd at alerts.dailyLossWarnPct', async () => {
    const r = make();
    r.config.risk.maxDailyLossUsd = 50;
    r.setRealized(-39.9);
    await tick(r, 2_000);
    expect(r.sent).toHaveLength(0);
    r.setRealized(-40);
    await tick(r, 2_000);
    expect(r.sent.map((p) => p.kind)).toEqual(['daily_loss']);
    expect(r.sent[0]!.message).toContain('40.00 USD of the 50.00 USD');
    await tick(r, 10_000);
    expect(r.sent).toHaveLength(1); // once
  });

  it('balance drop on paper equity: paper capital + realised + open positions at the bid, against the session high', async () => {
    const r = make();
    r.config.alerts.balanceCheckSec = 1;
    r.config.alerts.paperCapitalUsd = 100;
    r.bus.publish({ type: 'runtime.state', instanceId: 'inst', state: 'running', prevState: 'starting' });
    r.stack.positionsList = [position({ shares: 20, costUsd: 10, tokenId: 'up' })];
    r.stack.bids.set('up', 0.5); // equity 100 + 0 + (10 - 10) = 100
    await tick(r, 1_500);
    r.stack.positionsList = [position({ shares: 20, costUsd: 10, tokenId: 'up', realizedUsd: -15 })];
    r.stack.bids.set('up', 0.3); // 100 - 15 + (6 - 10) = 81: 19 % down
    await tick(r, 1_500);
    expect(r.sent).toHaveLength(0);
    r.stack.bids.set('up', 0.25); // 100 - 15 + (5 - 10) = 80: 20 % down
    await tick(r, 1_500);
    expect(r.sent.map((p) => p.kind)).toEqual(['balance_drop']);
    expect(r.sent[0]!.title).toBe('paper equity 20.0 % below its session high');
  });

  it('balance drop in live: the venue balance plus working BUY orders plus positions at the bid', async () => {
    const r = make({ live: true });
    r.config.alerts.balanceCheckSec = 1;
    r.bus.publish({ type: 'runtime.state', instanceId: 'inst', state: 'running', prevState: 'starting' });
    r.stack.collateral = 1_000;
    await tick(r, 1_500);
    // Buying moves money from the balance into an order and then a position: not a drop.
    r.stack.collateral = 900;
    r.stack.orders = [{ side: 'BUY', price: 0.5, size: 100, filledSize: 0 } as TrackedOrder];
    await tick(r, 1_500);
    r.stack.collateral = 700;
    r.stack.orders = [];
    r.stack.positionsList = [position({ shares: 500, costUsd: 250, tokenId: 'up' })];
    r.stack.bids.set('up', 0.6);
    await tick(r, 1_500);
    expect(r.sent).toHaveLength(0);
    r.stack.collateral = 500; // 500 + 300 = 800: 20 % below 1000
    await tick(r, 1_500);
    expect(r.sent.map((p) => [p.kind, p.title])).toEqual([['balance_drop', 'balance 20.0 % below its session high']]);
  });

  it('config is hot: alerts.enabled and the kind switches apply to the next alert', async () => {
    const r = make();
    r.config.alerts.enabled = false;
    halt(r.bus);
    await flush();
    r.config.alerts.enabled = true;
    r.config.alerts.kinds.killSwitch = false;
    halt(r.bus, 'active', 'halted');
    r.bus.publish({ type: 'health.condition', condition: 'venue_unreachable', active: true, severity: 'warn', title: 'venue unreachable', detail: 'd' });
    await flush();
    expect(r.sent.map((p) => p.kind)).toEqual(['health']);
  });

  it('rate limits: alerts over the per-kind limit are suppressed, published, and summarised in the next one sent', async () => {
    const r = make();
    r.config.alerts.perKindMax = 1;
    r.config.alerts.perKindWindowSec = 60;
    halt(r.bus);
    halt(r.bus, 'active', 'halted');
    halt(r.bus, 'reducing', 'active');
    await flush();
    expect(r.sent).toHaveLength(1);
    expect(r.events.filter((e) => e.type === 'alert.suppressed')).toMatchObject([
      { kind: 'kill_switch', reason: 'kind_limit', pending: 1 },
      { kind: 'kill_switch', reason: 'kind_limit', pending: 2 },
    ]);
    r.clock.advanceBy(60_000);
    halt(r.bus, 'halted', 'reducing');
    await flush();
    expect(r.sent).toHaveLength(2);
    expect(r.sent[1]!.suppressed).toEqual({ total: 2, byKind: { kill_switch: 2 }, sinceMs: T0 });
    expect(r.sent[1]!.text).toContain('+2 suppressed');
    expect(r.svc.status()).toMatchObject({ suppressedPending: 0, suppressedTotal: 2 });
  });

  it('the test alert is sent at once, bypassing the switches and limits; status shows the host only', async () => {
    const r = make();
    r.config.alerts.enabled = false;
    const res = await r.svc.sendTest('operator(local)', 'hello');
    expect(res).toEqual({ delivered: true, status: 200, attempts: 1, host: 'alerts.example.org', enabled: false });
    expect(r.sent).toMatchObject([{ kind: 'test', test: true, message: 'sent from the console by operator(local): hello' }]);
    const status = JSON.stringify(r.svc.status());
    expect(status).toContain('alerts.example.org');
    expect(status).not.toContain('SECRET');
    expect(status).not.toContain('/hook');
  });

  it('without a webhook URL nothing subscribes or ticks, and the test says what to set', async () => {
    const r = make({ url: undefined });
    const listeners = r.bus.listenerCount();
    halt(r.bus);
    await tick(r, 5_000);
    expect(r.sent).toHaveLength(0);
    expect(r.bus.listenerCount()).toBe(listeners);
    expect(r.clock.nextDueMs()).toBeUndefined();
    expect(r.svc.status()).toMatchObject({ configured: false, host: null, sender: null });
    await expect(r.svc.sendTest('op')).rejects.toBeInstanceOf(AlertsNotConfiguredError);
  });

  it('dispose unsubscribes and cancels its timer', async () => {
    const r = make();
    const before = r.bus.listenerCount();
    r.svc.dispose();
    expect(r.bus.listenerCount()).toBe(before - 6);
    expect(r.clock.nextDueMs()).toBeUndefined();
    halt(r.bus);
    await flush();
    expect(r.sent).toHaveLength(0);
  });

  it('every field of the alerts section is hot (applied while running, never pending a restart)', () => {
    const a = defaultRuntimeConfig();
    const b = defaultRuntimeConfig();
    const flip = (v: unknown) => (typeof v === 'boolean' ? !v : (v as number) + 1);
    for (const [k, v] of Object.entries(b.alerts)) if (k !== 'kinds') (b.alerts as Record<string, unknown>)[k] = flip(v);
    for (const [k, v] of Object.entries(b.alerts.kinds)) (b.alerts.kinds as Record<string, unknown>)[k] = flip(v);
    const changes = diffConfigs(a, b);
    expect(changes).toHaveLength(Object.keys(a.alerts).length - 1 + Object.keys(a.alerts.kinds).length);
    expect(changes.filter((c) => !c.hot).map((c) => c.path)).toEqual([]);
  });
});
