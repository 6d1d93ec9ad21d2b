/**
 * Live arming and the automatic triggers inside the runtime: createRuntime in live mode on the embedded simulator (a
 * freshly generated wallet, SimClock), the default strategies.
 *
 * - Disarmed after start: the strategies ask, the risk engine refuses (`not_armed`), nothing reaches the venue.
 * - Armed by an operator (after the preflight's GO): orders rest at the venue.
 * - Disarmed: new orders refused in the same turn; the venue shows none of ours left.
 * - The venue balance drops (fault API): the live venue's balance read sees it, alert and reduce-only.
 * - Armed again, then an automatic trigger (reference-versus-spot divergence through the simulator's fault API)
 *   halts: the trigger's reason is audited, the runtime is disarmed, the halt loop reports the venue clear.
 * - A restart comes up halted and disarmed.
 */
import { Wallet } from '@ethersproject/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';
import { control } from '../preflight/helpers';

const DAY0_MS = 1791158400_000;

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

describe('live arming and automatic triggers in the live runtime (embedded simulator)', () => {
  const clock = new SimClock(DAY0_MS + 20_000);
  let store: Store;
  let rt: Runtime;
  const events: BotEvent[] = [];
  const ARM = { actor: 'operator(test)', reason: 'arming test', confirm: 'ARM LIVE' };
  let wallet: Wallet;

  const runUntil = async (cond: () => boolean, maxMs: number, step = 500) => {
    const end = clock.nowMs() + maxMs;
    while (!cond() && clock.nowMs() < end) {
      clock.advanceBy(step);
      await settle();
    }
    return cond();
  };
  const session = () => rt.session!;
  const sent = (from = 0) => events.slice(from).filter((e) => e.type === 'order.state' && e.state === 'submitted');
  const venueOpen = async () => {
    const p = session().stack!.venue.openOrders();
    for (let i = 0; i < 50; i++) await settle(1);
    return (await p).length;
  };

  beforeAll(async () => {
    store = openStore(':memory:');
    const config = runtimeConfigSchema.parse({
      mode: 'live', venue: 'sim', sim: { seed: 21 },
      risk: { maxReferenceSpotDivergenceBps: 150, divergenceHaltSec: 3, balanceCheckSec: 5 },
    });
    wallet = Wallet.createRandom();
    rt = createRuntime({ instanceId: 'arm', version: 't', config, clock, store, credentials: { privateKey: wallet.privateKey, signatureType: 0 } });
    rt.bus.onAny((e) => void events.push(e));
    const starting = rt.start('test');
    for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
    expect(await runUntil(() => session().preflight.latest?.go === true, 30_000, 100)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await rt?.dispose('test done');
    store?.close();
  });

  it('disarmed after start: the strategies ask, the risk engine refuses not_armed, nothing is sent', async () => {
    expect(rt.status().arming).toMatchObject({ required: true, armed: false });
    expect(await runUntil(() => events.some((e) => e.type === 'risk.denied' && e.rule === 'not_armed'), 30 * 60_000)).toBe(true);
    expect(sent()).toEqual([]);
    expect(await venueOpen()).toBe(0);
  }, 60_000);

  it('armed: orders reach the venue; disarmed: refused in the same turn and none of ours left at the venue', async () => {
    expect(session().arming.arm(ARM)).toMatchObject({ armed: true });
    expect(await runUntil(() => sent().length > 0 && session().stack!.tracker.open().length > 0, 60 * 60_000)).toBe(true);
    expect(await venueOpen()).toBeGreaterThan(0);
    const disarming = session().arming.disarm({ actor: 'operator(test)', reason: 'one click' });
    const rec = session().stack!.catalog.current('5m')!;
    const probe = { strategyId: 'probe', clientTag: 'probe|x|e|1', windowSlug: rec.window.slug, tokenId: rec.upTokenId, side: 'BUY' as const, price: 0.05, usd: 1, orderType: 'GTC' as const, postOnly: true, reducesExposure: false };
    expect(session().riskEngine.approve(probe)).toMatchObject({ ok: false, rule: 'not_armed' }); // same turn
    await runUntil(() => false, 1_000, 100); // one simulated second
    await disarming;
    expect(await venueOpen()).toBe(0);
    expect(events.filter((e) => e.type === 'arming.changed').map((e) => (e as { armed: boolean }).armed)).toEqual([true, false]);
    const from = events.length;
    await runUntil(() => false, 5 * 60_000, 1_000);
    expect(sent(from)).toEqual([]);
  }, 60_000);

  it('balance drop (the venue balance read by the live venue, changed through the fault API): alert and reduce-only', async () => {
    const ctl = rt.simulator!.sim!.urls.control;
    await control(ctl, '/accounts/balance', { address: wallet.address, usd: 900 });
    await runUntil(() => false, 6_000, 250); // one balance read at 900
    expect(rt.killSwitch.state).toBe('active');
    await control(ctl, '/accounts/balance', { address: wallet.address, usd: 600 });
    expect(await runUntil(() => rt.killSwitch.state !== 'active', 12_000, 250)).toBe(true);
    expect(rt.killSwitch.snapshot()).toMatchObject({ state: 'reducing', actor: 'risk', reason: expect.stringMatching(/^balance_drop: venue balance fell from 900\.00 to 600\.00 USD/) });
    expect(events.some((e) => e.type === 'runtime.notice' && e.source === 'risk.balance' && e.severity === 'danger')).toBe(true);
    rt.killSwitch.set({ state: 'active', reason: 'balance change explained', actor: 'operator(test)' });
  }, 60_000);

  it('an automatic trigger (divergence via the fault API) halts, disarms and the halt loop clears the venue', async () => {
    session().arming.arm(ARM);
    expect(await runUntil(() => session().stack!.tracker.open().length > 0, 60 * 60_000)).toBe(true);
    await control(rt.simulator!.sim!.urls.control, '/spot-offset', { offsetBps: 400 });
    expect(await runUntil(() => rt.killSwitch.state === 'halted', 30_000, 250)).toBe(true);
    expect(rt.killSwitch.snapshot()).toMatchObject({ actor: 'risk', automatic: true, reason: expect.stringMatching(/^divergence: btc reference .* bps apart/) });
    expect(events.filter((e) => e.type === 'risk.triggered').at(-1)).toMatchObject({ trigger: 'divergence', state: 'halted' });
    expect(rt.status().arming.armed).toBe(false);
    expect(await runUntil(() => events.some((e) => e.type === 'risk.halt_progress' && e.done), 5_000, 100)).toBe(true);
    expect(await venueOpen()).toBe(0);
    expect(store.audit.recent(50).some((a) => a.action === 'killswitch.set' && String((a.detail as { reason?: string }).reason).startsWith('divergence:'))).toBe(true);
    await control(rt.simulator!.sim!.urls.control, '/spot-offset', { offsetBps: 0 });
  }, 60_000);

  it('a restart comes up halted and disarmed', async () => {
    expect(await rt.restart('test restart')).toBe('running');
    expect(rt.killSwitch.state).toBe('halted');
    expect(rt.status().arming).toMatchObject({ required: true, armed: false });
    expect(() => session().arming.arm(ARM)).toThrow(/kill switch is halted/);
  }, 60_000);
});
