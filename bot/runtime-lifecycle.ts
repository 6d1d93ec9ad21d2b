/**
 * Runtime lifecycle: stopped -> starting -> running -> stopping -> stopped, plus error.
 * Operations are serialized on one promise chain, so concurrent start/stop/restart calls run one at a time
 * in call order and each is idempotent (start while running is a no-op, stop while stopped is a no-op).
 */
import type { RuntimeState } from '../lib/schemas/events/runtime';
import { type TransitionTable, transition } from './util/state-machine';

export const runtimeTable: TransitionTable<RuntimeState> = {
  stopped: ['starting'],
  starting: ['running', 'error', 'stopping'],
  running: ['stopping', 'error'],
  stopping: ['stopped', 'error'],
  error: ['starting', 'stopping', 'stopped'],
};

export class Lifecycle {
  private current: RuntimeState = 'stopped';
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly onChange: (state: RuntimeState, prev: RuntimeState, reason?: string) => void) {}

  get state(): RuntimeState {
    return this.current;
  }

  move(to: RuntimeState, reason?: string): void {
    const prev = this.current;
    this.current = transition('runtime', runtimeTable, prev, to);
    this.onChange(to, prev, reason);
  }

  /** Run op after every earlier op has settled; a failing op does not break the chain. */
  serialize<T>(op: () => Promise<T>): Promise<T> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
