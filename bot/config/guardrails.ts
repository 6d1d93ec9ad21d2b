/**
 * Guardrails: the rules an otherwise schema-valid configuration must also satisfy, checked at start and on every
 * change. Each violation names the field (document path, e.g. `strategies.1.params.dMin`), the rule and why; the
 * service refuses with all of them at once.
 *
 * Rules (rule id → meaning):
 * - `entry-price-range`      a strategy's MAX_ENTRY_PRICE (params.maxEntryPrice) must be in (0, 0.99].
 * - `positive`               hammer HAMMER_SECS, WATCH_RETURN_THRESHOLD and D_MIN must be > 0.
 * - `stop-below-entry`       a stop must trigger below the entry: time-bucket SL_OFFSET > 0 and SL_FLOOR <
 *                            ENTRY_BID_THRESHOLD (the stop is max(entry − SL_OFFSET, SL_FLOOR) and entries happen at
 *                            bids ≥ ENTRY_BID_THRESHOLD), LATE_SL_TRIGGER < LATE_REENTRY_ENTRY_THRESHOLD (late mode);
 *                            late-sweep SWEEP_STOP_PRICE < SWEEP_ASK_THRESHOLD.
 * - `per-trade-within-daily-loss`  risk.maxUsdPerTrade ≤ risk.maxDailyLossUsd (the risk engine's cap is the one that
 *                            binds every order; a strategy's own cap above it never takes effect).
 * - `window-within-total-exposure` risk.maxExposurePerWindowUsd ≤ risk.maxTotalExposureUsd.
 * - `live-needs-credentials`       mode live needs a signing key (the `hasLiveCredentials()` hook).
 * - `live-needs-token-off-loopback` mode live on a non-loopback HOST needs CONSOLE_TOKEN.
 * - `live-needs-trading-mode`      mode live only from TRADING_MODE=live in the environment (when the context says
 *                            what TRADING_MODE is): a config file, a profile or a console edit never switches to live.
 * - `replay-not-a-server-mode`    mode replay is refused for the server process (when the context says what TRADING_MODE
 *                            is): replays run from `npm run replay` and the console's replay API, on their own runtime.
 *
 * Strategy params are read over their defaults; a value of the wrong type is left to the schema (no duplicate).
 * Pure: no I/O, no clock.
 */
import type { ConfigIssue } from '../../lib/schemas/config-api';
import { isStrategyId, parseStrategyConfig } from '../strategies/registry';

export interface GuardrailContext {
  /** True when a signing key for live trading is configured (environment or secret file). */
  hasLiveCredentials(): boolean;
  /** The address the console listens on (HOST). */
  host: string;
  /** Whether CONSOLE_TOKEN is set. */
  consoleTokenSet: boolean;
  /** TRADING_MODE as set in the environment ('' when unset). When given, mode live must come from it. */
  tradingModeEnv?: string;
}

/** What the guardrails read; a parsed RuntimeConfig fits, and so does a loosely typed candidate. */
export interface GuardedConfig {
  mode?: unknown;
  risk?: Record<string, unknown>;
  strategies?: readonly { type?: unknown; params?: unknown }[];
}

export const MAX_ENTRY_PRICE_CAP = 0.99;

