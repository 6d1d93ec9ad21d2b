/**
 * The runtime configuration: one strict zod schema with defaults, shared by the server (validation, apply)
 * and the console (generated form). Each field says in its metadata whether it may change while the bot
 * runs (`updatable: true` = hot-applied) or needs a restart. Secrets never live here: keys and API
 * credentials come from the environment or a secret file (see lib/server/env.ts).
 *
 * Invariants: parse() of {} yields a complete, safe paper-trading config; unknown keys are rejected.
 */
import { z } from 'zod';

const hot = (description: string) => ({ updatable: true, description });
const cold = (description: string) => ({ updatable: false, description });

export const tradingModes = ['paper', 'live', 'replay'] as const;
export const venues = ['sim', 'polymarket'] as const;
/** Named sets of risk limits and strategy parameters (bot/config/profiles.ts); never the mode or the venue. */
export const configProfileNames = ['paper', 'live', 'high_vol', 'low_vol'] as const;
export type ConfigProfileName = (typeof configProfileNames)[number];

export const seriesSchema = z
  .strictObject({
    asset: z.string().regex(/^[a-z]{2,10}$/, 'lower-case asset symbol, e.g. btc').meta(cold('Asset symbol as in the slug (btc, eth, sol, xrp).')),
    windowSec: z.number().int().min(60).max(86_400).refine((n) => n % 60 === 0, 'a whole number of minutes').meta(cold('Window length in seconds (300 = 5m, 900 = 15m, 3600 = hourly, 14400 = 4h).')),
    enabled: z.boolean().default(true).meta(hot('Trade this series.')),
    seriesId: z.string().regex(/^[0-9]{1,12}$/).optional().meta(cold('Gamma series id: windows are discovered through /events/keyset?series_id= when no slug scheme is known (or the slug lookup fails). Known: btc 5m 10684, btc 15m 10192, eth 5m 10683, eth 15m 10191.')),
    slugScheme: z.enum(['updown', 'hourly-et', 'listing']).optional().meta(cold('How window slugs are made: updown = <asset>-updown-<5m|15m|4h>-<epoch>, hourly-et = bitcoin-up-or-down-<month>-<day>-<hour><am|pm>-et, listing = none (discover by series id). Default: the venue\'s scheme for the window length.')),
    referenceSymbol: z.string().regex(/^[a-z]{2,10}(\/usd|usd)$/).optional().meta(cold('PolyBolt price.crypto symbol of this series\' reference (default <asset>usd).')),
    spotSymbol: z.string().regex(/^[a-z]{2,10}usdt?$/).optional().meta(cold('Spot stream symbol (default <asset>usdt).')),
    maxExposureUsd: z.number().positive().max(1_000_000).optional().meta(hot('This series\' own cap: cost basis plus working BUY notional across its windows (USD). Unset: only the global limits apply.')),
  })
  .meta(hot('One Up/Down series: asset and window length (adding or removing one while running starts or stops its feeds and windows).'));

