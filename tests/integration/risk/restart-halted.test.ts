/**
 * A restart after a halt comes up halted, for the whole runtime: createRuntime (embedded simulator, paper trading,
 * the default strategies) over a store whose last kill-switch state is halted. The kill switch is halted before
 * start, and from the first event on nothing reaches a venue: no order is created or sent while the strategies keep
 * asking (their orders are denied by the kill switch). An operator's re-activation with a reason lets orders flow
 * again, so the check is not vacuous.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';

const DAY0_MS = 1791158400_000;
const QUIET = new Set(['book.top', 'book.snapshot', 'feed.health', 'ref.price', 'spot.price', 'runtime.heartbeat', 'book.trade']);

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

async function started(rt: Runtime): Promise<void> {
  const starting = rt.start('test');
  for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await settle();
  expect(await starting).toBe('running');
}

describe('restart after a halt (createRuntime, paper on the embedded simulator)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'restart-halted-'));
  const file = join(dir, 'updown.sqlite');
  const clock = new SimClock(DAY0_MS + 10_000);
  const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 7 } });
  const runtimes: Runtime[] = [];

  const create = (events: BotEvent[]) => {
    const rt = createRuntime({ instanceId: `rt${runtimes.length}`, version: 't', config, clock, store: openStore(file) });
    runtimes.push(rt);
    rt.bus.onAny((e) => {
      if (!QUIET.has(e.type)) events.push(e);
    });
    return rt;
  };
  const runUntil = async (cond: () => boolean, maxMs: number) => {
    const end = clock.nowMs() + maxMs;
    while (!cond() && clock.nowMs() < end) {
      clock.advanceBy(1_000);
      await settle();
    }
  };
  const ordersSent = (events: BotEvent[]) => events.filter((e) => e.type === 'order.state' && (e.state === 'created' || e.state === 'submitted'));

  afterAll(async () => {
    for (const rt of runtimes) await rt.dispose('test done').catch(() => undefined);
    for (const rt of runtimes) rt.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trades while active, is halted by an operator, and the next runtime over the same store never sends an order', async () => {
    const first: BotEvent[] = [];
    const rt1 = create(first);
    expect(rt1.killSwitch.state).toBe('active');
    await started(rt1);
    await runUntil(() => ordersSent(first).length > 0, 3_600_000);
    expect(ordersSent(first).length).toBeGreaterThan(0); // the strategies trade when active
    rt1.killSwitch.set({ state: 'halted', reason: 'halt before the restart', actor: 'operator(test)' });
    await rt1.dispose('restart');
    rt1.store.close();

    const second: BotEvent[] = [];
    const rt2 = create(second);
    // Halted from construction, before any component started.
    expect(rt2.killSwitch.snapshot()).toMatchObject({ state: 'halted', reason: 'halt before the restart', actor: 'operator(test)' });
    expect(rt2.status().killSwitch.state).toBe('halted');
    await started(rt2);
    await runUntil(() => false, 30 * 60_000);
    expect(ordersSent(second)).toEqual([]);
    const denied = second.filter((e) => e.type === 'risk.denied');
    expect(denied.length).toBeGreaterThan(0); // the strategies kept asking ...
    expect(denied.every((e) => e.type === 'risk.denied' && e.rule === 'kill_switch')).toBe(true); // ... and the kill switch said no
    expect(second.filter((e) => e.type === 'killswitch.changed')).toEqual([]);
    expect(rt2.killSwitch.state).toBe('halted');

    rt2.killSwitch.set({ state: 'active', reason: 'operator re-activates after review', actor: 'operator(test)' });
    await runUntil(() => ordersSent(second).length > 0, 3_600_000);
    expect(ordersSent(second).length).toBeGreaterThan(0);
    expect(rt2.store.audit.recent(50).filter((a) => a.action === 'killswitch.set').map((a) => a.detail.to)).toEqual(['active', 'halted']);
  }, 240_000);
});
