/**
 * The simulator serves the external signal sources offline (Deribit options summary, Fear & Greed) in the shapes the
 * bot's parsers accept, deterministically from its seed and clock, moving slowly; and a paper runtime on the embedded
 * simulator polls them so that strategies see `ctx.external` values.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { deribitSummaryUrl, fearGreedUrl, parseFearGreed, parsePutCall } from '../../../bot/feeds/external';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { startSim, type SimHandle } from '../../../bot/sim';
import { ExternalSignalsModel } from '../../../bot/sim/external-signals-server';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { EventOf } from '../../../lib/schemas/events';

const T0 = 1_791_158_400_000;
const getJson = async (url: string): Promise<unknown> => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.json();
};

describe('simulator external-signals server', () => {
  const sims: SimHandle[] = [];
  afterAll(async () => {
    for (const s of sims) await s.close();
  });

  it('serves both endpoints in the shapes the bot parses; same seed and time → same bodies, slow drift over a minute', async () => {
    const clock = new SimClock(T0);
    const a = await startSim({ clock, seed: 'ext-1' });
    const b = await startSim({ clock, seed: 'ext-1' });
    sims.push(a, b);
    expect(a.urls.external).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pcA = await getJson(deribitSummaryUrl(a.urls.external));
    const fgA = await getJson(fearGreedUrl(a.urls.external));
    expect(await getJson(deribitSummaryUrl(b.urls.external))).toEqual(pcA);
    expect(await getJson(fearGreedUrl(b.urls.external))).toEqual(fgA);
    const pc = parsePutCall(pcA);
    const fg = parseFearGreed(fgA, T0);
    const model = new ExternalSignalsModel('ext-1');
    expect(pc.raw).toBeCloseTo(model.putCallRatio(T0), 9);
    expect(fg.raw).toBe(model.fearGreed(T0));
    expect(fg.confidence).toBe(1); // timestamp: the start of the UTC day
    clock.advanceBy(60_000);
    const pc2 = parsePutCall(await getJson(deribitSummaryUrl(a.urls.external)));
    expect(pc2.raw).not.toBe(pc.raw);
    expect(Math.abs(Math.log(pc2.raw / pc.raw))).toBeLessThan(0.05); // moves slowly
  });

  it('another seed gives other values; bad queries are refused', async () => {
    const clock = new SimClock(T0);
    const c = await startSim({ clock, seed: 'ext-2' });
    sims.push(c);
    const m1 = new ExternalSignalsModel('ext-1');
    const m2 = new ExternalSignalsModel('ext-2');
    expect(m2.putCallRatio(T0)).not.toBeCloseTo(m1.putCallRatio(T0), 6);
    expect(parsePutCall(await getJson(deribitSummaryUrl(c.urls.external))).raw).toBeCloseTo(m2.putCallRatio(T0), 9);
    expect((await fetch(deribitSummaryUrl(c.urls.external, 'ETH'))).status).toBe(400);
    expect((await fetch(`${c.urls.external}/fng/?limit=x`)).status).toBe(400);
  });
});

describe('paper runtime on the embedded simulator', () => {
  let rt: Runtime | undefined;
  afterAll(async () => {
    await rt?.dispose('test done');
  });

  it('polls the simulator and hands the values to strategies as ctx.external', async () => {
    const clock = new SimClock(T0 + 10_000);
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 11 }, recording: { enabled: false } });
    rt = createRuntime({ instanceId: 'ext', version: 't', config, clock, store: openStore(':memory:') });
    const events: EventOf<'signal.external'>[] = [];
    rt.bus.on('signal.external', (e) => events.push(e));
    const starting = rt.start('test');
    for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await starting).toBe('running');
    for (let i = 0; i < 400 && events.length < 2; i++) {
      clock.advanceBy(100);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(events.map((e) => [e.id, e.ok, e.source]).sort()).toEqual([
      ['fearGreed', true, 'simulator'],
      ['putCallRatio', true, 'simulator'],
    ]);
    const host = rt.session!.host!;
    const tw = host.strategies.find((h) => h.id === 'trend-window')!;
    const ext = host.context(tw)!.external!;
    expect(ext.get('putCallRatio')).toMatchObject({ raw: events.find((e) => e.id === 'putCallRatio')!.raw });
    expect(ext.get('fearGreed')).toMatchObject({ raw: events.find((e) => e.id === 'fearGreed')!.raw });
    expect(ext.get('putCallRatio')!.value).toBeGreaterThanOrEqual(-1);
    expect(ext.get('putCallRatio')!.value).toBeLessThanOrEqual(1);
  }, 60_000);
});
