/** The simulator on a ScaledClock (as the demo runs it): 5-minute windows pass in real seconds and resolve. */
import { afterAll, expect, it } from 'vitest';
import { ScaledClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { getJson } from './helpers';

let sim: SimHandle | undefined;
afterAll(async () => sim?.close());

it('runs a 5-minute window in well under two real seconds at 600x', async () => {
  const clock = new ScaledClock(1791241200000 - 5_000, 600);
  sim = await startSim({ clock, seed: 'scaled', resolutionDelayMs: 5000 });
  const deadline = Date.now() + 8000;
  while (sim.model.settlements.size < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  clock.dispose();
  const s = sim.model.settlements.toArray();
  expect(s.length).toBeGreaterThanOrEqual(3);
  for (const x of s) expect(x.paidMicro).toBe(x.winningSharesMicro);
  const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-5m-1791241200`)).body);
  expect(ev.closed).toBe(true);
  const meta = ev.eventMetadata ?? {};
  expect(meta.finalPrice).toBeGreaterThan(0);
  expect(P.parseJsonStringArray(ev.markets[0]!.outcomePrices!)).toEqual((meta.finalPrice ?? 0) >= (meta.priceToBeat ?? 0) ? ['1', '0'] : ['0', '1']);
});
