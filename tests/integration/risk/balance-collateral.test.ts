/**
 * The collateral balance on a live venue (the simulator's `/balance-allowance`) wired as the runtime wires it
 * (CollateralBalance over the venue session, the risk engine's `insufficient_balance` rule, the drawdown trigger run
 * by AutoTriggers): BUYs refused while the balance is unknown and one cent beyond it (never reaching the venue), the
 * exact balance accepted by the venue too, and a 20 % drop from the session high halting with its reason and the
 * `killswitch.changed` the alerts webhook sends.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { workingBuyUsd } from '../../../bot/host/risk-view';
import { orderMarketInfo } from '../../../bot/markets';
import { AutoTriggers, CollateralBalance, RiskEngine, stackCollateralPort, type OrderProposal } from '../../../bot/risk';
import { riskConfigSchema } from '../../../lib/schemas/config';
import { DAY0_MS, readyLive, startStack, waitFor, type Stack } from '../venue/harness';
import { openAtSim, wireRisk, type RiskRig } from './risk-rig';

describe('collateral balance: pre-trade rule and drawdown trigger (live venue on the simulator)', () => {
  let s: Stack;
  let rig: RiskRig;
  let triggers: AutoTriggers | undefined;
  let seq = 0;

  const setBalance = async (usd: number) => {
    const r = await fetch(`${s.sim.urls.control}/accounts/balance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: s.address, usd }) });
    expect(r.status).toBe(200);
  };

  function wire() {
    rig = wireRisk(s);
    const config = riskConfigSchema.parse({ balanceRefreshSec: 5, balanceDropAction: 'halt' });
    const collateral = new CollateralBalance({
      clock: s.clock, bus: s.bus, refreshSec: () => config.balanceRefreshSec,
      port: stackCollateralPort({ mode: 'live', stack: () => s.stack, risk: () => config, workingBuyUsd }),
    });
    const risk = new RiskEngine({ clock: s.clock, bus: s.bus, killSwitch: rig.killSwitch, view: rig.view, config, collateral });
    triggers = new AutoTriggers({ clock: s.clock, bus: s.bus, killSwitch: rig.killSwitch, risk, port: { restingOrders: () => 0 }, balance: collateral });
    /** The host's path: approve, then (only if approved) the execution engine. */
    const place = (slug: string, price: number, size: number) => {
      const rec = s.catalog.get(slug)!;
      const clientTag = `bal|${slug}|e|${++seq}`;
      const p: OrderProposal = { strategyId: 'bal', clientTag, windowSlug: slug, tokenId: rec.upTokenId, side: 'BUY', price, size, orderType: 'GTC', postOnly: true, reducesExposure: false };
      const verdict = risk.approve(p);
      const sent = verdict.ok ? s.engine.place({ clientTag, strategyId: 'bal', market: orderMarketInfo(rec, 'up'), side: 'BUY', price, size, orderType: 'GTC', postOnly: true }) : undefined;
      return { verdict, sent };
    };
    return { collateral, place };
  }

  beforeAll(async () => {
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 20_000, requestTimeoutMs: 1_500 });
    await s.start();
    await readyLive(s);
  }, 60_000);

  afterEach(async () => {
    triggers?.stop();
    rig?.dispose();
    await s.engine.cancelAllOpen().catch(() => 0);
    await s.venue.cancelAll().catch(() => undefined);
    await s.advance(3_000, 1_000);
    await waitFor(() => s.tracker.open().length === 0, 'no open orders of ours');
    await setBalance(s.startBalanceMicro / 1e6);
  });

  afterAll(async () => s?.stop());

  it('refuses BUYs while the balance is unknown and a cent beyond it; the exact balance is sent and accepted', async () => {
    const { slug } = await readyLive(s);
    expect(s.marketFeed.book(s.catalog.get(slug)!.upTokenId)!.bestAsk()!).toBeGreaterThan(0.05); // 0.05 rests
    await setBalance(20);
    const { place, collateral } = wire();
    const atVenue = openAtSim(s).length;
    expect(place(slug, 0.05, 10).verdict).toMatchObject({ ok: false, rule: 'insufficient_balance', reason: expect.stringMatching(/^collateral balance unknown/) });
    triggers!.start();
    await s.advance(2_000, 1_000);
    expect(collateral.snapshot()).toMatchObject({ source: 'venue', balanceUsd: 20, workingBuyUsd: 0 });
    const first = place(slug, 0.05, 200); // 10 USD: rests and reserves 10 at the venue
    expect(first.verdict).toEqual({ ok: true });
    expect((await first.sent!).ok).toBe(true);
    await s.advance(6_000, 1_000); // re-read: the venue reports 10 available, + 10 working = 20
    expect(collateral.snapshot()).toMatchObject({ balanceUsd: 20, workingBuyUsd: 10 });
    const over = place(slug, 0.05, 200.2); // 10.01 + 10 working
    expect(over.verdict).toEqual({ ok: false, rule: 'insufficient_balance', reason: 'BUY cost 10.01 USD + working BUYs 10.00 USD = 20.01 USD > venue balance 20.00 USD' });
    expect(over.sent).toBeUndefined();
    expect(openAtSim(s).length).toBe(atVenue + 1); // the refused orders never reached the venue
    const exact = place(slug, 0.05, 200); // 10.00 + 10 working = 20: exactly the balance
    expect(exact.verdict).toEqual({ ok: true });
    const r = await exact.sent!;
    expect(r.ok && r.outcome.kind, JSON.stringify(r)).toBe('accepted'); // the venue agrees it is affordable
    expect(s.events.some((e) => e.type === 'risk.balance' && e.availableUsd === 10)).toBe(true);
  });

  it('halts on a 20 % drop from the session high (not at 19.9 %), with the figures in the reason and the kill-switch alert event', async () => {
    await setBalance(1000);
    const { collateral } = wire();
    triggers!.start();
    await s.advance(2_000, 1_000);
    expect(collateral.snapshot().balanceUsd).toBe(1000);
    await setBalance(801);
    await s.advance(6_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // 19.9 %
    await setBalance(800);
    await s.advance(6_000, 1_000);
    const reason = 'balance_drawdown: equity 800.00 USD (venue balance 800.00 + open positions at mid 0.00) is 20.0 % below the session high 1000.00 USD (limit 20.0 %)';
    expect(rig.killSwitch.snapshot()).toMatchObject({ state: 'halted', actor: 'risk', automatic: true, reason });
    expect(s.events.filter((e) => e.type === 'killswitch.changed').at(-1)).toMatchObject({ state: 'halted', reason });
    expect(s.events.filter((e) => e.type === 'risk.triggered').at(-1)).toMatchObject({ trigger: 'balance_drawdown', state: 'halted' });
    expect(s.events.filter((e) => e.type === 'risk.balance').at(-1)).toMatchObject({ balanceUsd: 800, highUsd: 1000, drawdown: 0.2 });
  });
});