export function checkGuardrails(cfg: GuardedConfig, ctx: GuardrailContext): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const add = (path: string, rule: string, message: string) => out.push({ path, rule, message });
  const risk = cfg.risk ?? {};
  const perTrade = num(risk.maxUsdPerTrade);
  const dailyLoss = num(risk.maxDailyLossUsd);
  const perWindow = num(risk.maxExposurePerWindowUsd);
  const total = num(risk.maxTotalExposureUsd);

  if (perTrade !== undefined && dailyLoss !== undefined && perTrade > dailyLoss) {
    add('risk.maxUsdPerTrade', 'per-trade-within-daily-loss', `the per-trade cap (${perTrade} USD) is above the daily loss limit risk.maxDailyLossUsd (${dailyLoss} USD)`);
  }
  if (perWindow !== undefined && total !== undefined && perWindow > total) {
    add('risk.maxExposurePerWindowUsd', 'window-within-total-exposure', `per-window exposure (${perWindow} USD) is above total exposure risk.maxTotalExposureUsd (${total} USD)`);
  }

  (cfg.strategies ?? []).forEach((inst, i) => {
    const type = typeof inst.type === 'string' ? inst.type : '';
    const p = paramsOverDefaults(type, inst.params);
    const at = (k: string) => `strategies.${i}.params.${k}`;
    const maxEntry = num(p.maxEntryPrice);
    if (maxEntry !== undefined && (maxEntry <= 0 || maxEntry > MAX_ENTRY_PRICE_CAP)) {
      add(at('maxEntryPrice'), 'entry-price-range', `MAX_ENTRY_PRICE must be in (0, ${MAX_ENTRY_PRICE_CAP}] (got ${maxEntry})`);
    }
    if (type === 'hammer') {
      for (const [k, name] of [['hammerSecs', 'HAMMER_SECS'], ['watchReturnThreshold', 'WATCH_RETURN_THRESHOLD'], ['dMin', 'D_MIN']] as const) {
        const v = num(p[k]);
        if (v !== undefined && v <= 0) add(at(k), 'positive', `${name} must be > 0 (got ${v})`);
      }
    }
    if (type === 'time-bucket') {
      const offset = num(p.slOffset);
      const floor = num(p.slFloor);
      const entry = num(p.entryBidThreshold);
      const lateSl = num(p.lateSlTrigger);
      const lateEntry = num(p.lateReentryEntryThreshold);
      if (offset !== undefined && offset <= 0) add(at('slOffset'), 'stop-below-entry', `SL_OFFSET must be > 0, or the stop sits at the entry price (got ${offset})`);
      if (floor !== undefined && entry !== undefined && floor >= entry) {
        add(at('slFloor'), 'stop-below-entry', `SL_FLOOR (${floor}) must be below ENTRY_BID_THRESHOLD (${entry}): the stop would trigger at or above the entry`);
      }
      if (lateSl !== undefined && lateEntry !== undefined && lateSl >= lateEntry) {
        add(at('lateSlTrigger'), 'stop-below-entry', `LATE_SL_TRIGGER (${lateSl}) must be below LATE_REENTRY_ENTRY_THRESHOLD (${lateEntry}): the late stop would trigger at or above the entry`);
      }
    }
    if (type === 'late-sweep') {
      const stop = num(p.sweepStopPrice);
      const ask = num(p.sweepAskThreshold);
      if (stop !== undefined && ask !== undefined && stop >= ask) {
        add(at('sweepStopPrice'), 'stop-below-entry', `SWEEP_STOP_PRICE (${stop}) must be below SWEEP_ASK_THRESHOLD (${ask}): the stop would trigger at or above the entry`);
      }
    }
  });

  if (cfg.mode === 'replay' && ctx.tradingModeEnv !== undefined) {
    add('mode', 'replay-not-a-server-mode', 'mode replay runs a recorded session (npm run replay, or the console replay API on its own runtime); the server trades paper or live');
  }
  if (cfg.mode === 'live') {
    if (!ctx.hasLiveCredentials()) {
      add('mode', 'live-needs-credentials', 'live mode needs a signing key: set POLY_PRIVATE_KEY (or POLY_PRIVATE_KEY_FILE)');
    }
    if (ctx.tradingModeEnv !== undefined && ctx.tradingModeEnv.trim() !== 'live') {
      add('mode', 'live-needs-trading-mode', 'live mode is switched on only by TRADING_MODE=live in the environment of the process (not by a config file or a console edit)');
    }
    if (!isLoopbackHost(ctx.host) && !ctx.consoleTokenSet) {
      add('mode', 'live-needs-token-off-loopback', `live mode with the console on ${ctx.host} (not loopback) needs CONSOLE_TOKEN`);
    }
  }
  return out;
}

/** 127.0.0.0/8, ::1 and localhost (with or without brackets / IPv4-mapped). Everything else is reachable from outside. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  return m !== null && m[1] === '127' && m.slice(2).every((x) => Number(x) <= 255);
}

function paramsOverDefaults(type: string, params: unknown): Record<string, unknown> {
  const raw = typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  if (!isStrategyId(type)) return raw;
  const defaults = parseStrategyConfig(type, {}) as Record<string, unknown>;
  return { ...defaults, ...raw };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
}
