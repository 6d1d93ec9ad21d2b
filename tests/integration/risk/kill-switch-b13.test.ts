/**
 * Battery B13 on the simulator: the kill switch under a 10x traffic burst with resting orders of ours.
 *
 * - The crowd is made about ten times busier (takers every 150 ms instead of 3 s, requotes every 100 ms instead of
 *   1 s); the test measures the market frames per simulated second against a default-crowd stack of the same seed.
 * - Ten resting orders of ours, placed through the risk engine (what the strategy host does).
 * - A halt refuses the very next order synchronously (same turn), cancel-all leaves in that turn, and the simulator
 *   shows zero open orders of ours within one simulated second.
 * - The state and an audit entry persist (store file closed and reopened) and a restart (a new kill switch, risk
 *   engine and halt loop over the same store) comes up halted.
 * Invariants asserted: no duplicate orders, ledger equals venue both ways, no secret in any event or audit entry,
 * an audit entry for the operator's action.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KillSwitch } from '../../../bot/risk';
import { openStore, type Store } from '../../../bot/store';
import { DAY0_MS, farBelowTouch, ledgerMatches, readyLive, startStack, waitFor, type Stack } from '../venue/harness';
import { openAtSim, wireRisk, type RiskRig } from './risk-rig';

const BUSY_CROWD = { takerMeanIntervalMs: 150, makerRequoteMs: 100 };

async function marketFramesPerSimSecond(s: Stack, ms: number): Promise<number> {
  const before = s.sim.model.hub.published.market;
  await s.advance(ms, 250);
  return ((s.sim.model.hub.published.market - before) * 1000) / ms;
}

describe('B13: kill switch under a 10x traffic burst (live venue on the simulator)', () => {
  let s: Stack;
  let rig: RiskRig;
  let dir: string;
  let file: string;
  let baselineRate = 0;

  beforeAll(async () => {
    const quiet = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 20_000 });
    await quiet.start();
    await readyLive(quiet);
    baselineRate = await marketFramesPerSimSecond(quiet, 10_000);
    await quiet.stop();

    dir = mkdtempSync(join(tmpdir(), 'b13-'));
    file = join(dir, 'updown.sqlite');
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 20_000, sim: { crowd: BUSY_CROWD } });
    rig = wireRisk(s, { store: openStore(file) });
    await s.start();
    await readyLive(s);
  }, 60_000);

  afterAll(async () => {
    rig?.dispose();
    await s?.stop();
    rig?.store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses in the same turn, clears the venue within one simulated second, persists, and restarts halted', async () => {
    const burstRate = await marketFramesPerSimSecond(s, 5_000);
    expect(burstRate, `burst ${burstRate}/s vs default ${baselineRate}/s`).toBeGreaterThanOrEqual(10 * baselineRate);

    const { slug } = await readyLive(s);
    const price = farBelowTouch(s, slug);
    const placed = Array.from({ length: 10 }, (_, i) => rig.place(slug, { price: Math.max(0.01, price - i * 0.01), size: 10 }));
    for (const p of placed) expect(p.verdict).toEqual({ ok: true });
    const results = await Promise.all(placed.map((p) => p.sent!));
    for (const r of results) expect(r.ok && r.outcome.kind).toBe('accepted');
    await s.advance(500, 250);
    expect(openAtSim(s)).toHaveLength(10);
    expect(s.tracker.open()).toHaveLength(10);

    // The halt and the next order in one synchronous block: no await between them.
    const events = s.events.length;
    const snap = rig.killSwitch.set({ state: 'halted', reason: 'B13 operator halt under load', actor: 'operator(test)' });
    const next = rig.place(slug, { price, size: 10 });
    expect(snap.state).toBe('halted');
    expect(next.verdict).toMatchObject({ ok: false, rule: 'kill_switch' });
    expect(next.sent).toBeUndefined();
    expect(rig.haltLoop.attempts).toBe(1); // cancel-all already sent, in the same turn
    expect(s.events.slice(events).map((e) => e.type)).toContain('killswitch.changed');

    const haltedAtMs = s.clock.nowMs();
    await s.advance(250, 250); // sim time: +250 ms, sockets and HTTP drain between steps
    await waitFor(() => openAtSim(s).length === 0, 'venue shows zero open orders');
    expect(s.clock.nowMs() - haltedAtMs).toBeLessThanOrEqual(1_000);
    await waitFor(() => s.events.some((e) => e.type === 'risk.halt_progress' && e.done), 'halt loop done');
    expect(s.clock.nowMs() - haltedAtMs).toBeLessThanOrEqual(1_000);
    await s.advance(750, 250);
    await waitFor(() => s.tracker.open().length === 0, 'tracker saw the cancels');

    // Invariants: no duplicate orders, ledger = venue both ways, no secret anywhere, audit for the operator action.
    const submitted = s.events.filter((e) => e.type === 'order.state' && e.state === 'submitted').map((e) => (e.type === 'order.state' ? e.clientTag : ''));
    expect(new Set(submitted).size).toBe(submitted.length);
    expect(submitted).toHaveLength(10);
    expect(ledgerMatches(s).diffs).toEqual([]);
    expect((await s.venue.openOrders()).map((o) => o.orderId)).toEqual(s.tracker.open().flatMap((o) => (o.orderId ? [o.orderId] : [])));
    const text = JSON.stringify(s.events) + JSON.stringify(rig.store.audit.recent(100));
    for (const secret of [s.creds.secret, s.creds.passphrase, '42'.repeat(32)]) expect(text).not.toContain(secret);
    const audit = rig.store.audit.recent(20).find((a) => a.action === 'killswitch.set');
    expect(audit).toMatchObject({ actor: 'operator(test)', detail: { from: 'active', to: 'halted', reason: 'B13 operator halt under load', automatic: false } });

    // Persisted: reopen the store file.
    rig.dispose();
    rig.store.close();
    const reopened: Store = openStore(file);
    try {
      expect(reopened.killSwitch.latest()).toMatchObject({ state: 'halted', reason: 'B13 operator halt under load', actor: 'operator(test)' });
      expect(reopened.audit.recent(20).some((a) => a.action === 'killswitch.set' && a.detail.to === 'halted')).toBe(true);
      // Restart: a new kill switch (and the whole risk wiring) over the same store comes up halted.
      expect(new KillSwitch({ clock: s.clock, bus: s.bus, store: reopened.killSwitch, audit: reopened.audit }).state).toBe('halted');
      const restarted = wireRisk(s, { store: reopened });
      expect(restarted.killSwitch.snapshot()).toMatchObject({ state: 'halted', reason: 'B13 operator halt under load' });
      expect(restarted.place(slug, { price, size: 10 }).verdict).toMatchObject({ ok: false, rule: 'kill_switch' });
      expect(restarted.haltLoop.attempts).toBe(1); // came up halted: it checks the venue at once
      await s.advance(500, 250);
      await waitFor(() => s.events.filter((e) => e.type === 'risk.halt_progress' && e.done).length >= 2, 'restart halt loop done');
      expect(openAtSim(s)).toHaveLength(0);
      restarted.dispose();
    } finally {
      reopened.close();
    }
  }, 60_000);
});
