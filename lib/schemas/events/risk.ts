/** Risk engine events: denials (with the rule that fired) and cooldowns. */
import { z } from 'zod';
import { defineEvent } from './base';

export const riskRules = [
  'kill_switch',
  'reducing_only',
  'window_closed',
  'feed',
  'venue',
  'max_usd_per_trade',
  'max_trades_per_hour',
  'error_cooldown',
  'loss_cooldown',
  'strategy_budget',
  'window_exposure',
  'total_exposure',
  'daily_loss',
  'invalid',
] as const;
export const riskRuleSchema = z.enum(riskRules);
export type RiskRule = z.infer<typeof riskRuleSchema>;

export const riskEvents = [
  defineEvent('risk.denied', {
    strategyId: z.string(),
    clientTag: z.string(),
    windowSlug: z.string(),
    rule: riskRuleSchema,
    reason: z.string(),
  }),
  defineEvent('risk.cooldown', {
    rule: riskRuleSchema,
    untilMs: z.number(),
    reason: z.string(),
  }),
] as const;
