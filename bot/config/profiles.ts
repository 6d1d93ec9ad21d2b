/**
 * Configuration profiles: named JSON merge patches over the defaults (the `profile` layer). A profile sets risk
 * limits, strategy budgets and strategy parameters; it never sets the mode, the venue, the series or the simulator
 * (TRADING_MODE / VENUE decide those, so choosing `live` never arms live trading by itself).
 *
 * - paper     the defaults, plus late-sweep switched on so paper sessions gather data on every shipped strategy
 *             except the maker. Per trade 50 USD, daily loss 100, window 100, total 300.
 * - live      a first live session: small and strict. Per trade 10 USD, daily loss 25, 30 orders/h, window 20,
 *             total 50; cooldown after 3 errors (60 s) or 3 losing windows (15 min); feeds stale after 3 s.
 *             Budgets time-bucket 10, hammer 10, trend-window 5; late-sweep and maker off; hammer FOK 10 USD at
 *             most 0.95 with |d| ≥ 10 USD.
 * - high_vol  fast markets: wider stops and higher bars. Per trade 25 USD, daily loss 100, 60 orders/h, feeds stale
 *             after 3 s, 3 losing windows → 10 min cooldown; time-bucket enters at bid ≥ 0.70 with SL_OFFSET 0.25;
 *             hammer watches |60 s return| ≥ 0.8 %, D_MIN 15 USD, pays at most 0.93; trend thresholds 0.65/0.35;
 *             maker spread 0.06 in [0.03, 0.15].
 * - low_vol   calm markets: lower bars, tighter quotes. Per trade 30 USD, daily loss 60, window 60, total 150;
 *             hammer watches |60 s return| ≥ 0.3 %, D_MIN 3 USD, pays at most 0.97; trend thresholds 0.58/0.42;
 *             maker spread 0.03 in [0.02, 0.08].
 *
 * Every profile passes the schema and the guardrails over the defaults (tests/unit/config).
 */
import { configProfileNames, defaultStrategies, type ConfigProfileName } from '../../lib/schemas/config';
import { cloneJson, type JsonObject } from './merge-patch';

export interface ConfigProfile {
  name: ConfigProfileName;
  description: string;
  patch: JsonObject;
}

type InstanceEdit = { budgetUsd?: number; params?: Record<string, unknown> };

/** The default instance list with per-id edits (profiles must spell the whole list: merge patches replace arrays). */
function strategies(edits: Record<string, InstanceEdit>): JsonObject[] {
  return defaultStrategies.map((s) => {
    const e = edits[s.id] ?? {};
    return { id: s.id, type: s.type, budgetUsd: e.budgetUsd ?? s.budgetUsd, params: { ...s.params, ...(e.params ?? {}) } };
  });
}

const PROFILES: Record<ConfigProfileName, Omit<ConfigProfile, 'name'>> = {
  paper: {
    description: 'Paper trading: the defaults, with late-sweep on so paper sessions exercise every strategy but the maker.',
    patch: {
      risk: { maxUsdPerTrade: 50, maxDailyLossUsd: 100, maxExposurePerWindowUsd: 100, maxTotalExposureUsd: 300 },
      strategies: strategies({ 'late-sweep': { params: { enabled: true } } }),
    },
  },
  live: {
    description: 'First live session: small sizes, strict limits, quick cooldowns; late-sweep and maker off.',
    patch: {
      risk: {
        maxUsdPerTrade: 10,
        maxDailyLossUsd: 25,
        maxTradesPerHour: 30,
        maxExposurePerWindowUsd: 20,
        maxTotalExposureUsd: 50,
        errorCooldownSec: 60,
        errorBurstCount: 3,
        consecutiveLossCooldownSec: 900,
        maxConsecutiveLosses: 3,
        allowSpotOnlyTrading: false,
        staleFeedSec: 3,
      },
      strategies: strategies({
        'time-bucket': { budgetUsd: 10 },
        hammer: { budgetUsd: 10, params: { quoteSizeUsd: 10, maxUsdPerTrade: 10, maxEntryPrice: 0.95, dMin: 10 } },
        'trend-window': { budgetUsd: 5 },
        'late-sweep': { budgetUsd: 10, params: { enabled: false } },
        maker: { params: { enabled: false } },
      }),
    },
  },
  high_vol: {
    description: 'Volatile markets: higher entry bars, wider stops, fewer and smaller trades, faster stale-feed bound.',
    patch: {
      risk: { maxUsdPerTrade: 25, maxDailyLossUsd: 100, maxTradesPerHour: 60, staleFeedSec: 3, consecutiveLossCooldownSec: 600, maxConsecutiveLosses: 3 },
      strategies: strategies({
        'time-bucket': { params: { entryBidThreshold: 0.7, slOffset: 0.25 } },
        hammer: { params: { watchReturnThreshold: 0.008, dMin: 15, maxEntryPrice: 0.93, quoteSizeUsd: 15, maxUsdPerTrade: 25 } },
        'trend-window': { params: { upThreshold: 0.65, downThreshold: 0.35 } },
        maker: { params: { baseSpread: 0.06, minSpread: 0.03, maxSpread: 0.15 } },
      }),
    },
  },
  low_vol: {
    description: 'Calm markets: lower watch threshold and D_MIN, tighter maker quotes, moderate limits.',
    patch: {
      risk: { maxUsdPerTrade: 30, maxDailyLossUsd: 60, maxExposurePerWindowUsd: 60, maxTotalExposureUsd: 150 },
      strategies: strategies({
        hammer: { params: { watchReturnThreshold: 0.003, dMin: 3, maxEntryPrice: 0.97, maxUsdPerTrade: 30 } },
        'trend-window': { params: { upThreshold: 0.58, downThreshold: 0.42 } },
        maker: { params: { baseSpread: 0.03, minSpread: 0.02, maxSpread: 0.08 } },
      }),
    },
  },
};

export function isProfileName(name: unknown): name is ConfigProfileName {
  return typeof name === 'string' && (configProfileNames as readonly string[]).includes(name);
}

export function getProfile(name: ConfigProfileName): ConfigProfile {
  const p = PROFILES[name];
  return { name, description: p.description, patch: cloneJson(p.patch) };
}

export function listProfiles(): ConfigProfile[] {
  return configProfileNames.map((n) => getProfile(n));
}