export const riskConfigSchema = z
  .strictObject({
    maxUsdPerTrade: z.number().positive().max(100_000).default(50).meta(hot('MAX_USD_PER_TRADE: largest notional of one order (USD).')),
    maxDailyLossUsd: z.number().positive().max(1_000_000).default(100).meta(hot('Daily realised loss that halts trading (USD).')),
    maxTradesPerHour: z.number().int().positive().max(100_000).default(120).meta(hot('Orders per rolling hour before new ones are denied.')),
    maxExposurePerWindowUsd: z.number().positive().max(1_000_000).default(100).meta(hot('Cost basis allowed in one window (USD).')),
    maxTotalExposureUsd: z.number().positive().max(10_000_000).default(300).meta(hot('Cost basis allowed across all open windows (USD).')),
    errorCooldownSec: z.number().nonnegative().max(3_600).default(30).meta(hot('Pause after an error burst (s).')),
    errorBurstCount: z.number().int().positive().max(1_000).default(5).meta(hot('Errors within a minute that count as a burst.')),
    consecutiveLossCooldownSec: z.number().nonnegative().max(86_400).default(300).meta(hot('Pause after too many losing windows in a row (s).')),
    maxConsecutiveLosses: z.number().int().positive().max(1_000).default(4).meta(hot('Losing windows in a row that start the cooldown.')),
    allowSpotOnlyTrading: z.boolean().default(false).meta(hot('Allow new orders while only the spot feed is alive (degraded mode).')),
    staleFeedSec: z.number().positive().max(600).default(5).meta(hot('A feed silent this long is stale and blocks entries (s).')),
    maxPositionPerTokenUsd: z.number().positive().max(1_000_000).default(75).meta(hot('Cost basis plus working BUY notional allowed in one outcome token, all strategies together (USD).')),
    staleReferenceHaltSec: z.number().positive().max(3_600).default(15).meta(hot('Automatic halt: the reference price silent this long while orders of ours rest (s).')),
    maxReferenceSpotDivergenceBps: z.number().positive().max(10_000).default(100).meta(hot('Automatic halt: reference and spot prices further apart than this for divergenceHaltSec (basis points of spot).')),
    divergenceHaltSec: z.number().nonnegative().max(600).default(5).meta(hot('How long the reference/spot divergence must last before it halts (s).')),
    heartbeatFailuresToHalt: z.number().int().positive().max(1_000).default(3).meta(hot('Automatic halt: venue heartbeats failed this many times in a row.')),
    errorBurstHaltCount: z.number().int().positive().max(100_000).default(20).meta(hot('Automatic halt: runtime errors within one minute (a smaller burst only starts the error cooldown).')),
    balanceDropPct: z.number().positive().max(100).default(20).meta(hot('Alert and reduce-only when the venue balance falls this much between two checks, beyond our own fills (%).')),
    balanceCheckSec: z.number().int().min(5).max(86_400).default(60).meta(hot('How often the venue balance is read for the balance-drop check (s).')),
    ledgerCheckSec: z.number().int().min(5).max(86_400).default(60).meta(hot('How often positions and open orders are compared with the venue both ways; a difference seen twice in a row halts (s).')),
    maxCorrelatedExposureUsd: z.number().positive().max(10_000_000).default(250).meta(hot('Cap on aggregate directional exposure across assets (USD): per asset, Up minus Down cost basis plus working BUY notional, combined as sqrt(xᵀCx) with the estimated correlations (BTC Up and ETH Up at high correlation count as nearly one bet). An order that would raise it above the cap is denied.')),
    correlationWindowSec: z.number().int().min(60).max(86_400).default(3_600).meta(hot('Rolling window of reference-price returns used to estimate the correlation between assets (s).')),
    correlationSampleSec: z.number().int().min(1).max(3_600).default(10).meta(hot('Reference prices are sampled on this grid for the correlation estimate (s); changing it restarts the estimate.')),
    correlationPrior: z.number().min(0).max(1).default(0.8).meta(hot('Correlation assumed between two assets until correlationMinSamples paired returns exist (unknown correlation must not loosen the cap).')),
    correlationMinSamples: z.number().int().min(2).max(100_000).default(30).meta(hot('Paired returns needed before the estimated correlation replaces correlationPrior.')),
    balanceRefreshSec: z.number().int().min(5).max(3_600).default(30).meta(hot('How often the collateral balance behind the pre-trade balance rule is re-read (live: the venue\'s /balance-allowance; also re-read a few seconds after each fill or settlement) (s).')),
    paperBankrollUsd: z.number().positive().max(10_000_000).optional().meta(hot('Paper mode: starting cash of the paper ledger (cash = this + realised PnL - cost of open positions). Unset: risk.maxTotalExposureUsd.')),
    balanceDropAlertPct: z.number().positive().max(1).default(0.2).meta(hot('Balance drawdown trigger: alert (and act per balanceDropAction) when cash plus open positions at mid falls this fraction below its session high (0.2 = 20 %); re-armed once it recovers above the threshold.')),
    balanceDropAction: z.enum(['alert', 'reduce', 'halt']).default('alert').meta(hot('What the balance drawdown trigger does: alert only (a danger notice; the webhook alert is alerts.balanceDrop), reduce-only, or halt (cancel everything).')),
  })
  .meta(cold('Hard risk limits enforced by the risk engine.'));

