/**
 * CLOB market and user WebSocket channels (reference §4, §9.5–9.6).
 *
 * Market: subscribe with `assets_ids` (+ `initial_dump`, `custom_feature_enabled`), dynamic subscribe/unsubscribe,
 * text `PING` -> `PONG`; initial dump is one array frame of `book` events. User: the first frame must carry valid
 * API creds (else close 1008); optional `markets` filter; same PING/PONG. Bad frames are ignored, never fatal.
 * Invariant: at most 500 assets / markets per socket.
 */
import { MarketSubscribe, MarketSubscriptionUpdate } from '../protocol/market-ws';
import { UserSubscribe, UserSubscriptionUpdate } from '../protocol/user-ws';
import type { AuthStore } from './auth';
import { parseJson } from './http-kit';
import { bookEvent } from './market-frames';
import type { SimModel } from './model';
import { textOf, type OnConnection } from './ws-endpoint';

const MAX_SUBS = 500;

export function marketChannel(model: SimModel): OnConnection {
  return (s) => {
    const assets = new Set<string>();
    let custom = false;
    const listener = (f: { assetIds: readonly string[]; custom: boolean; broadcast: boolean; text: string }) => {
      if (f.custom && !custom) return;
      if (f.broadcast) return s.send(f.text);
      for (const a of f.assetIds) if (assets.has(a)) return s.send(f.text);
    };
    model.hub.market.add(listener);
    s.ws.on('close', () => model.hub.market.delete(listener));
    const dump = (ids: string[]) => {
      const now = model.clock.nowMs();
      const books = ids.flatMap((id) => {
        const m = model.registry.token(id);
        return m ? [bookEvent(m, m.outcomeOf(id)!, now, model.dialect)] : [];
      });
      if (books.length > 0) s.send(JSON.stringify(books));
    };
    s.ws.on('message', (data) => {
      const text = textOf(data);
      if (text === 'PING' || text === 'ping') return s.sendControl('PONG');
      const msg = parseJson(text);
      const sub = MarketSubscribe.safeParse(msg);
      if (sub.success) {
        for (const a of sub.data.assets_ids) if (assets.size < MAX_SUBS) assets.add(a);
        custom = sub.data.custom_feature_enabled === true;
        if (sub.data.initial_dump !== false) dump(sub.data.assets_ids);
        return;
      }
      const upd = MarketSubscriptionUpdate.safeParse(msg);
      if (!upd.success) return;
      if (upd.data.custom_feature_enabled !== undefined) custom = upd.data.custom_feature_enabled;
      if (upd.data.operation === 'unsubscribe') for (const a of upd.data.assets_ids) assets.delete(a);
      else {
        for (const a of upd.data.assets_ids) if (assets.size < MAX_SUBS) assets.add(a);
        // Whether the venue snapshots a dynamic subscribe without `initial_dump` is undocumented: the real
        // dialect snapshots only when asked (clients must ask, or fall back to REST /book).
        if (model.dialect.real ? upd.data.initial_dump === true : upd.data.initial_dump !== false) dump(upd.data.assets_ids);
      }
    });
  };
}

export function userChannel(model: SimModel, auth: AuthStore): OnConnection {
  return (s) => {
    let apiKey: string | undefined;
    let markets: Set<string> | undefined;
    const listener = (f: { apiKey: string; conditionId: string; text: string }) => {
      if (f.apiKey !== apiKey) return;
      if (markets && markets.size > 0 && !markets.has(f.conditionId)) return;
      s.send(f.text);
    };
    s.ws.on('close', () => model.hub.user.delete(listener));
    s.ws.on('message', (data) => {
      const text = textOf(data);
      if (text === 'PING' || text === 'ping') return s.sendControl('PONG');
      const msg = parseJson(text);
      if (apiKey === undefined) {
        const sub = UserSubscribe.safeParse(msg);
        const rec = sub.success ? auth.byCreds(sub.data.auth.apiKey, sub.data.auth.secret, sub.data.auth.passphrase) : undefined;
        if (!sub.success || !rec) return s.close(1008, 'invalid auth');
        apiKey = rec.apiKey;
        markets = new Set((sub.data.markets ?? []).slice(0, MAX_SUBS));
        model.hub.user.add(listener);
        return;
      }
      const upd = UserSubscriptionUpdate.safeParse(msg);
      if (!upd.success || !markets) return;
      if (upd.data.operation === 'unsubscribe') for (const m of upd.data.markets) markets.delete(m);
      else for (const m of upd.data.markets) if (markets.size < MAX_SUBS) markets.add(m);
    });
  };
}
