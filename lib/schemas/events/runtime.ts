/** Runtime lifecycle, health and risk (kill switch) events. */
import { z } from 'zod';
import { defineEvent } from './base';

export const runtimeStates = ['stopped', 'starting', 'running', 'stopping', 'error'] as const;
export const runtimeStateSchema = z.enum(runtimeStates);
export type RuntimeState = z.infer<typeof runtimeStateSchema>;

export const tradingStates = ['active', 'reducing', 'halted'] as const;
export const tradingStateSchema = z.enum(tradingStates);
export type TradingState = z.infer<typeof tradingStateSchema>;

export const runtimeEvents = [
  defineEvent('runtime.state', {
    instanceId: z.string(),
    state: runtimeStateSchema,
    prevState: runtimeStateSchema,
    reason: z.string().optional(),
  }),
  defineEvent('runtime.heartbeat', {
    instanceId: z.string(),
    state: runtimeStateSchema,
    uptimeMs: z.number().nonnegative(),
    eventsPerSec: z.number().nonnegative(),
  }),
  defineEvent('runtime.error', {
    source: z.string(),
    message: z.string(),
    count: z.number().int().nonnegative().optional(),
  }),
  /**
   * Something the operator must know that is not an error in the bot: missing credentials, a failed preflight
   * check, a venue that cannot be reached. `detail` says what to do. Never carries a secret.
   */
  defineEvent('runtime.notice', {
    source: z.string(),
    severity: z.enum(['info', 'warn', 'danger']),
    title: z.string(),
    detail: z.string(),
  }),
  defineEvent('killswitch.changed', {
    state: tradingStateSchema,
    prevState: tradingStateSchema,
    reason: z.string(),
    actor: z.string(),
    automatic: z.boolean(),
  }),
] as const;
