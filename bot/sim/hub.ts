/**
 * SimHub: the simulator's internal fan-out from the model to the socket servers (and to in-process taps used by
 * determinism tests and the bench).
 *
 * Invariants:
 * - Frames are serialised once per publish and only when someone listens.
 * - Publishing is synchronous and in call order, so the tapped stream is a deterministic function of the seed.
 * - Listener sets are bounded by the number of open sockets (each socket removes its listener on close).
 */
export type StreamName = 'market' | 'user' | 'polybolt' | 'rtds' | 'spot';

export interface MarketFrame {
  conditionId: string;
  assetIds: readonly string[];
  /** best_bid_ask, new_market and market_resolved are only sent with custom_feature_enabled. */
  custom: boolean;
  /** new_market is delivered to every custom-feature socket, subscribed or not (as observed on the venue). */
  broadcast: boolean;
  text: string;
}

export interface UserFrame {
  apiKey: string;
  conditionId: string;
  text: string;
}

export type Tap = (stream: StreamName, text: string) => void;

export class SimHub {
  readonly market = new Set<(f: MarketFrame) => void>();
  readonly user = new Set<(f: UserFrame) => void>();
  private readonly taps = new Set<Tap>();
  /** Count of frames published per stream (for status and the bench). */
  readonly published: Record<StreamName, number> = { market: 0, user: 0, polybolt: 0, rtds: 0, spot: 0 };

  tap(fn: Tap): () => void {
    this.taps.add(fn);
    return () => this.taps.delete(fn);
  }

  wantsMarket(): boolean {
    return this.market.size > 0 || this.taps.size > 0;
  }

  publishMarket(conditionId: string, assetIds: readonly string[], custom: boolean, payload: unknown, broadcast = false): void {
    this.published.market++;
    if (!this.wantsMarket()) return;
    const f: MarketFrame = { conditionId, assetIds, custom, broadcast, text: JSON.stringify(payload) };
    for (const t of this.taps) t('market', f.text);
    for (const l of this.market) l(f);
  }

  publishUser(apiKey: string, conditionId: string, payload: unknown): void {
    this.published.user++;
    if (this.user.size === 0 && this.taps.size === 0) return;
    const f: UserFrame = { apiKey, conditionId, text: JSON.stringify(payload) };
    for (const t of this.taps) t('user', `${apiKey} ${f.text}`);
    for (const l of this.user) l(f);
  }

  /** Price streams are rendered per protocol by their servers; the tap sees a canonical line. */
  note(stream: StreamName, text: string): void {
    this.published[stream]++;
    for (const t of this.taps) t(stream, text);
  }
}
