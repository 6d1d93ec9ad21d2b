/**
 * Every automatic kill-switch trigger, tripped on the simulator through its fault / control API or its state, over a
 * live stack with the risk layer wired as the runtime wires it (risk-rig.ts). Each test asserts the state moved, the
 * trigger's reason (`<trigger>: …`), the kill switch's audit entry (actor risk, automatic) and `risk.triggered`.
 * After each: no duplicate orders, the ledger equals the venue's both ways, no secret in any event.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientIdFor, saltFor } from '../../../bot/execution';
import { orderMarketInfo } from '../../../bot/markets';
import type { RiskTrigger } from '../../../lib/schemas/events';
import { DAY0_MS, farBelowTouch, readyLive, startStack, waitFor, type Stack } from '../venue/harness';
import { expectInvariants } from '../venue/invariants';
import { openAtSim, wireRisk, type RigOptions, type RiskRig } from './risk-rig';

describe('automatic kill-switch triggers (live venue on the simulator)', () => {
  let s: Stack;
  /** Orders the tests place with our key behind the bot's back (see foreignOrder). */
  const planted: string[] = [];
  let rig: RiskRig;

  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${s.sim.urls.control}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect(r.status, `${method} ${path}`).toBeLessThan(300);
    return r.json() as Promise<unknown>;
  };
  const rigWith = (o: RigOptions) => (rig = wireRisk(s, o));
  const tripped = (trigger: RiskTrigger, state: 'halted' | 'reducing', reason: RegExp) => {
    expect(rig.killSwitch.snapshot()).toMatchObject({ state, actor: 'risk', automatic: true, reason: expect.stringMatching(reason) });
    expect(rig.store.killSwitch.latest()).toMatchObject({ state, actor: 'risk', automatic: true, reason: expect.stringMatching(reason) });
    const audit = rig.store.audit.recent(5).find((a) => a.action === 'killswitch.set');
    expect(audit).toMatchObject({ actor: 'risk', detail: { from: 'active', to: state, automatic: true, reason: expect.stringMatching(new RegExp(`^${trigger}: `)) } });
    expect(s.events.filter((e) => e.type === 'risk.triggered').at(-1)).toMatchObject({ trigger, state, reason: expect.stringMatching(reason) });
  };
  const resting = async (slug: string) => {
    const p = rig.place(slug, { price: farBelowTouch(s, slug), size: 10 });
    expect(p.verdict).toEqual({ ok: true });
    const r = await p.sent!;
    expect(r.ok && r.outcome.kind, JSON.stringify(r)).toBe('accepted');
  };

  beforeAll(async () => {
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 20_000, requestTimeoutMs: 1_500 });
    await s.start();
    await readyLive(s);
  }, 60_000);

  afterEach(async () => {
    await control('DELETE', '/faults');
    await control('POST', '/spot-offset', { offsetBps: 0 });
    rig?.dispose();
    await s.engine.cancelAllOpen().catch(() => 0);
    await s.venue.cancelAll().catch(() => undefined);
    await s.advance(3_000, 1_000);
    // Fault-test invariants.
    const submitted = s.events.filter((e) => e.type === 'order.state' && e.state === 'submitted').map((e) => (e.type === 'order.state' ? e.clientTag : ''));
    expect(new Set(submitted).size).toBe(submitted.length);
    await waitFor(() => s.tracker.open().length === 0, 'no open orders of ours');
    expect(openAtSim(s)).toEqual([]);
    // The shared battery invariants: two-way ledger and cash, one order per salt and intent, no secret in logs/events.
    expectInvariants(s, { plantedOrderIds: planted });
  });

  afterAll(async () => s?.stop());

  it('stale reference while orders rest (stall on polybolt): halts, and not without resting orders', async () => {
    rigWith({ risk: { staleReferenceHaltSec: 10 } });
    await control('POST', '/faults', { kind: 'stall', scope: 'polybolt', durationMs: 20_000 });
    await s.advance(20_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // stale, but nothing of ours rests
    await s.advance(10_000, 1_000); // reference back
    const { slug } = await readyLive(s);
    await resting(slug);
    await control('POST', '/faults', { kind: 'stall', scope: 'polybolt', durationMs: 60_000 });
    await s.advance(9_000, 1_000);
    expect(rig.killSwitch.state).toBe('active');
    await s.advance(3_000, 1_000);
    tripped('stale_reference', 'halted', /^stale_reference: reference price silent for 1\d\.\d s while 1 order\(s\) of ours rest \(limit 10 s\)/);
    await waitFor(() => openAtSim(s).length === 0, 'halt loop cleared the venue');
  });

  it('reference-versus-spot divergence (POST /spot-offset on the control API): halts after the hold time', async () => {
    rigWith({ risk: { maxReferenceSpotDivergenceBps: 150, divergenceHaltSec: 5 } });
    await readyLive(s);
    await control('POST', '/spot-offset', { offsetBps: 100 });
    await s.advance(10_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // ~100 bps: inside the bound
    await control('POST', '/spot-offset', { offsetBps: 400 });
    await s.advance(4_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // beyond the bound, not for 5 s yet
    await s.advance(3_000, 1_000);
    tripped('divergence', 'halted', /^divergence: btc reference \d+\.\d\d vs spot \d+\.\d\d: (3[6-9]\d|4[0-4]\d) bps apart for [5-7] s \(limit 150 bps for 5 s\)/);
  });

  it('heartbeat failure (http_status on POST /v1/heartbeats): halts at the third failure in a row', async () => {
    rigWith({ risk: { heartbeatFailuresToHalt: 3 } });
    const { slug } = await readyLive(s);
    await resting(slug);
    await control('POST', '/faults', { kind: 'http_status', scope: 'POST /v1/heartbeats', status: 500, durationMs: 30_000 });
    for (let i = 0; i < 20 && rig.killSwitch.state === 'active'; i++) await s.advance(1_000, 1_000);
    const failures = s.events.filter((e) => e.type === 'venue.heartbeat' && !e.ok);
    expect(failures.at(-1)).toMatchObject({ consecutiveFailures: 3 });
    tripped('heartbeat', 'halted', /^heartbeat: 3 venue heartbeats failed in a row \(limit 3\)/);
  });

  it('error burst (user socket dropped while the venue answers 500: every catch-up fails): halts', async () => {
    rigWith({ risk: { errorBurstHaltCount: 3 } });
    await readyLive(s);
    await control('POST', '/faults', { kind: 'http_status', scope: 'GET /data/orders', status: 500, durationMs: 120_000 });
    for (let i = 0; i < 30 && rig.killSwitch.state === 'active'; i++) {
      await control('POST', '/faults', { kind: 'drop', scope: 'user' });
      await s.advance(2_000, 500);
    }
    const errors = s.events.filter((e) => e.type === 'runtime.error' && e.source === 'feed:clob-user');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    tripped('error_burst', 'halted', /^error_burst: 3 runtime errors within 60 s \(limit 3\)/);
    // A failed catch-up leaves the engine not ready until the user socket reconnects: reconnect once, healthy.
    await control('DELETE', '/faults');
    await control('POST', '/faults', { kind: 'drop', scope: 'user' });
    for (let i = 0; i < 30 && !s.engine.ready; i++) await s.advance(1_000, 500);
    expect(s.engine.ready).toBe(true);
  });

  /** An order placed at the venue with our key behind the bot's back (the tracker never sees it). */
  const foreignOrder = async (slug: string) => {
    const rec = s.catalog.get(slug)!;
    const clientId = clientIdFor(`foreign|${slug}|${s.clock.nowMs()}`);
    const prepared = await s.venue.prepare(
      { clientTag: 'foreign', strategyId: 'foreign', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: farBelowTouch(s, slug), size: 10, orderType: 'GTC', postOnly: true },
      clientId, saltFor(clientId),
    );
    const out = await s.venue.send(prepared);
    expect(out.kind).toBe('accepted');
    planted.push(prepared.orderId);
    return prepared.orderId;
  };

  it('reconciliation mismatch, periodic two-way ledger check: an order at the venue we never placed halts at the second check', async () => {
    rigWith({ ledger: true, risk: { ledgerCheckSec: 5 } });
    const { slug } = await readyLive(s);
    await resting(slug);
    await s.advance(12_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // our own resting order: ledgers agree
    const id = await foreignOrder(slug);
    await s.advance(6_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // seen once
    await s.advance(5_000, 1_000);
    tripped('reconcile_mismatch', 'halted', new RegExp(`^reconcile_mismatch: ledger differs from the venue at two checks in a row: order ${id.slice(0, 12)}… is open at the venue but not in our ledger`));
    await waitFor(() => openAtSim(s).length === 0, 'halt loop cancelled the foreign order too');
  });

  it('reconciliation mismatch, reconcile.completed: the catch-up after a user-socket drop adopts a foreign order and halts', async () => {
    rigWith({});
    const { slug } = await readyLive(s);
    await foreignOrder(slug);
    await control('POST', '/faults', { kind: 'drop', scope: 'user' });
    for (let i = 0; i < 20 && rig.killSwitch.state === 'active'; i++) await s.advance(1_000, 500);
    expect(s.events.filter((e) => e.type === 'reconcile.completed').at(-1)).toMatchObject({ ok: true, adopted: 1 });
    tripped('reconcile_mismatch', 'halted', /^reconcile_mismatch: reconciliation found 1 order\(s\) at the venue the journal did not know \(adopted 1, cancelled 0\)/);
    await waitFor(() => openAtSim(s).length === 0, 'halt loop cleared the venue');
  });

  it('balance drop (POST /accounts/balance): a danger notice and reduce-only on a 20 % drop, nothing on 10 %', async () => {
    rigWith({ balance: true, risk: { balanceCheckSec: 5, balanceDropPct: 20 } });
    const { slug } = await readyLive(s);
    await resting(slug); // cash reserved by a resting order is not a drop
    await s.advance(6_000, 1_000);
    const start = Number(((await control('POST', '/accounts/balance', { address: s.address, usd: 900 })) as { balance: string }).balance) / 1e6;
    expect(start).toBe(900);
    await s.advance(6_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // 1000 -> 900: 10 %, inside the bound
    await control('POST', '/accounts/balance', { address: s.address, usd: 810 });
    await s.advance(6_000, 1_000);
    expect(rig.killSwitch.state).toBe('active'); // 10 %
    await control('POST', '/accounts/balance', { address: s.address, usd: 600 });
    await s.advance(6_000, 1_000);
    tripped('balance_drop', 'reducing', /^balance_drop: venue balance fell from 810\.00 to 600\.00 USD \(25\.9 % beyond our own fills, limit 20 %\)/);
    expect(s.events.filter((e) => e.type === 'runtime.notice').at(-1)).toMatchObject({ source: 'risk.balance', severity: 'danger', title: 'Venue balance dropped 26 %' });
    expect(rig.place(slug, { price: 0.05, size: 10 }).verdict).toMatchObject({ ok: false, rule: 'reducing_only' });
    await control('POST', '/accounts/balance', { address: s.address, usd: 1000 });
  });

  it('daily loss (a round trip across the spread on the venue): halts with the day figure persisted', async () => {
    rigWith({ risk: { maxDailyLossUsd: 0.05 } });
    const { slug, up } = await readyLive(s);
    const ask = s.marketFeed.book(up)!.bestAsk()!;
    const buy = rig.place(slug, { price: Math.min(0.99, Number((ask + 0.02).toFixed(2))), usd: 5, orderType: 'FOK', postOnly: false });
    expect(buy.verdict).toEqual({ ok: true });
    expect((await buy.sent!).ok).toBe(true);
    await waitFor(() => (s.tracker.positions.all().find((p) => p.tokenId === up)?.shares ?? 0) > 0, 'bought');
    await s.advance(6_000, 1_000); // confirmed at the venue
    const shares = s.tracker.positions.all().find((p) => p.tokenId === up)!.shares;
    const bid = s.marketFeed.book(up)!.bestBid()!;
    const rec = s.catalog.get(slug)!;
    const sell = await s.engine.place({ clientTag: `rk|${slug}|x|1`, strategyId: 'rk', market: orderMarketInfo(rec, 'up'), side: 'SELL', price: Math.max(0.01, Number((bid - 0.02).toFixed(2))), size: Math.floor(shares * 100) / 100, orderType: 'FOK', postOnly: false });
    expect(sell.ok).toBe(true);
    for (let i = 0; i < 10 && rig.killSwitch.state === 'active'; i++) await s.advance(1_000, 1_000);
    const today = rig.riskDay.realizedTodayUsd();
    expect(today).toBeLessThanOrEqual(-0.05);
    tripped('daily_loss', 'halted', /^daily_loss: daily loss -\d+\.\d\d USD reached the limit 0\.05/);
    expect(rig.store.riskDays.recent(1)[0]).toMatchObject({ realizedUsd: today });
  });
});
