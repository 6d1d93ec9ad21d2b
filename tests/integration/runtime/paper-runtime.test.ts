/**
 * The whole runtime (createRuntime: simulator + venue session + strategy host + risk) paper-trading on the
 * simulator over real loopback sockets, on a SimClock advanced in steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { parseClientTag } from '../../../bot/strategies/intents';
import { createStrategy } from '../../../bot/strategies/registry';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';

const DAY0_MS = 1791158400_000;

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

describe('paper runtime on the simulator', () => {
  let rt: Runtime;
  let clock: SimClock;
  const events: BotEvent[] = [];

  beforeAll(async () => {
    clock = new SimClock(DAY0_MS + 10_000);
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 7 } });
    rt = createRuntime({ instanceId: 'it', version: 't', config, clock, store: openStore(':memory:') });
    rt.bus.onAny((e) => {
      if (e.type === 'book.top' || e.type === 'book.snapshot' || e.type === 'feed.health' || e.type === 'ref.price' || e.type === 'spot.price' || e.type === 'runtime.heartbeat') return;
      events.push(e);
    });
    const starting = rt.start('test');
    for (let i = 0; i < 200 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
    const endMs = DAY0_MS + 3_600_000;
    while (clock.nowMs() < endMs) {
      clock.advanceBy(1_000);
      await settle();
    }
  }, 240_000);

  afterAll(async () => {
    await rt?.dispose('test done');
  });

  it('discovers, opens, closes and resolves windows of both series', () => {
    const resolved = events.filter((e) => e.type === 'market.resolved').map((e) => (e.type === 'market.resolved' ? e.slug : ''));
    expect(resolved.filter((s) => s.includes('-5m-')).length).toBeGreaterThanOrEqual(10);
    expect(resolved.filter((s) => s.includes('-15m-')).length).toBeGreaterThanOrEqual(3);
  });

  it('runs the enabled strategies: exactly one final decision (traded or skipped) per window of their series that closed, none for others', () => {
    const closed = events.flatMap((e) => (e.type === 'market.state' && e.state === 'closed' ? [e.slug] : []));
    expect(closed.length).toBeGreaterThanOrEqual(14); // an hour: 12 5m + 4 15m windows, the last may still be open
    const instances = rt.config.strategies.map((inst) => ({ id: inst.id, config: createStrategy(inst.type, inst.params).config as { enabled: boolean; asset: string; windowSecs: number[] } }));
    const enabled = instances.filter((i) => i.config.enabled);
    expect(enabled.map((s) => s.id).sort()).toEqual(['hammer', 'time-bucket', 'trend-window']); // maker and late-sweep off by default
    const finals = events.flatMap((e) => (e.type === 'strategy.decision' && e.record.action !== 'evaluated' ? [e.record] : []));
    for (const inst of enabled) {
      const series = inst.config;
      const expected = closed.filter((slug) => slug.startsWith(`${series.asset}-`) && series.windowSecs.includes(slug.includes('-15m-') ? 900 : 300));
      const mine = finals.filter((d) => d.strategyId === inst.id);
      expect(mine.every((d) => d.action === 'traded' || d.action === 'skipped'), inst.id).toBe(true);
      expect(mine.map((d) => d.windowSlug).sort(), inst.id).toEqual([...expected].sort());
    }
    expect(finals.some((d) => d.strategyId === 'maker' || d.strategyId === 'late-sweep')).toBe(false);
  });

  it('trades: orders go through risk to the paper venue, fill, and are never sent into a closed window', () => {
    const submitted = events.filter((e) => e.type === 'order.state' && e.state === 'submitted');
    expect(submitted.length).toBeGreaterThan(0);
    const fills = events.filter((e) => e.type === 'order.filled');
    expect(fills.length).toBeGreaterThan(0);
    for (const e of submitted) {
      if (e.type !== 'order.state') continue;
      const tag = parseClientTag(e.clientTag)!;
      const start = Number(tag.windowSlug.split('-').at(-1)) * 1000;
      const len = tag.windowSlug.includes('-15m-') ? 900_000 : 300_000;
      expect(e.tsEventMs, e.clientTag).toBeLessThan(start + len);
    }
    const tags = submitted.map((e) => (e.type === 'order.state' ? e.clientTag : ''));
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('keeps the ledger in order: no runtime errors, positions settle', () => {
    const errors = events.filter((e) => e.type === 'runtime.error');
    expect(errors.map((e) => (e.type === 'runtime.error' ? `${e.source}: ${e.message}` : ''))).toEqual([]);
    expect(events.some((e) => e.type === 'position.settled')).toBe(true);
  });
});
