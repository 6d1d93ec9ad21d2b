import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { KillSwitchError } from '../../../bot/risk/kill-switch';
import { createRuntime, type RuntimeComponent } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function make(components: RuntimeComponent[] = [], file = ':memory:') {
  const clock = new SimClock(1_700_000_000_000);
  const store = openStore(file);
  const rt = createRuntime({ instanceId: 'test-1', version: 't', config: defaultRuntimeConfig(), clock, store, components, bare: true });
  return { clock, store, rt };
}

describe('runtime lifecycle', () => {
  it('goes stopped -> starting -> running -> stopping -> stopped and publishes each state', async () => {
    const { rt } = make();
    const states: string[] = [];
    rt.bus.on('runtime.state', (e) => states.push(e.state));
    expect(await rt.start()).toBe('running');
    expect(await rt.stop()).toBe('stopped');
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped']);
  });

  it('is idempotent and consistent under concurrent start/stop/restart calls', async () => {
    const log: string[] = [];
    const slow: RuntimeComponent = {
      name: 'slow',
      start: async () => {
        log.push('start');
        await Promise.resolve();
      },
      stop: async () => {
        log.push('stop');
        await Promise.resolve();
      },
    };
    const { rt } = make([slow]);
    const results = await Promise.all([rt.start(), rt.start(), rt.stop(), rt.restart(), rt.start(), rt.stop(), rt.stop()]);
    expect(results).toEqual(['running', 'running', 'stopped', 'running', 'running', 'stopped', 'stopped']);
    expect(rt.status().state).toBe('stopped');
    // starts and stops strictly alternate: never two starts without a stop in between
    expect(log).toEqual(['start', 'stop', 'start', 'stop']);
  });

  it('enters error when a component fails to start and stops what already started', async () => {
    const log: string[] = [];
    const ok: RuntimeComponent = { name: 'ok', start: async () => void log.push('ok up'), stop: async () => void log.push('ok down') };
    const bad: RuntimeComponent = { name: 'bad', start: async () => { throw new Error('no venue'); }, stop: async () => {} };
    const { rt } = make([ok, bad]);
    expect(await rt.start()).toBe('error');
    expect(rt.status().lastError).toContain('no venue');
    expect(log).toEqual(['ok up', 'ok down']);
    // recoverable: a later start tries again
    expect(await rt.stop()).toBe('stopped');
  });

  it('publishes heartbeats with uptime while running, none after stop', async () => {
    const { rt, clock } = make();
    const beats: number[] = [];
    rt.bus.on('runtime.heartbeat', (e) => beats.push(e.uptimeMs));
    await rt.start();
    clock.advanceBy(3_000);
    await rt.stop();
    clock.advanceBy(3_000);
    expect(beats).toEqual([1_000, 2_000, 3_000]);
  });
});

describe('kill switch', () => {
  it('halts synchronously (hooks run before set() returns), audits, and publishes', () => {
    const { rt, store } = make();
    const order: string[] = [];
    rt.killSwitch.onHalt(() => order.push('cancel-all'));
    rt.bus.on('killswitch.changed', (e) => order.push(`event ${e.state}`));
    rt.killSwitch.set({ state: 'halted', reason: 'manual test', actor: 'operator' });
    expect(order).toEqual(['cancel-all', 'event halted']);
    expect(rt.killSwitch.allowsNewOrders()).toBe(false);
    expect(store.audit.recent(1)[0]).toMatchObject({ actor: 'operator', action: 'killswitch.set', detail: { from: 'active', to: 'halted' } });
  });

  it('refuses automatic re-activation and operator re-activation without a reason', () => {
    const { rt } = make();
    rt.killSwitch.set({ state: 'halted', reason: 'daily loss', actor: 'risk', automatic: true });
    expect(() => rt.killSwitch.set({ state: 'active', reason: 'auto', actor: 'risk', automatic: true })).toThrow(KillSwitchError);
    expect(() => rt.killSwitch.set({ state: 'active', reason: ' ', actor: 'op' })).toThrow(/reason/);
    expect(rt.killSwitch.set({ state: 'active', reason: 'checked the feed', actor: 'op' }).state).toBe('active');
  });

  it('survives a restart of the process (persisted)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ks-')), 'db.sqlite');
    const a = make([], file);
    a.rt.killSwitch.set({ state: 'reducing', reason: 'winding down', actor: 'op' });
    a.store.close();
    const b = make([], file);
    expect(b.rt.killSwitch.snapshot()).toMatchObject({ state: 'reducing', reason: 'winding down', actor: 'op' });
    b.store.close();
  });
});
