/**
 * The strategy contract: strategies are deciders without side effects (ARCHITECTURE.md "Contracts").
 *
 * - `onStart / onEvent / onStop (ctx) => Intent[]`: pure with respect to the outside world. No I/O, no await,
 *   no module state, no Date.now / Math.random: the time is `ctx.nowMs`, all state lives on the instance.
 * - The runtime updates the views in `ctx` before calling `onEvent`, sends every `place` intent through the
 *   risk engine, then to the venue, and feeds the order outcome back as events.
 * - `updateConfig` receives a full, already-validated config in which only fields flagged updatable may
 *   differ from the running one (see registry.ts `checkConfigUpdate`).
 * - One decision record per window with action 'traded' or 'skipped' is emitted by every strategy when a
 *   window of its series closes (`window.closed`); intermediate evaluations use action 'evaluated'.
 *
 * The same instance code runs in live, paper and replay; several instances (of one or many types) may run
 * side by side under one risk engine, distinguished by ctx.strategyId.
 */
import type { z } from 'zod';
import type { StrategyContext } from './context';
import type { StrategyEvent } from './events';
import type { Intent } from './intents';

export interface Strategy<C = unknown> {
  /** Registry id of the strategy type. */
  readonly type: string;
  onStart(ctx: StrategyContext): Intent[];
  onEvent(event: StrategyEvent, ctx: StrategyContext): Intent[];
  onStop(ctx: StrategyContext): Intent[];
  updateConfig(config: C): void;
  readonly config: C;
}

/** A registry entry: id, strict config schema (defaults + updatable flags in `.meta`), factory. */
export interface StrategyDefinition<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly configSchema: S;
  create(config: z.output<S>): Strategy<z.output<S>>;
}

/** Identity helper that keeps the schema's type when declaring a definition. */
export function defineStrategy<S extends z.ZodType>(def: StrategyDefinition<S>): StrategyDefinition<S> {
  return def;
}