export const simConfigSchema = z
  .strictObject({
    seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(42).meta(cold('Seed of the simulated market.')),
    speed: z.number().positive().max(1_000).default(1).meta(cold('Simulated seconds per real second.')),
    correlation: z.number().min(-0.99).max(0.99).default(0.8).meta(cold('Correlation of the simulated assets\' returns (every pair; BTC and ETH move together).')),
    extraSeries: z
      .array(z.strictObject({ asset: z.string().regex(/^[a-z]{2,10}$/), windowSec: z.number().int().min(60).max(86_400).refine((n) => n % 60 === 0, 'a whole number of minutes') }))
      .max(32)
      .default([])
      .meta(cold('Series the simulator lists beyond the configured ones (so that they can be added to the config while running).')),
  })
  .meta(cold('The built-in simulator (venue=sim).'));

export const strategyInstanceSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes').meta(cold('Instance id (prefix of its client tags; unique).')),
    type: z.string().min(1).max(40).meta(cold('Strategy type from the registry (time-bucket, late-sweep, hammer, trend-window, two-sided-maker).')),
    budgetUsd: z.number().positive().max(1_000_000).default(50).meta(hot('Cost basis this instance may hold at once (USD).')),
    params: z.record(z.string(), z.unknown()).default({}).meta(hot('Strategy parameters, validated by the strategy\'s own schema (enabled, series, thresholds...).')),
  })
  .meta(cold('One strategy instance.'));

export const defaultStrategies = [
  { id: 'time-bucket', type: 'time-bucket', budgetUsd: 30, params: {} },
  { id: 'hammer', type: 'hammer', budgetUsd: 50, params: {} },
  { id: 'trend-window', type: 'trend-window', budgetUsd: 10, params: {} },
  { id: 'late-sweep', type: 'late-sweep', budgetUsd: 30, params: {} },
  { id: 'maker', type: 'two-sided-maker', budgetUsd: 60, params: { enabled: false } },
];

/** The recorder: raw frames of every market-data socket, for replay and backtests (paper and live). */
export const recordingConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta(cold('Record every raw market-data frame (paper and live) into <DATA_DIR>/recordings.')),
    rotateMb: z.number().int().min(1).max(4_096).default(64).meta(cold('Start a new segment after this many MB of frames.')),
    rotateMinutes: z.number().int().min(1).max(1_440).default(60).meta(cold('Start a new segment after this many minutes.')),
    maxGb: z.number().positive().max(10_000).default(10).meta(cold('Retention: the oldest sessions are deleted beyond this total size (GB).')),
    maxDays: z.number().positive().max(3_650).default(14).meta(cold('Retention: sessions older than this are deleted (days).')),
  })
  .meta(cold('Recording of market data for replay.'));

/**
 * The alerts webhook (bot/health/alerts): which facts become alerts, their thresholds and rate limits. The webhook
 * URL itself is a secret (it usually embeds a token): it comes from ALERT_WEBHOOK_URL or ALERT_WEBHOOK_URL_FILE,
 * never from here. Every field is hot: the alert service reads this section at every decision.
 */
export const alertKindsConfigSchema = z
  .strictObject({
    killSwitch: z.boolean().default(true).meta(hot('Alert on every kill-switch change (automatic or by an operator).')),
    feedStall: z.boolean().default(true).meta(hot('Alert when a feed goes stale while the bot runs, and when it recovers.')),
    rejectionBurst: z.boolean().default(true).meta(hot('Alert on a burst of orders rejected by the venue (see rejectionBurstCount).')),
    dailyLoss: z.boolean().default(true).meta(hot('Alert when the day\'s realised loss nears the daily loss limit (see dailyLossWarnPct).')),
    balanceDrop: z.boolean().default(true).meta(hot('Alert when the balance (paper: paper equity) falls below its session high (see balanceDropPct).')),
    health: z.boolean().default(true).meta(hot('Alert on health conditions (venue unreachable, lookups failing, a feed that never came up), and when they end.')),
  })
  .meta(cold('Which alert kinds are sent.'));

