/**
 * Health must not lie: the whole runtime (paper, "real venue") pointed at loopback ports where nothing listens —
 * every feed in backoff, every market lookup failing. Health is not `ok`: `degraded` (venue unreachable, lookups
 * failing, no reference, no market data, preflight NO-GO) and then `down` once nothing has been reachable for a
 * sustained period; the dashboard's alert list carries those conditions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';

import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';
import { runtimeHealth } from '../../../lib/server/health';
import { closedPort } from '../preflight/helpers';
import { type VenueEndpoints } from '../../../bot/core';

const DAY0_MS = 1791158400_000;

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

describe('health with nothing reachable', () => {
  let rt: Runtime;
  let clock: SimClock;
  const events: BotEvent[] = [];
  const advance = async (ms: number) => {
    const end = clock.nowMs() + ms;
    while (clock.nowMs() < end) {
      clock.advanceBy(500);
      await settle();
    }
  };

  beforeAll(async () => {
    clock = new SimClock(DAY0_MS + 10_000);
    const port = await closedPort();
    const http = `http://127.0.0.1:${port}`;
    const ws = `ws://127.0.0.1:${port}`;
    const endpoints: VenueEndpoints = { gamma: http, clob: http, marketWs: `${ws}/ws/market`, userWs: `${ws}/ws/user`, polybolt: `${ws}/ws`, rtds: ws, spot: `${ws}/ws/btcusdt@trade`, geoblock: `${http}/api/geoblock` };
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'polymarket' });
    rt = createRuntime({ instanceId: 'offline', version: 't', config, clock, store: openStore(':memory:'), endpoints });
    rt.bus.onAny((e) => {
      if (e.type === 'health.condition' || e.type === 'preflight.report' || e.type === 'runtime.notice' || e.type === 'market.lookup_failed') events.push(e);
    });
    const starting = rt.start('test');
    for (let i = 0; i < 200 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
  }, 60_000);

  afterAll(async () => {
    await rt?.dispose('test done');
  });

  it('is degraded (not ok) within half a minute, with the reasons and alerts that say why', async () => {
    await advance(30_000);
    expect(rt.status().state).toBe('running');
    expect(events.some((e) => e.type === 'market.lookup_failed')).toBe(true);
    const h = runtimeHealth(rt);
    expect(h.status).toBe('degraded');
    const reasons = h.reasons.join('\n');
    expect(reasons).toMatch(/venue unreachable: endpoint (clob|gamma).*ECONNREFUSED/);
    expect(reasons).toMatch(/market lookups failing/);
    expect(reasons).toMatch(/no reference price/);
    expect(reasons).toMatch(/market data not fresh/);
    expect(reasons).toMatch(/preflight NO-GO/);

    const report = rt.session!.preflight.latest!;
    expect(report.go).toBe(false);
    expect(report.trigger).toBe('start');
    expect(report.stages.find((s) => s.id === 'endpoint.clob')?.status).toBe('fail');

    const alerts = rt.views.trading.snapshot().alerts;
    const kinds = new Set(alerts.map((a) => a.kind));
    expect(kinds.has('health')).toBe(true);
    expect(kinds.has('preflight')).toBe(true);
    expect(alerts.some((a) => a.kind === 'health' && a.title === 'venue unreachable')).toBe(true);
    expect(alerts.some((a) => a.kind === 'health' && a.title === 'market lookups failing')).toBe(true);
    expect(alerts.find((a) => a.kind === 'preflight')?.detail).toMatch(/fix:/);
    // No credentials: the reference feed is off (never shown as connecting), and the alert names the one command.
    const ref = rt.views.trading.snapshot().feeds.find((f) => f.feed === 'polybolt')!;
    expect(ref).toMatchObject({ state: 'idle', stale: true });
    expect(ref.note).toMatch(/no CLOB API credentials.*npm run keys -- --new-wallet/);
    expect(alerts.some((a) => a.kind === 'runtime.notice' && a.severity === 'danger' && /npm run keys -- --new-wallet/.test(a.detail))).toBe(true);
  }, 120_000);

  it('is down once nothing has been reachable for a sustained period; condition alerts are rate-limited', async () => {
    await advance(45_000);
    const h = runtimeHealth(rt);
    expect(h.status).toBe('down');
    expect(h.reasons[0]).toMatch(/^nothing reachable/);
    const conditions = events.filter((e) => e.type === 'health.condition');
    expect(conditions.some((e) => e.type === 'health.condition' && e.condition === 'nothing_reachable' && e.severity === 'danger')).toBe(true);
    // Edges only: each condition announced once over these 75 s (lookups fail several times a second).
    const perCondition = new Map<string, number>();
    for (const e of conditions) if (e.type === 'health.condition' && e.active) perCondition.set(e.condition, (perCondition.get(e.condition) ?? 0) + 1);
    for (const [c, n] of perCondition) expect(n, c).toBe(1);
    expect(events.filter((e) => e.type === 'market.lookup_failed').length).toBeGreaterThan(20);
    // Re-checks repeat while NO-GO (every 30 s); only the first NO-GO of the start is an alert.
    const reports = events.filter((e) => e.type === 'preflight.report');
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.map((e) => (e.type === 'preflight.report' ? e.changed : null))).toEqual([true, ...reports.slice(1).map(() => false)]);
    expect(rt.views.trading.snapshot().alerts.filter((a) => a.kind === 'preflight')).toHaveLength(1);
  }, 120_000);

  it('is idle when stopped, not ok', async () => {
    await rt.stop('test');
    expect(runtimeHealth(rt).status).toBe('idle');
  });
});
