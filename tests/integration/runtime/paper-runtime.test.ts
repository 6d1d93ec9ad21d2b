/**
 * The whole runtime (createRuntime: simulator + venue session + strategy host + risk) paper-trading on the
 * simulator over real loopback sockets, on a SimClock advanced in steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { parseClientTag } from '../../../bot/strategies/intents';
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

  it('runs the enabled strategies: one final decision per window of their series', () => {
    const finals = events.filter((e) => e.type === 'strategy.decision' && e.record.action !== 'evaluated');
    const byStrategy = new Map<string, string[]>();
    for (const e of finals) if (e.type === 'strategy.decision') byStrategy.set(e.record.strategyId, [...(byStrategy.get(e.record.strategyId) ?? []), e.record.windowSlug]);
    for (const id of ['time-bucket', 'hammer', 'trend-window']) {
      const slugs = byStrategy.get(id) ?? [];
      expect(slugs.length, id).toBeGreaterThan(5);
      expect(new Set(slugs).size, `${id} one final decision per window`).toBe(slugs.length);
    }
    expect(byStrategy.has('maker')).toBe(false); // disabled by default
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
