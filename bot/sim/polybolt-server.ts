/**
 * PolyBolt live-data stream (reference §5.2, §9.7): auth with CLOB creds, subscribe to `price.crypto` <asset>usd and
 * `price.crypto.twap` <asset>usd/60 for every simulated asset (btcusd, ethusd, ...), a snapshot of the previous
 * 2 minutes per subscription, then live updates with a per-connection+channel `seq` (one counter per channel across
 * its symbols, as in the official staging capture). One connection carries any number of symbols' subscriptions up
 * to 64 (channel, filter) pairs. App ping `{"op":"ping"}` -> `pong`; server WS pings every 25 s, two missed pongs ->
 * close 4002; over 8 auth frames or 64 subscriptions -> close 4008; shutdown -> close 4003 (draining).
 * Invariants: auth errors keep the connection open; unknown symbols (`btc/usd`, `btcusdt`, `BTCUSD`) are rejected;
 * the venue's symbols that the simulator does not walk are accepted with empty snapshots and no data; a simulated
 * asset outside the venue's list is served too (the simulator's own world).
 */
import { POLYBOLT_CLOSE, PolyboltClientOp, subscriptionKey, type PolyboltSubscription } from '../protocol/polybolt';
import type { AuthStore } from './auth';
import { parseJson } from './http-kit';
import type { SimModel } from './model';
import type { PricePoint } from './price-model';
import type { FaultySocket } from './ws-out';
import { textOf, type OnConnection } from './ws-endpoint';

const SYMBOLS: Record<string, readonly string[]> = {
  'price.crypto': ['btcusd', 'ethusd', 'solusd', 'dogeusd', 'xrpusd', 'bnbusd'],
  'price.crypto.twap': ['btcusd', 'ethusd', 'solusd', 'xrpusd', 'dogeusd', 'hypeusd', 'bnbusd', 'zecusd'],
};

interface Conn {
  s: FaultySocket;
  authed: boolean;
  authFrames: number;
  subs: Map<string, PolyboltSubscription>;
  seq: Map<string, number>;
  missedPongs: number;
}

const fav = (v: number) => v.toFixed(8);

export class PolyboltServer {
  private readonly conns = new Set<Conn>();
  readonly stop: () => void;

  constructor(
    private readonly model: SimModel,
    private readonly auth: AuthStore,
  ) {
    this.stop = model.clock.every(25_000, 'sim.h.polybolt-ping', () => this.pingAll());
  }

  readonly onConnection: OnConnection = (s) => {
    const c: Conn = { s, authed: false, authFrames: 0, subs: new Map(), seq: new Map(), missedPongs: 0 };
    this.conns.add(c);
    s.ws.on('close', () => this.conns.delete(c));
    s.ws.on('pong', () => (c.missedPongs = 0));
    s.ws.on('message', (data) => this.onMessage(c, textOf(data)));
  };

  /** Called on every reference report (1 Hz) of an asset (default btc). */
  onReference(ref: PricePoint, twap: PricePoint, asset = 'btc'): void {
    const symbol = `${asset}usd`;
    for (const c of this.conns) {
      for (const sub of c.subs.values()) {
        if (sub.filter.symbol !== symbol) continue;
        const isTwap = sub.channel === 'price.crypto.twap';
        const p = isTwap ? twap : ref;
        const payload: Record<string, unknown> = { symbol, value: p.value, full_accuracy_value: fav(p.value), timestamp: p.tMs };
        if (isTwap) payload.window_seconds = 60;
        // Real data frames carry no `source` (official staging capture); the tidy dialect keeps the docs' field.
        if (!this.model.dialect.real) payload.source = 'chainlink';
        c.s.send(JSON.stringify({ v: 1, channel: sub.channel, seq: this.nextSeq(c, sub), ts: ref.tMs, payload }));
      }
    }
  }

  drain(): void {
    for (const c of this.conns) c.s.close(POLYBOLT_CLOSE.draining, 'draining');
  }

  /** Per connection and channel (every symbol of a channel shares one counter). */
  private nextSeq(c: Conn, sub: PolyboltSubscription): number {
    const n = (c.seq.get(sub.channel) ?? 0) + 1;
    c.seq.set(sub.channel, n);
    return n;
  }

