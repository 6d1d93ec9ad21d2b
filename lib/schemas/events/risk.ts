/**
 * Risk engine events: denials (with the rule that fired), cooldowns, automatic kill-switch triggers (which trigger,
 * the state it moved to, why), the halt loop's progress (cancel-all until the venue shows no open orders) and live
 * arming (armed / disarmed, by whom, why), and the correlation between assets behind the cap on aggregate
 * directional exposure (`risk.correlation`, a data event published at a bounded rate), and the collateral balance the
 * pre-trade balance rule and the drawdown trigger read (`risk.balance`, bot/risk/balance-source.ts, bounded rate).
 */
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
  'token_position',
  'window_exposure',
  'total_exposure',
  'daily_loss',
  'invalid',
  'not_armed',
  'series_disabled',
  'series_exposure',
  'correlated_exposure',
  'insufficient_balance',
] as const;
export const riskRuleSchema = z.enum(riskRules);
export type RiskRule = z.infer<typeof riskRuleSchema>;

/** Bounds of `risk.correlation` (the estimator keeps at most 32 assets). */
const MAX_CORRELATION_ASSETS = 32;
const grid = <T extends z.ZodType>(cell: T) => z.array(z.array(cell).max(MAX_CORRELATION_ASSETS)).max(MAX_CORRELATION_ASSETS);

/** Automatic kill-switch triggers (bot/risk/auto-triggers.ts); each names itself at the start of its reason. */
export const riskTriggers = ['daily_loss', 'stale_reference', 'divergence', 'heartbeat', 'error_burst', 'reconcile_mismatch', 'balance_drop', 'balance_drawdown'] as const;
export const riskTriggerSchema = z.enum(riskTriggers);
export type RiskTrigger = z.infer<typeof riskTriggerSchema>;

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
  /** An automatic trigger moved the trading state towards safety (published once per move, after killswitch.changed). */
  defineEvent('risk.triggered', {
    trigger: riskTriggerSchema,
    state: z.enum(['reducing', 'halted']),
    reason: z.string(),
  }),
  /** One round of the halt loop: cancel-all sent, then the venue's open orders counted (undefined: the query failed). */
  defineEvent('risk.halt_progress', {
    attempt: z.number().int().positive(),
    canceled: z.number().int().nonnegative(),
    openAtVenue: z.number().int().nonnegative().optional(),
    done: z.boolean(),
    nextInMs: z.number().nonnegative().optional(),
    error: z.string().optional(),
  }),
  /** Live trading armed or disarmed (bot/risk/live-arming.ts): only an armed live runtime sends orders. */
  defineEvent('arming.changed', {
    armed: z.boolean(),
    actor: z.string(),
    reason: z.string(),
    automatic: z.boolean(),
    /** Orders of ours cancelled on disarm. */
    canceled: z.number().int().nonnegative().optional(),
  }),
  /**
   * Correlation between assets and the directional exposure it caps (bot/risk/correlation-publisher.ts). Matrices are
   * indexed like `assets` (diagonal 1); `exposureUsd[i]` is the signed USD on `assets[i]` (Up minus Down, held plus
   * working BUY); `aggregateUsd` = sqrt(xᵀCx) with ρ clipped into [0, 1], against `capUsd`.
   */
  defineEvent('risk.correlation', {
    assets: z.array(z.string()).max(MAX_CORRELATION_ASSETS),
    rho: grid(z.number().min(-1).max(1)),
    samples: grid(z.number().int().nonnegative()),
    isPrior: grid(z.boolean()),
    exposureUsd: z.array(z.number()).max(MAX_CORRELATION_ASSETS),
    aggregateUsd: z.number().nonnegative(),
    capUsd: z.number().positive(),
    windowSec: z.number().positive(),
    sampleSec: z.number().positive(),
  }),
  /**
   * The collateral (pUSD) balance as the risk layer sees it (bot/risk/balance-source.ts), published after each read
   * (live: the venue's `/balance-allowance`; paper: the paper ledger) at most once per refresh interval plus after
   * fills. `balanceUsd` is cash before our working BUYs reserve any (undefined: never read); `availableUsd` = balance
   * minus working BUY notional; `equityUsd` = balance plus open positions at mid (cost when no book), against its
   * session high `highUsd`; `drawdown` = (high - equity) / high as a fraction.
   */
  defineEvent('risk.balance', {
    source: z.enum(['venue', 'paper']),
    balanceUsd: z.number().optional(),
    workingBuyUsd: z.number().nonnegative(),
    availableUsd: z.number().optional(),
    positionValueUsd: z.number().nonnegative(),
    equityUsd: z.number().optional(),
    highUsd: z.number().optional(),
    drawdown: z.number().optional(),
    readAtMs: z.number().optional(),
    error: z.string().max(300).optional(),
  }),
] as const;
