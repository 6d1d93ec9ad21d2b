/**
 * Protocol V2 markets (`market.version: "v2"`): Gamma exposes positionIds (75-digit) with clobTokenIds null and a
 * 62-hex bytes31 condition id; the CLOB uses the 64-hex padded id; orders are signed for ExchangeV3 (domain "3"),
 * and an order signed for the other exchange gets `order_version_mismatch`.
 */
import { Wallet } from '@ethersproject/wallet';
import { ClobClient, Side } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import * as P from '../../../bot/protocol';
import { startSim, type SimHandle } from '../../../bot/sim';
import { advance, getJson } from './helpers';

const OPEN_SEC = 1791241200;
let sim: SimHandle;
let clock: SimClock;
beforeAll(async () => {
  clock = new SimClock(OPEN_SEC * 1000 + 20_000);
  sim = await startSim({ clock, seed: 'v2', marketVersion: 'v2' });
  await advance(clock, 3000, 1000);
});
afterAll(async () => sim.close());

it('serves v2 ids and accepts ExchangeV3-signed orders only', async () => {
  const ev = P.GammaEvent.parse((await getJson(`${sim.urls.gamma}/events/slug/btc-updown-15m-${OPEN_SEC}`)).body);
  const m = ev.markets[0]!;
  expect(m.version).toBe('v2');
  expect(m.clobTokenIds).toBeNull();
  expect(m.conditionId).toMatch(/^0x[0-9a-f]{62}$/);
  const pair = P.marketTokenPair(m);
  if (!pair.ok) throw new Error(pair.reason);
  expect(pair.upTokenId).toHaveLength(75);
  expect((await getJson(`${sim.urls.clob}/clob-markets/${m.conditionId}`)).status).toBe(404);
  const info = P.ClobMarketInfo.parse((await getJson(`${sim.urls.clob}/clob-markets/${P.clobConditionId(m.conditionId)}`)).body);
  expect(info.v).toBe('v2');
  expect((await getJson(`${sim.urls.clob}/version`)).body).toEqual({ version: 3 });
  const wallet = Wallet.createRandom();
  const creds = await new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet }).createOrDeriveApiKey();
  const client = new ClobClient({ host: sim.urls.clob, chain: 137, signer: wallet, creds });
  const ok = P.PostOrderResponse.parse(await client.createAndPostOrder({ tokenID: pair.upTokenId, price: 0.05, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false }));
  expect(ok.status).toBe('live');
  const wrong = await client.createOrder({ tokenID: pair.upTokenId, price: 0.06, size: 10, side: Side.BUY }, { tickSize: '0.01', negRisk: false, version: 2 });
  const res = (await client.postOrder(wrong)) as unknown as { status: number; error: string };
  expect(res).toMatchObject({ status: 400, error: 'order_version_mismatch' });
});
