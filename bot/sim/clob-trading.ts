/**
 * Authenticated CLOB REST routes (reference §2.3–2.6, §9.4): order post (single and batch), cancels, order and
 * trade queries, heartbeats, balance/allowance. Every route checks the L2 HMAC headers first.
 *
 * Invariants:
 * - Batch post holds at most 15 orders; batch cancel at most 1,000 ids; pages hold at most 100 records.
 * - A cancel of an order that is not LIVE reports the venue's reason in `not_canceled`, never an HTTP error.
 */
import type { AuthStore, KeyRecord } from './auth';
import { unifiedPlacement } from './book';
import { crosses } from './matching';
import type { SubmitResult } from './exchange';
import type { FaultRegistry } from './faults';
import type { Heartbeats } from './heartbeats';
import { err, json, parseJson, type Req, type Res, type Router } from './http-kit';
import type { SimModel } from './model';
import { checkOrder } from './order-checks';
import { renderOpenOrder, renderRestTrade, roleOf, type UserOrder } from './records';

const PAGE = 100;
const END = 'LTE=';
const pageStart = (c: string | null) => {
  if (!c || c === 'MA==') return 0;
  const n = Number(Buffer.from(c, 'base64').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : 0;
};
function page<T>(items: T[], cursor: string | null) {
  const start = pageStart(cursor);
  const data = items.slice(start, start + PAGE);
  const next = start + PAGE < items.length ? Buffer.from(String(start + PAGE)).toString('base64') : END;
  return { limit: PAGE, count: data.length, next_cursor: next, data };
}

const failure = (errorMsg: string) => ({ success: false, errorMsg, orderID: '', status: '', makingAmount: '', takingAmount: '' });
const success = (id: string, r: Extract<SubmitResult, { ok: true }>) => ({
  success: true,
  errorMsg: '',
  orderID: id,
  status: r.status,
  makingAmount: String(r.makingMicro),
  takingAmount: String(r.takingMicro),
  transactionsHashes: r.txHashes,
  tradeIDs: r.tradeIds,
});

export function addTradingRoutes(r: Router, model: SimModel, auth: AuthStore, faults: FaultRegistry, hb: Heartbeats): void {
  const ex = model.exchange;
  const authed = (fn: (q: Req, key: KeyRecord) => Res | Promise<Res>) => (q: Req) => {
    const key = auth.l2(q.headers, q.method, q.path, q.rawBody);
    return key ? fn(q, key) : err(401, 'Unauthorized/Invalid api key');
  };
  const post = async (body: unknown, key: KeyRecord) => {
    const c = await checkOrder(body, key, model, faults);
    if (!c.ok) return c;
    const o = c.order;
    const place = unifiedPlacement(o.outcome, o.side, o.ownPriceMilli);
    const hold = !o.postOnly && crosses(o.market.book, place.bookSide, place.priceMilli) ? faults.find('delay_match', (s) => s === '*' || s === 'clob' || s === 'POST /order' || s === 'POST /orders') : undefined;
    if (hold) {
      model.clock.after(hold.spec.delayMs ?? 250, `sim.delayed.${o.id}`, () => ex.submit(o));
      return { ok: true as const, body: { success: true, errorMsg: '', orderID: o.id, status: 'delayed', makingAmount: '0', takingAmount: '0', transactionsHashes: [], tradeIDs: [] } };
    }
    const s = ex.submit(o);
    if (!s.ok) return { ok: false as const, status: 400, error: s.error, extra: undefined, headers: undefined };
    return { ok: true as const, body: success(c.order.id, s) };
  };
  r.add('POST', '/order', authed(async (q, key) => {
    const res = await post(parseJson(q.rawBody), key);
    return res.ok ? json(200, res.body) : { status: res.status, body: { error: res.error, ...res.extra }, headers: res.headers };
  }));
  r.add('POST', '/orders', authed(async (q, key) => {
    const body = parseJson(q.rawBody);
    if (!Array.isArray(body)) return err(400, 'Invalid order payload');
    if (body.length > 15) return err(400, `Too many orders in payload: ${body.length}, max allowed: 15`);
    const out: unknown[] = [];
    for (const b of body) {
      const res = await post(b, key);
      if (res.ok) out.push(res.body);
      else if (res.status === 503) return { status: 503, body: { error: res.error, ...res.extra }, headers: res.headers };
      else out.push(failure(res.error));
    }
    return json(200, out);
  }));
  const cancelIds = (key: KeyRecord, ids: string[]) => {
    const canceled: string[] = [];
    const not: Record<string, string> = {};
    for (const id of ids) {
      const o = ex.orders.get(id);
      if (!o || o.owner !== key.apiKey || o.status === 'CANCELED' || o.status === 'CANCELED_MARKET_RESOLVED') not[id] = 'Order not found or already canceled';
      else if (o.status === 'MATCHED') not[id] = 'Order already matched';
      else {
        ex.cancel(o);
        canceled.push(id);
      }
    }
    return json(200, { canceled, not_canceled: not });
  };
  const mine = (key: KeyRecord, pred: (o: UserOrder) => boolean) => [...ex.orders.values()].filter((o) => o.owner === key.apiKey && pred(o));
  r.add('DELETE', '/order', authed((q, key) => {
    const b = parseJson(q.rawBody) as { orderID?: unknown } | undefined;
    if (!b || typeof b.orderID !== 'string') return err(400, 'Invalid payload');
    return cancelIds(key, [b.orderID]);
  }));
  r.add('DELETE', '/orders', authed((q, key) => {
    const b = parseJson(q.rawBody);
    if (!Array.isArray(b) || !b.every((x) => typeof x === 'string')) return err(400, 'Invalid payload');
    if (b.length > 1000) return err(400, `Too many orders in payload: ${b.length}, max allowed: 1000`);
    return cancelIds(key, b as string[]);
  }));
  r.add('DELETE', '/cancel-all', authed((_q, key) => cancelIds(key, mine(key, (o) => o.status === 'LIVE').map((o) => o.id))));
  r.add('DELETE', '/cancel-market-orders', authed((q, key) => {
    const b = (parseJson(q.rawBody) ?? {}) as { market?: unknown; asset_id?: unknown };
    const ids = mine(key, (o) => o.status === 'LIVE' && (b.market === undefined || b.market === o.market.conditionId) && (b.asset_id === undefined || b.asset_id === o.tokenId));
    return cancelIds(key, ids.map((o) => o.id));
  }));
  r.add('GET', '/data/order/:id', authed((q, key) => {
    const o = ex.orders.get(q.params.id!);
    return o && o.owner === key.apiKey ? json(200, renderOpenOrder(o, model.dialect)) : err(404, 'order not found');
  }));
  r.add('GET', '/data/orders', authed((q, key) => {
    const id = q.query.get('id');
    const market = q.query.get('market');
    const asset = q.query.get('asset_id');
    const list = mine(key, (o) => (id ? o.id === id : o.status === 'LIVE') && (!market || o.market.conditionId === market) && (!asset || o.tokenId === asset));
    return json(200, page(list.map((o) => renderOpenOrder(o, model.dialect)), q.query.get('next_cursor')));
  }));
  r.add('GET', '/data/trades', authed((q, key) => {
    const id = q.query.get('id');
    const market = q.query.get('market');
    const asset = q.query.get('asset_id');
    const before = Number(q.query.get('before') ?? Infinity);
    const after = Number(q.query.get('after') ?? -Infinity);
    const list = [...ex.trades.values()].filter(
      (t) => roleOf(t, key.apiKey) && (!id || t.id === id) && (!market || t.market.conditionId === market) && (!asset || t.market.tokenFor(t.outcome) === asset) && t.matchTimeMs / 1000 < before && t.matchTimeMs / 1000 > after,
    );
    return json(200, page(list.map((t) => renderRestTrade(t, key.apiKey, model.dialect)), q.query.get('next_cursor')));
  }));
  r.add('POST', '/v1/heartbeats', authed((q, key) => {
    const b = (parseJson(q.rawBody) ?? {}) as { heartbeat_id?: unknown };
    const res = hb.beat(key.apiKey, typeof b.heartbeat_id === 'string' ? b.heartbeat_id : '');
    return res.ok ? json(200, { heartbeat_id: res.next }) : json(400, { error_msg: 'Invalid Heartbeat ID', heartbeat_id: res.expected });
  }));
  r.add('POST', '/heartbeats', authed((_q, key) => {
    hb.touch(key.apiKey);
    return json(200, { status: 'ok' });
  }));
  // Balance and allowances (reference §2.5): COLLATERAL = pUSD; CONDITIONAL (-V2 for Protocol V2) needs a token id.
  const balance = (q: Req, key: KeyRecord): Res => {
    const type = q.query.get('asset_type');
    const token = q.query.get('token_id');
    const settings = model.settings;
    if (type === 'COLLATERAL') {
      return json(200, { balance: String(Math.max(0, model.ledger.availableMicro(key.address))), allowances: settings.allowances(key.address, 'COLLATERAL') });
    }
    if ((type === 'CONDITIONAL' || type === 'CONDITIONAL-V2') && token) {
      return json(200, { balance: String(Math.max(0, model.ledger.availablePosition(key.address, token))), allowances: settings.allowances(key.address, 'CONDITIONAL') });
    }
    return err(400, 'Invalid asset type');
  };
  r.add('GET', '/balance-allowance', authed(balance));
  r.add('GET', '/balance-allowance/update', authed(balance));
  r.add('GET', '/auth/api-keys', authed((_q, key) => json(200, { apiKeys: [key.apiKey] })));
  r.add('GET', '/auth/ban-status/closed-only', authed((_q, key) => json(200, { closed_only: model.settings.closedOnly(key.address) })));
}