export const alertsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta(hot('Send alerts to the webhook in ALERT_WEBHOOK_URL (nothing is sent while it is unset).')),
    kinds: alertKindsConfigSchema.default(alertKindsConfigSchema.parse({})),
    perKindMax: z.number().int().min(1).max(1_000).default(5).meta(hot('Rate limit: alerts of one kind sent within perKindWindowSec; more are suppressed and summarised in the next one sent.')),
    perKindWindowSec: z.number().int().min(1).max(86_400).default(600).meta(hot('Rate limit window per alert kind (s).')),
    globalMax: z.number().int().min(1).max(10_000).default(20).meta(hot('Rate limit: alerts of all kinds sent within globalWindowSec.')),
    globalWindowSec: z.number().int().min(1).max(86_400).default(3_600).meta(hot('Global rate limit window (s).')),
    rejectionBurstCount: z.number().int().min(1).max(10_000).default(5).meta(hot('Orders rejected by the venue within rejectionBurstWindowSec that make a burst.')),
    rejectionBurstWindowSec: z.number().int().min(1).max(86_400).default(60).meta(hot('Window of the rejection burst (s).')),
    dailyLossWarnPct: z.number().positive().max(100).default(80).meta(hot('Alert when the day\'s realised loss reaches this share of risk.maxDailyLossUsd (%).')),
    balanceDropPct: z.number().positive().max(100).default(20).meta(hot('Alert when the balance falls this far below its high since the bot started (%).')),
    balanceCheckSec: z.number().int().min(1).max(86_400).default(60).meta(hot('How often the balance (live: a venue read; paper: paper equity) is checked (s).')),
    paperCapitalUsd: z.number().positive().max(10_000_000).default(300).meta(hot('Paper mode has no venue balance: paper equity = this capital + realised PnL + open positions marked at the best bid (USD).')),
  })
  .meta(cold('The alerts webhook: kinds, thresholds and rate limits (the URL comes from ALERT_WEBHOOK_URL).'));

/**
 * External signal sources (trend-window's putCallRatio and fearGreed, bot/feeds/external): polled by the runtime in
 * paper and live, never in a replay. On venue=sim the embedded simulator serves both and its URLs replace the two
 * below. Every field is hot: the poller reads this section at each poll.
 */
export const externalSignalsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta(hot('Poll the external signal sources (off: strategies see none of them).')),
    deribitUrl: z.url({ protocol: /^https?$/ }).max(300).default('https://www.deribit.com').meta(hot('Base URL of the Deribit public API (options put/call ratio); on venue=sim the simulator\'s is used.')),
    fearGreedUrl: z.url({ protocol: /^https?$/ }).max(300).default('https://api.alternative.me').meta(hot('Base URL of the Fear & Greed index API (alternative.me shape); on venue=sim the simulator\'s is used.')),
    pollSec: z.number().int().min(5).max(3_600).default(60).meta(hot('How often both sources are fetched, in parallel (s).')),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000).meta(hot('Per-request timeout (ms).')),
    maxAgeSec: z.number().int().min(10).max(86_400).default(300).meta(hot('The last good value is served until it is this old (s); then the signal is absent.')),
    putCallNeutral: z.number().gt(0).max(10).default(0.7).meta(hot('Put/call open-interest ratio that scores 0.')),
    putCallSaturation: z.number().gt(1).max(100).default(2).meta(hot('Ratio ÷ neutral at which the put/call score saturates (×2: ratio 1.4 → −1, 0.35 → +1).')),
    putCallFullConfidenceOi: z.number().positive().max(1e9).default(100_000).meta(hot('Total option open interest (contracts) at which the put/call confidence reaches 1.')),
    fearGreedMode: z.enum(['trend', 'contrarian']).default('trend').meta(hot('trend: greed favours Up; contrarian: fear favours Up.')),
    fearGreedNeutralBand: z.number().min(0).max(50).default(5).meta(hot('Index points either side of 50 with no direction.')),
  })
  .meta(cold('External signal sources for trend-window (Deribit options put/call ratio, Fear & Greed index).'));

