/**
 * Synthetic books around the fair probability for the harness: makers quote the TWAP-model fair Up
 * probability (true σ) plus AR(1) noise, 1–3 tick spreads, three levels a side; the Down book mirrors the Up
 * book (bidDown = 1 − askUp). Rarely (dislocateProb per second) the Down asks drop by 0.06 for a second so
 * complete-set arbitrage can appear. Deterministic given the Prng.
 */
import type { BookView, PriceLevel } from '../../../../bot/strategies/context';
import { observedTwapPart, pHatTwap } from '../../../../bot/strategies/hammer/fair-prob';
import type { Prng } from '../../../../bot/util/prng';
import { type PricePath, type WindowSpec, secondIndex } from './path';

const r2 = (x: number) => Math.round(x * 100) / 100;

export class SyntheticBooks {
  private noise = 0;

  constructor(
    private readonly rng: Prng,
    private readonly path: PricePath,
    private readonly w: WindowSpec,
    private readonly dislocateProb = 0.003,
  ) {}

  /** Fair Up probability from the true path (market makers know σ; they see the reference). */
  fairUp(nowMs: number): number {
    const i = secondIndex(this.path, nowMs);
    const S = this.path.ref[i]!;
    const sigmaPrice = this.path.sigmaAt[i]! * S;
    const hist = [];
    for (let k = Math.max(0, i - 60); k <= i; k++) hist.push({ tsMs: this.path.startMs + k * 1000, price: this.path.ref[k]! });
    const obs = observedTwapPart(hist, this.w.endMs, nowMs, S);
    return pHatTwap(S, this.w.priceToBeat, sigmaPrice, (this.w.endMs - nowMs) / 1000, obs).pHat;
  }

  books(nowMs: number, upTokenId: string, downTokenId: string): { up: BookView; down: BookView; fair: number } {
    const fair = this.fairUp(nowMs);
    this.noise = 0.9 * this.noise + 0.013 * this.rng.normal();
    const mid = Math.min(0.985, Math.max(0.015, fair + this.noise));
    const u = this.rng.next();
    const spread = u < 0.6 ? 0.01 : u < 0.9 ? 0.02 : 0.03;
    const bid = Math.min(0.99 - spread, Math.max(0.01, r2(Math.floor((mid - spread / 2) * 100 + 1e-9) / 100)));
    const ask = r2(bid + spread);
    const bids: PriceLevel[] = [];
    const asks: PriceLevel[] = [];
    for (let k = 0; k < 3; k++) {
      if (bid - k * 0.01 >= 0.01 - 1e-9) bids.push({ price: r2(bid - k * 0.01), size: Math.round(20 + this.rng.exponential(60)) });
      if (ask + k * 0.01 <= 0.99 + 1e-9) asks.push({ price: r2(ask + k * 0.01), size: Math.round(20 + this.rng.exponential(60)) });
    }
    const shift = this.rng.chance(this.dislocateProb) ? 0.06 : 0;
    const up: BookView = { tokenId: upTokenId, bids, asks, fresh: true, updatedMs: nowMs };
    const down: BookView = {
      tokenId: downTokenId,
      bids: asks.map((l) => ({ price: r2(1 - l.price), size: l.size })),
      asks: bids.map((l) => ({ price: r2(Math.max(0.01, 1 - l.price - shift)), size: l.size })),
      fresh: true,
      updatedMs: nowMs,
    };
    return { up, down, fair };
  }
}
