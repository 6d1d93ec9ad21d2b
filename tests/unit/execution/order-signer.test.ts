import { describe, expect, it } from 'vitest';
import { Wallet } from '@ethersproject/wallet';
import { OrderBuilder } from '@polymarket/clob-client-v2';
import { OrderSigner, type OrderStruct, type SignatureType } from '../../../bot/execution/order-signer';
import { limitOrderAmounts, marketOrderAmounts, type TickSize } from '../../../bot/core/rounding';
import { Prng } from '../../../bot/util/prng';

const TICKS: TickSize[] = ['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001'];

describe('OrderSigner vs clob-client-v2 (byte identity)', () => {
  it('signs 60 random limit and market orders identically for signature types 0-3', async () => {
    const prng = new Prng('signer');
    for (let i = 0; i < 60; i++) {
      const pk = '0x' + prng.hex(32);
      const wallet = new Wallet(pk);
      const sigType = (i % 4) as SignatureType;
      const funder = sigType === 0 ? undefined : '0x' + prng.hex(20);
      const builder = new OrderBuilder(wallet as never, 137, sigType, funder);
      const tick = TICKS[i % TICKS.length]!;
      const t = Number(tick);
      const price = Number((t * prng.int(1, Math.round(1 / t) - 1)).toFixed(4));
      const side = prng.chance(0.5) ? 'BUY' : 'SELL';
      const tokenID = BigInt('0x' + prng.hex(31)).toString();
      const market = i % 3 === 2;
      const size = Math.round(prng.next() * 500 * 1000) / 1000 + 5;
      const signed = (market
        ? await builder.buildMarketOrder({ tokenID, amount: size, side: side as never, price }, { tickSize: tick, negRisk: false }, 2)
        : await builder.buildOrder({ tokenID, price, size, side: side as never }, { tickSize: tick, negRisk: false }, 2)) as unknown as Record<string, string> & { signatureType: SignatureType };
      const amounts = market ? marketOrderAmounts(side, size, price, tick) : limitOrderAmounts(side, size, price, tick);
      expect(amounts.makerAmount).toBe(signed.makerAmount);
      expect(amounts.takerAmount).toBe(signed.takerAmount);
      const fast = new OrderSigner({ privateKey: pk });
      expect(fast.address).toBe(wallet.address);
      const struct: OrderStruct = {
        salt: String(signed.salt), maker: signed.maker!, signer: signed.signer!, tokenId: signed.tokenId!,
        makerAmount: signed.makerAmount!, takerAmount: signed.takerAmount!, side: signed.side as 'BUY' | 'SELL',
        signatureType: signed.signatureType, timestamp: signed.timestamp!, metadata: signed.metadata!, builder: signed.builder!,
      };
      expect(fast.sign(struct)).toBe(signed.signature);
    }
  });
});