export const runtimeConfigSchema = z
  .strictObject({
    mode: z.enum(tradingModes).default('paper').meta(cold('paper (default), live (armed explicitly) or replay.')),
    venue: z.enum(venues).default('sim').meta(cold('sim (built-in simulator) or polymarket (real endpoints).')),
    autoStart: z.boolean().default(true).meta(cold('Start the bot when the server starts.')),
    series: z
      .array(seriesSchema)
      .min(1)
      .max(32)
      .default([
        { asset: 'btc', windowSec: 300, enabled: true },
        { asset: 'btc', windowSec: 900, enabled: true },
      ])
      .meta(hot('Series to trade (added or removed while running: their feeds, windows and strategies start or stop; open orders of a removed series are cancelled, its positions held to settlement).')),
    risk: riskConfigSchema.default(riskConfigSchema.parse({})),
    sim: simConfigSchema.default(simConfigSchema.parse({})),
    strategies: z
      .array(strategyInstanceSchema)
      .max(16)
      .default(defaultStrategies.map((x) => ({ ...x, params: { ...x.params } })))
      .refine((list) => new Set(list.map((x) => x.id)).size === list.length, 'strategy ids must be unique')
      .meta(
        hot(
          'Strategy instances run side by side under one risk engine. Adding, removing, enabling and disabling an instance is hot; changing the type of an id needs a restart.',
        ),
      ),
    heartbeatMs: z.number().int().min(100).max(60_000).default(1_000).meta(hot('How often the runtime publishes its heartbeat (ms).')),
    recording: recordingConfigSchema.default(recordingConfigSchema.parse({})),
    alerts: alertsConfigSchema.default(alertsConfigSchema.parse({})),
    externalSignals: externalSignalsConfigSchema.default(externalSignalsConfigSchema.parse({})),
  })
  .meta(cold('Runtime configuration.'));

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

/**
 * Top-level fields the process is wired from (the composition root's wiring table, the clock): a change waits for a
 * process restart, not just a restart of the bot.
 */
export const processFields = ['mode', 'venue', 'sim', 'autoStart'] as const;

/** Whether a config path (document or change path) lies under a field that needs a process restart. */
export function needsProcessRestart(path: string): boolean {
  const top = path.split('.')[0];
  return (processFields as readonly string[]).includes(top ?? '');
}
export type RiskConfig = z.infer<typeof riskConfigSchema>;
export type SeriesConfig = z.infer<typeof seriesSchema>;
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type ExternalSignalsConfig = z.infer<typeof externalSignalsConfigSchema>;
export type StrategyInstanceConfig = z.infer<typeof strategyInstanceSchema>;

/** A fresh copy: zod hands out its default objects by reference, so a caller's edit must not reach the schema. */
export function defaultRuntimeConfig(): RuntimeConfig {
  return structuredClone(runtimeConfigSchema.parse({}));
}

/** Whether the field at `path` may change while running, read from the schema metadata. */
export function isUpdatable(path: readonly (string | number)[]): boolean {
  let schema: z.ZodType = runtimeConfigSchema;
  let updatable = false;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) {
      const next = (schema.shape as Record<string, z.ZodType>)[String(key)];
      if (!next) return false;
      schema = next;
    } else if (schema instanceof z.ZodArray) {
      schema = schema.element as z.ZodType;
    } else return false;
    const meta = schema.meta() as { updatable?: boolean } | undefined;
    updatable = meta?.updatable === true;
  }
  return updatable;
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  while (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  return cur;
}