  private allowed(channel: string, symbol: string): boolean | undefined {
    const venue = SYMBOLS[channel];
    if (!venue) return undefined;
    return venue.includes(symbol) || (/^[a-z0-9]+usd$/.test(symbol) && this.model.pricesFor(symbol.slice(0, -3)) !== undefined);
  }

  private pingAll(): void {
    for (const c of this.conns) {
      if (c.missedPongs >= 2) {
        c.s.close(POLYBOLT_CLOSE.slowConsumer, 'pong timeout');
        continue;
      }
      c.missedPongs++;
      if (c.s.open) c.s.ws.ping();
    }
  }

  private error(c: Conn, code: string, rid?: string, channel?: string): void {
    const e: Record<string, string> = { op: 'error', code };
    if (channel) e.channel = channel;
    if (rid) e.rid = rid;
    c.s.sendControl(JSON.stringify(e));
  }

  private onMessage(c: Conn, text: string): void {
    const parsed = PolyboltClientOp.safeParse(parseJson(text));
    if (!parsed.success) return this.error(c, 'bad_request');
    const op = parsed.data;
    if (op.op === 'ping') return c.s.sendControl(JSON.stringify(op.rid ? { op: 'pong', rid: op.rid } : { op: 'pong' }));
    if (op.op === 'auth') {
      if (++c.authFrames > 8) return c.s.close(POLYBOLT_CLOSE.policy, 'auth_attempts');
      const rec = this.auth.byCreds(op.auth.apiKey, op.auth.secret, op.auth.passphrase);
      if (!rec) return this.error(c, 'auth_invalid', op.rid);
      c.authed = true;
      return c.s.sendControl(JSON.stringify(op.rid ? { op: 'authed', rid: op.rid } : { op: 'authed' }));
    }
    for (const sub of op.subscriptions) {
      if (!c.authed) {
        this.error(c, 'auth_required', op.rid, sub.channel);
        continue;
      }
      const allowed = this.allowed(sub.channel, sub.filter.symbol);
      if (allowed === undefined) {
        this.error(c, 'invalid_channel', op.rid, sub.channel);
        continue;
      }
      if (!allowed || (sub.channel === 'price.crypto.twap' && sub.filter.window_seconds !== 60)) {
        this.error(c, 'invalid_filter', op.rid, sub.channel);
        continue;
      }
      const key = subscriptionKey(sub);
      if (op.op === 'unsubscribe') {
        c.subs.delete(key);
        c.s.sendControl(JSON.stringify({ op: 'unsubscribed', channel: sub.channel, ...(op.rid ? { rid: op.rid } : {}) }));
        continue;
      }
      if (!c.subs.has(key) && c.subs.size >= 64) return c.s.close(POLYBOLT_CLOSE.policy, 'sub_limit');
      c.subs.set(key, sub);
      c.s.sendControl(JSON.stringify({ op: 'subscribed', channel: sub.channel, ...(op.rid ? { rid: op.rid } : {}) }));
      this.snapshot(c, sub);
    }
  }

  private snapshot(c: Conn, sub: PolyboltSubscription): void {
    const now = this.model.clock.nowMs();
    const isTwap = sub.channel === 'price.crypto.twap';
    const prices = this.model.pricesFor(sub.filter.symbol.replace(/usd$/, ''));
    const hist = !prices ? [] : (isTwap ? prices.twapHistory : prices.referenceHistory).toArray().filter((p) => p.tMs > now - 120_000);
    const payload: Record<string, unknown> = { symbol: sub.filter.symbol, ...(this.model.dialect.real ? {} : { source: 'chainlink' }) };
    if (isTwap) payload.window_seconds = 60;
    payload.data = hist.map((p) => ({ timestamp: p.tMs, value: p.value, full_accuracy_value: fav(p.value) }));
    c.s.send(JSON.stringify({ v: 1, channel: sub.channel, seq: this.nextSeq(c, sub), ts: now, snapshot: true, payload }));
  }
}
