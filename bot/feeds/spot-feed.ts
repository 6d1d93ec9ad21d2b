/**
 * Binance-style spot stream (trade / bookTicker, raw or combined). Liveness and divergence only, never
 * settlement maths. Publishes `spot.price` at most every `publishEveryMs` (bus volume bounded).
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import { fastSpotTrade, SpotFrame } from '../protocol';
import type { ReferenceStore } from '../core/reference-store';
import type { FeedName } from '../core/connection';
import { WsConnection } from '../net/ws-connection';

export interface SpotFeedOptions {
  /** Raw frame tap (recorder). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  store: ReferenceStore;
  staleMs?: number;
  publishEveryMs?: number;
}

export class SpotFeed {
  readonly conn: WsConnection;
  private lastPublishMs = -Infinity;

  constructor(private readonly o: SpotFeedOptions) {
    this.conn = new WsConnection({
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      name: 'spot',
      url: o.url,
      clock: o.clock,
      bus: o.bus,
      prng: o.prng.fork('spot'),
      staleMs: o.staleMs ?? 5_000,
      onOpen: () => {},
      onText: (t) => this.onText(t),
    });
  }

  /** Feed one raw text frame through the same normaliser (replay, tests). */
  ingest(text: string): void {
    if (this.onText(text)) this.conn.health.message();
  }

  start(): void {
    this.conn.start();
  }
  stop(): void {
    this.conn.stop();
  }

  private onText(text: string): boolean {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.conn.health.badFrame('malformed JSON');
      return false;
    }
    if (raw && typeof raw === 'object' && 'result' in raw) return false;
    const quick = fastSpotTrade(raw);
    const r = quick ? ({ success: true, data: quick } as const) : SpotFrame.safeParse(raw);
    if (!r.success) {
      this.conn.health.badFrame(r.error.issues[0]?.message ?? 'schema mismatch');
      return false;
    }
    const d = 'stream' in r.data ? r.data.data : r.data;
    const now = this.o.clock.nowMs();
    const price = 'p' in d ? Number(d.p) : (Number(d.b) + Number(d.a)) / 2;
    const ts = 'T' in d ? d.T : now;
    if (!(price > 0)) return false;
    this.o.store.setSpot(ts, price);
    if (now - this.lastPublishMs >= (this.o.publishEveryMs ?? 250)) {
      this.lastPublishMs = now;
      this.o.bus.publish({ type: 'spot.price', source: 'binance', symbol: d.s.toLowerCase(), priceUsd: price, tsEventMs: ts });
    }
    return true;
  }
}
