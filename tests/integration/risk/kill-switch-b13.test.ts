/**
 * Battery B13 on the simulator (live venue, real sockets): the kill switch under a 10x traffic burst with resting
 * orders of ours and more in flight.
 *
 * - The crowd is made about ten times busier (takers every 150 ms instead of 3 s, requotes every 100 ms instead of
 *   1 s); the test measures the market frames per simulated second against a default-crowd stack of the same seed.
 * - Ten resting orders of ours, placed through the risk engine (what the strategy host does), and five more placed
 *   in the same turn as the halt (in flight: their POSTs have not been answered when the halt lands).
 * - A halt refuses the very next order synchronously (same turn), cancel-all leaves in that turn, and the simulator
 *   shows zero open orders of ours within one simulated second; every in-flight order ends terminal.
 * - The state and an audit entry persist (store file closed and reopened) and a restart (a new kill switch, risk
 *   engine and halt loop over the same store) comes up halted; an automatic trigger or a reason-less request cannot
 *   clear it, an operator with a reason can, and trading resumes.
 * Invariants (shared, invariants.ts): two-way ledger and cash, no duplicate or unknown order at the venue, nothing
 * resting, no secret in the logs, events or audit rows, and exactly one audit entry per operator action (the halt,
 * then the clearance).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KillSwitch, KillSwitchError } from '../../../bot/risk';
import { openStore, type Store } from '../../../bot/store';
import { DAY0_MS, farBelowTouch, readyLive, startStack, waitFor, type Stack } from '../venue/harness';
import { expectInvariants } from '../venue/invariants';
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

  it('refuses in the same turn, clears the venue (resting and in-flight orders) within one simulated second, persists, restarts halted, clears only by an operator with a reason', async () => {
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

    // Five more orders in flight, the halt and the next order in one synchronous block: no await between them.
    const inFlight = Array.from({ length: 5 }, (_, i) => rig.place(slug, { price: Math.max(0.01, price - i * 0.01), size: 10 }));
    for (const p of inFlight) expect(p.verdict).toEqual({ ok: true });
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
    const flown = await Promise.all(inFlight.map((p) => p.sent!));
    // They reached the venue (accepted, resting) while the halt was under way: the halt loop must catch them too.
    for (const r of flown) expect(r.ok && r.outcome.kind === 'accepted' && r.outcome.status).toBe('live');
    await waitFor(() => openAtSim(s).length === 0, 'venue shows zero open orders');
    expect(s.clock.nowMs() - haltedAtMs).toBeLessThanOrEqual(1_000);
    await waitFor(() => s.events.some((e) => e.type === 'risk.halt_progress' && e.done), 'halt loop done');
    expect(s.clock.nowMs() - haltedAtMs).toBeLessThanOrEqual(1_000);
    await s.advance(750, 250);
    await waitFor(() => s.tracker.open().length === 0, 'tracker saw the cancels');
    expect(openAtSim(s)).toHaveLength(0);
    for (const p of inFlight) expect(s.tracker.getByTag(p.clientTag)!.state).toBe('canceled');

    // Shared invariants, with the audit rows searched for secrets too; one audit entry: the operator's halt.
    const submitted = s.events.filter((e) => e.type === 'order.state' && e.state === 'submitted').map((e) => (e.type === 'order.state' ? e.clientTag : ''));
    expect(new Set(submitted).size).toBe(submitted.length);
    expect(submitted).toHaveLength(15);
    const auditRows = () => rig.store.audit.recent(100);
    expectInvariants(s, { logs: [...s.logs, ...auditRows().map((a) => JSON.stringify(a))], audit: { entries: auditRows(), expectedActions: ['killswitch.set'] } });
    expect(auditRows()[0]).toMatchObject({ action: 'killswitch.set', actor: 'operator(test)', detail: { from: 'active', to: 'halted', reason: 'B13 operator halt under load', automatic: false } });

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

      // Only a human action with a reason clears it: an automatic trigger and a reason-less request are refused
      // (and leave no audit entry); the operator's clearance is one entry, and trading resumes.
      expect(() => restarted.killSwitch.set({ state: 'active', reason: 'auto recovery', actor: 'auto', automatic: true })).toThrow(KillSwitchError);
      expect(() => restarted.killSwitch.set({ state: 'active', reason: ' ', actor: 'operator(test)' })).toThrow(KillSwitchError);
      expect(restarted.killSwitch.state).toBe('halted');
      const cleared = restarted.killSwitch.set({ state: 'active', reason: 'B13 reviewed: venue clear', actor: 'operator(test)' });
      expect(cleared.state).toBe('active');
      const resumed = restarted.place(slug, { price, size: 10 });
      expect(resumed.verdict).toEqual({ ok: true });
      const r = await resumed.sent!;
      expect(r.ok && r.outcome.kind).toBe('accepted');
      await s.advance(250, 250);
      expect(openAtSim(s)).toHaveLength(1);
      expect(await s.engine.cancel(resumed.clientTag)).toBe(true);
      await s.advance(250, 250);
      const rows = reopened.audit.recent(100);
      expect(rows[0]).toMatchObject({ action: 'killswitch.set', actor: 'operator(test)', detail: { from: 'halted', to: 'active', reason: 'B13 reviewed: venue clear', automatic: false } });
      expectInvariants(s, { logs: [...s.logs, ...rows.map((a) => JSON.stringify(a))], audit: { entries: rows, expectedActions: ['killswitch.set', 'killswitch.set'] } });
      restarted.dispose();
    } finally {
      reopened.close();
    }
  }, 60_000);
});
