/**
 * The simulator on a ScaledClock (as the demo runs it): 5-minute windows pass in real seconds and resolve.
 * Real time is vitest's fake Date/setTimeout (the ScaledClock reads Date.now and arms setTimeout), so "2 s of real
 * time" is exact and the test does not depend on the machine's speed; how fast the simulator really runs is the
 * sim-speed row of `npm run bench`.
 */
import { afterAll, expect, it, vi } from 'vitest';
import { ScaledClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { getJson } from './helpers';

let sim: SimHandle | undefined;
afterAll(async () => {
  vi.useRealTimers();
  await sim?.close();
});

it('at 600x, 2 s of real time carry the simulator through 1,200 simulated seconds: the 5-minute windows in them resolve and pay out', async () => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: 1_800_000_000_000 });
  const startMs = 1791241200000 - 5_000;
  const clock = new ScaledClock(startMs, 600);
  sim = await startSim({ clock, seed: 'scaled', resolutionDelayMs: 5000 });
  await vi.advanceTimersByTimeAsync(2_000);
  expect(clock.nowMs()).toBe(startMs + 1_200_000);
  clock.dispose();
  vi.useRealTimers();
  // Every window that ended by +1,195 s (its 5 s resolution delay inside the 1,200 s) is settled: the 5m and 15m
  // windows ending at the first boundary T = start + 5 s, the 5m ones ending at T + 300 and T + 600, both at T + 900.
  const T = (startMs + 5_000) / 1000;
  const ended = [
    ...[0, 300, 600, 900].map((end) => `btc-updown-5m-${T + end - 300}`),
    ...[0, 900].map((end) => `btc-updown-15m-${T + end - 900}`),
  ];
  const s = sim.model.settlements.toArray();
  expect(s.map((x) => x.slug).sort()).toEqual(ended.sort());
  for (const x of s) expect(x.paidMicro).toBe(x.winningSharesMicro);
  const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-5m-1791241200`)).body);
  expect(ev.closed).toBe(true);
  const meta = ev.eventMetadata ?? {};
  expect(meta.finalPrice).toBeGreaterThan(0);
  expect(P.parseJsonStringArray(ev.markets[0]!.outcomePrices!)).toEqual((meta.finalPrice ?? 0) >= (meta.priceToBeat ?? 0) ? ['1', '0'] : ['0', '1']);
});
