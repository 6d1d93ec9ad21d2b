/**
 * LiveArming on its own: paper never blocks; live blocks until an operator arms with the typed confirmation and a
 * reason while the runtime is ready; refusals change nothing; `--arm` waits for readiness; disarm refuses at once and
 * cancels; reset (stop, halt) disarms without cancelling; every change is audited and published.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ARM_CONFIRMATION, ArmingError, LiveArming } from '../../../bot/risk';
import { openStore } from '../../../bot/store';
import type { BotEvent } from '../../../lib/schemas/events';

function setup(required = true) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const store = openStore(':memory:');
  const events: BotEvent[] = [];
  bus.onAny((e) => void events.push(e));
  const state = { notReady: undefined as string | undefined, cancels: 0, resting: 3 };
  const arming = new LiveArming({
    clock, bus, audit: store.audit, required,
    readiness: () => state.notReady,
    cancelAll: async () => {
      state.cancels++;
      const n = state.resting;
      state.resting = 0;
      return n;
    },
  });
  const changes = () => events.filter((e) => e.type === 'arming.changed');
  return { clock, arming, state, store, changes };
}

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ArmingError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('LiveArming', () => {
  it('paper: never blocks and refuses to arm (there is nothing to arm)', () => {
    const { arming } = setup(false);
    expect(arming.blockReason()).toBeUndefined();
    expect(arming.snapshot()).toMatchObject({ required: false, armed: false });
    expect(code(() => arming.arm({ actor: 'op', reason: 'go live', confirm: ARM_CONFIRMATION }))).toBe('not_required');
  });

  it('live: blocks until armed; the confirmation must be typed exactly, a reason given, and the runtime ready', () => {
    const { arming, state, changes, store } = setup();
    expect(arming.blockReason()).toMatch(/not armed/);
    expect(code(() => arming.arm({ actor: 'op', reason: 'go live', confirm: 'arm live' }))).toBe('confirmation');
    expect(code(() => arming.arm({ actor: 'op', reason: 'go live', confirm: 'ARM' }))).toBe('confirmation');
    expect(code(() => arming.arm({ actor: 'op', reason: ' x ', confirm: ARM_CONFIRMATION }))).toBe('reason');
    state.notReady = 'preflight NO-GO: geoblock';
    expect(() => arming.arm({ actor: 'op', reason: 'go live', confirm: ARM_CONFIRMATION })).toThrow('cannot arm: preflight NO-GO: geoblock');
    expect(arming.snapshot()).toMatchObject({ armed: false, notReady: 'preflight NO-GO: geoblock' });
    expect(changes()).toEqual([]); // refusals change nothing
    state.notReady = undefined;
    expect(arming.arm({ actor: 'op', reason: 'go live', confirm: ` ${ARM_CONFIRMATION} ` })).toMatchObject({ armed: true, actor: 'op', reason: 'go live' });
    expect(arming.blockReason()).toBeUndefined();
    expect(changes()).toEqual([expect.objectContaining({ armed: true, actor: 'op', reason: 'go live', automatic: false })]);
    expect(store.audit.recent(1)[0]).toMatchObject({ actor: 'op', action: 'arming.armed' });
  });

  it('disarm refuses new orders at once (before the cancel resolves) and cancels our resting orders', async () => {
    const { arming, state, changes, store } = setup();
    arming.arm({ actor: 'op', reason: 'go live', confirm: ARM_CONFIRMATION });
    const pending = arming.disarm({ actor: 'op2', reason: 'done for today' });
    expect(arming.blockReason()).toMatch(/not armed/); // same turn
    expect(await pending).toMatchObject({ armed: false, actor: 'op2', reason: 'done for today' });
    expect(state.cancels).toBe(1);
    expect(changes().at(-1)).toMatchObject({ armed: false, actor: 'op2', canceled: 3 });
    expect(store.audit.recent(1)[0]).toMatchObject({ actor: 'op2', action: 'arming.disarmed' });
    await arming.disarm({ actor: 'op2', reason: 'again' }); // idempotent: nothing more to do
    expect(state.cancels).toBe(1);
    expect(changes()).toHaveLength(2);
  });

  it('--arm waits for readiness, then arms once; a disarm drops the waiting request', () => {
    const { arming, state, changes } = setup();
    state.notReady = 'preflight not finished: new orders wait for GO';
    expect(arming.armWhenReady({ actor: 'operator(cli)', reason: '--arm at start' })).toMatchObject({ armed: false, armWhenReady: true });
    expect(arming.blockReason()).toMatch(/--arm waits for the preflight/);
    arming.poll();
    expect(arming.armed).toBe(false);
    state.notReady = undefined;
    arming.poll();
    expect(arming.snapshot()).toMatchObject({ armed: true, actor: 'operator(cli)', armWhenReady: false });
    arming.poll();
    expect(changes()).toHaveLength(1);
    arming.reset('stopped');
    state.notReady = 'x';
    arming.armWhenReady({ actor: 'operator(cli)', reason: '--arm at start' });
    void arming.disarm({ actor: 'op', reason: 'not today' });
    state.notReady = undefined;
    arming.poll();
    expect(arming.armed).toBe(false);
  });

  it('reset (a stop or a halt) disarms without cancelling: stopping handles its own orders, the halt loop cancels', () => {
    const { arming, state, changes } = setup();
    arming.arm({ actor: 'op', reason: 'go live', confirm: ARM_CONFIRMATION });
    arming.reset('kill switch halted: daily loss');
    expect(arming.snapshot()).toMatchObject({ armed: false, actor: 'system', reason: 'kill switch halted: daily loss' });
    expect(state.cancels).toBe(0);
    expect(changes().at(-1)).toMatchObject({ armed: false, automatic: true });
  });
});
