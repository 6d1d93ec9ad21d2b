/**
 * CLOB user socket (our orders and trades) with REST catch-up after every (re)connect.
 *
 * Invariants:
 * - First frame authenticates; credentials are never logged.
 * - After each open, `catchUp()` (REST /data/orders + /data/trades) runs so fills missed during a gap appear;
 *   the tracker de-duplicates by (tradeId, orderId) so a fill seen on both paths counts once.
 * - Bad frames are counted and dropped.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { Prng } from '../util/prng';
import { ORDER_TYPE, parseUserFrame } from '../protocol';
import type { VenueListener } from '../core/orders';
import type { ApiCredentials } from '../core/connection';
import { tradeToFills, wsOrderToVenue, type Ownership } from './user-normalize';
import type { FeedName } from '../core/connection';
import { WsConnection } from '../net/ws-connection';

export interface ClobUserFeedOptions {
  /** Raw frame tap (recorder). */
  onRaw?: (feed: FeedName, tsRecvMs: number, text: string) => void;
  url: string;
  clock: Clock;
  bus: EventBus;
  prng: Prng;
  creds: ApiCredentials;
  ownership: Ownership;
  listener: VenueListener;
  /** REST catch-up after every open (reconcile open orders + recent trades). */
  catchUp: () => Promise<void>;
  /** Condition ids to follow (empty = all). */
  markets?: () => string[];
  staleMs?: number;
}

export class ClobUserFeed {
  readonly conn: WsConnection;
  catchUps = 0;
  lastCatchUpOk = false;

  constructor(private readonly o: ClobUserFeedOptions) {
    this.conn = new WsConnection({
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      name: 'clob-user',
      url: o.url,
      clock: o.clock,
      bus: o.bus,
      prng: o.prng.fork('clob-user'),
      pingText: 'PING',
      pingEveryMs: 10_000,
      // The user channel is quiet when we have no orders: staleness is reported but does not force reconnects.
      staleMs: o.staleMs ?? 60_000,
      stallAction: 'notify',
      onOpen: (send) => {
        const markets = o.markets?.() ?? [];
        send(JSON.stringify({ auth: { apiKey: o.creds.key, secret: o.creds.secret, passphrase: o.creds.passphrase }, type: 'user', ...(markets.length ? { markets } : {}) }));
        void this.runCatchUp();
      },
      onText: (t) => this.onText(t),
    });
  }

  /** Feed one raw text frame through the same normaliser (replay, tests). */
  ingest(text: string): void {
    if (this.onText(text)) this.conn.health.message();
  }

  /** New API credentials (re-derived after a 401): used from the next (re)connect's auth frame on. */
  setCreds(creds: ApiCredentials): void {
    this.o.creds = creds;
  }

  start(): void {
    this.conn.start();
  }
  stop(): void {
    this.conn.stop();
  }

  private async runCatchUp(): Promise<void> {
    try {
      await this.o.catchUp();
      this.catchUps++;
      this.lastCatchUpOk = true;
    } catch (err) {
      this.lastCatchUpOk = false;
      this.o.bus.publish({ type: 'runtime.error', source: 'feed:clob-user', message: `catch-up failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private onText(text: string): boolean {
    const events = this.conn.health.frame(parseUserFrame(text));
    if (!events) return false;
    const now = this.o.clock.nowMs();
    for (const e of events) {
      if (e.event_type === 'order') {
        const v = wsOrderToVenue(e);
        if (v.status === 'UNKNOWN') this.conn.health.unknown(`order status ${v.statusRaw}`);
        if (e.order_type && !ORDER_TYPE.known(e.order_type)) this.conn.health.unknown(`order type ${e.order_type}`);
        this.o.listener.onOrder(v);
      } else for (const f of tradeToFills(e, this.o.ownership, now)) this.o.listener.onFill(f);
    }
    return events.length > 0;
  }
}
