/**
 * The reference stores of every asset a runtime prices (one ReferenceStore per asset: `btc`, `eth`, ...), keyed by
 * asset and reachable by feed symbol (`ethusd`, `eth/usd`, `ethusdt`).
 *
 * Invariants: a symbol maps to exactly one asset (bot/core/series.ts assetOfSymbol), so one asset's points never land
 * in another's store; the primary asset's store exists from construction (single-asset callers read `primary`);
 * other stores are created when an asset is added and kept (their histories are bounded by the store).
 */
import { ReferenceStore } from './reference-store';
import { assetOfSymbol, type Asset } from './series';

export class ReferenceSet {
  private readonly stores = new Map<Asset, ReferenceStore>();
  readonly primary: ReferenceStore;

  constructor(readonly primaryAsset: Asset, assets: readonly Asset[] = []) {
    this.primary = this.add(primaryAsset);
    for (const a of assets) this.add(a);
  }

  /** The store of an asset, created when missing. */
  add(asset: Asset): ReferenceStore {
    let s = this.stores.get(asset);
    if (!s) this.stores.set(asset, (s = new ReferenceStore()));
    return s;
  }

  get(asset: Asset): ReferenceStore | undefined {
    return this.stores.get(asset);
  }

  /** The store a feed symbol prices, when that asset is tracked. */
  bySymbol(symbol: string): ReferenceStore | undefined {
    return this.stores.get(assetOfSymbol(symbol));
  }

  assets(): Asset[] {
    return [...this.stores.keys()];
  }
}
