/**
 * The preflight inside the runtime (live on the embedded simulator, SimClock): it runs at start (one heartbeat sent
 * before the stack's heartbeat loop), publishes its report, blocks new orders until GO, blocks them again when a
 * re-check is NO-GO (the failed stage is the reason the risk engine gives) and releases them when a later re-check
 * passes; health follows. Arming live trading is refused until the first report is GO. The report is what
 * GET /api/preflight returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';
import { preflightReportSchema } from '../../../lib/schemas/preflight';
import { runtimeHealth } from '../../../lib/server/health';
import { control } from '../preflight/helpers';
import { driveUntil } from '../sim/helpers';

const DAY0_MS = 1791158400_000;

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

describe('preflight in the live runtime', () => {
  let rt: Runtime;
  let clock: SimClock;
  const reports: Extract<BotEvent, { type: 'preflight.report' }>[] = [];

  beforeAll(async () => {
    clock = new SimClock(DAY0_MS + 20_000);
    const config = runtimeConfigSchema.parse({ mode: 'live', venue: 'sim', sim: { seed: 11 } });
    rt = createRuntime({ instanceId: 'pf', version: 't', config, clock, store: openStore(':memory:'), credentials: { privateKey: '0x' + '7c'.repeat(32), signatureType: 0 } });
    rt.bus.on('preflight.report', (e) => void reports.push(e));
    const starting = rt.start('test');
    for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
  }, 60_000);

  afterAll(async () => {
    await rt?.dispose('test done');
  });

  const pf = () => rt.session!.preflight;

  it('runs at start: orders wait for the first report, which is GO (the heartbeat stage reports the runtime loop, no extra heartbeat)', async () => {
    expect(pf().blockReason()).toMatch(/preflight not finished/);
    const arm = () => rt.session!.arming.arm({ actor: 'operator(test)', reason: 'preflight test', confirm: 'ARM LIVE' });
    expect(arm).toThrow(/cannot arm: preflight not finished/); // arming waits for GO
    for (let i = 0; i < 400 && reports.length === 0; i++) {
      clock.advanceBy(100);
      await settle();
    }
    expect(reports).toHaveLength(1);
    const r = reports[0]!.report;
    expect(preflightReportSchema.parse(r)).toEqual(r);
    expect(r.trigger).toBe('start');
    expect(r.stages.filter((s) => s.status === 'fail'), r.summary).toEqual([]);
    expect(r.go).toBe(true);
    expect(r.stages.find((s) => s.id === 'heartbeat')?.detail).toMatch(/runtime heartbeat loop is acknowledged/);
    expect(pf().blockReason()).toBeUndefined();
    expect(runtimeHealth(rt).status).toBe('ok');
    expect(arm()).toMatchObject({ required: true, armed: true, actor: 'operator(test)' }); // GO: an operator may arm
  }, 60_000);

  it('a NO-GO re-check blocks new orders with the failed stage as the reason; a passing re-check releases them', async () => {
    const controlUrl = rt.simulator!.sim!.urls.control;
    await control(controlUrl, '/geoblock', { blocked: true, country: 'US', region: '' });
    const bad = await driveUntil(clock, pf().run('recheck'), 100);
    expect(bad?.go).toBe(false);
    expect(pf().blockReason()).toMatch(/^preflight NO-GO: geoblock: geoblocked/);
    const cur = rt.session!.stack!.catalog.current('5m')!;
    const proposal = { strategyId: 's', clientTag: 'pf-test', windowSlug: cur.window.slug, tokenId: cur.upTokenId, side: 'BUY' as const, price: 0.05, usd: 1, orderType: 'GTC' as const, postOnly: true, reducesExposure: false };
    const verdict = rt.session!.riskEngine.approve(proposal);
    expect(verdict).toMatchObject({ ok: false, rule: 'venue' });
    expect(verdict.ok ? '' : verdict.reason).toMatch(/preflight NO-GO: geoblock/);
    expect(runtimeHealth(rt).status).toBe('degraded');
    expect(runtimeHealth(rt).reasons.join('\n')).toMatch(/preflight NO-GO/);

    await control(controlUrl, '/geoblock', { blocked: false });
    const good = await driveUntil(clock, pf().run('recheck'), 100);
    expect(good?.go).toBe(true);
    expect(pf().blockReason()).toBeUndefined();
    expect(reports.map((e) => e.report.go)).toEqual([true, false, true]);
    expect(reports.map((e) => e.changed)).toEqual([true, true, true]);
  }, 60_000);
});
