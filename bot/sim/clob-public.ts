/**
 * Public CLOB REST routes (reference §2.1, §9.2) and API-key creation/derivation (§2.2, §9.3).
 * Invariants: numbers and strings exactly as the venue types them (`/book` all strings, `/tick-size` a number,
 * `/time` a bare number of seconds); the auth store judges timestamps by the same venue clock `/time` reports
 * (the model clock plus the control API's `/time-offset`).
 */
import { formatDecimal } from '../protocol/common';
import { attachAuth, type AuthStore } from './auth';
import { err, json, parseJson, type Req, type Res, type Router } from './http-kit';
import type { SimMarket } from './market';
import { bookSummary, px } from './market-frames';
import type { SimModel } from './model';

export function addPublicRoutes(r: Router, model: SimModel, auth: AuthStore): void {
  const now = () => model.clock.nowMs();
  const venueNow = () => now() + model.settings.timeOffsetMs;
  auth.bindClock(venueNow);
  attachAuth(model, auth);
  const withToken = (q: Req, fn: (m: SimMarket, tokenId: string) => Res): Res => {
    const t = q.params.id ?? q.query.get('token_id') ?? '';
    if (!/^(0|[1-9][0-9]*)$/.test(t)) return err(400, 'Invalid token id');
    const m = model.registry.token(t);
    if (!m) return err(404, 'No orderbook exists for the requested token id');
    return fn(m, t);
  };
  r.add('GET', '/', () => json(200, 'OK'));
  r.add('GET', '/ok', () => json(200, 'OK'));
  r.add('GET', '/time', () => json(200, Math.floor(venueNow() / 1000)));
  r.add('GET', '/version', () => json(200, { version: model.opts.marketVersion === 'v2' ? 3 : 2 }));
  r.add('GET', '/book', (q) => withToken(q, (m, t) => json(200, bookSummary(m, m.outcomeOf(t)!, now(), model.dialect))));
  r.add('POST', '/books', (q) => {
    const body = parseJson(q.rawBody);
    if (!Array.isArray(body) || body.length > 500) return err(400, 'Invalid payload');
    const out: unknown[] = [];
    for (const e of body) {
      const t = (e as { token_id?: unknown })?.token_id;
      const m = typeof t === 'string' ? model.registry.token(t) : undefined;
      if (m && typeof t === 'string') out.push(bookSummary(m, m.outcomeOf(t)!, now(), model.dialect));
    }
    return json(200, out);
  });
  const tick = (q: Req) => withToken(q, (m) => json(200, { minimum_tick_size: m.tickMilli / 1000 }));
  r.add('GET', '/tick-size', tick).add('GET', '/tick-size/:id', tick);
  r.add('GET', '/neg-risk', (q) => withToken(q, () => json(200, { neg_risk: false })));
  const fee = (q: Req) => withToken(q, () => json(200, { base_fee: 1000 }));
  r.add('GET', '/fee-rate', fee).add('GET', '/fee-rate/:id', fee);
  r.add('GET', '/price', (q) =>
    withToken(q, (m, t) => {
      const side = q.query.get('side');
      if (side !== 'BUY' && side !== 'SELL') return err(400, 'Invalid side');
      const top = m.book.top(m.outcomeOf(t)!);
      const v = side === 'BUY' ? top.bid : top.ask;
      return v === undefined ? err(404, 'No orderbook exists for the requested token id') : json(200, { price: v / 1000 });
    }),
  );
  r.add('GET', '/midpoint', (q) =>
    withToken(q, (m, t) => {
      const top = m.book.top(m.outcomeOf(t)!);
      if (top.bid === undefined || top.ask === undefined) return err(404, 'No orderbook exists for the requested token id');
      return json(200, { mid_price: formatDecimal((top.bid + top.ask) / 2000, 4) });
    }),
  );
  r.add('GET', '/spread', (q) =>
    withToken(q, (m, t) => {
      const top = m.book.top(m.outcomeOf(t)!);
      if (top.bid === undefined || top.ask === undefined) return err(404, 'No orderbook exists for the requested token id');
      return json(200, { spread: px(top.ask - top.bid) });
    }),
  );
  r.add('GET', '/last-trade-price', (q) =>
    withToken(q, (m, t) => {
      if (m.lastTradeMilli === undefined) return json(200, { price: '0.5', side: '' });
      const own = m.outcomeOf(t) === 'Up' ? m.lastTradeMilli : 1000 - m.lastTradeMilli;
      return json(200, { price: px(own), side: m.lastTradeSide ?? '' });
    }),
  );
  r.add('GET', '/clob-markets/:cid', (q) => {
    const m = model.registry.condition(q.params.cid!);
    if (!m) return err(404, 'market not found');
    return json(200, {
      t: [
        { t: m.upTokenId, o: 'Up' },
        { t: m.downTokenId, o: 'Down' },
      ],
      c: m.conditionId,
      mos: m.minOrderSize,
      mts: m.tickMilli / 1000,
      mbf: 1000,
      tbf: 1000,
      ao: m.acceptingOrders(now()),
      aot: new Date(m.listedMs).toISOString().replace('.000Z', 'Z'),
      itode: true,
      fd: { r: m.fees.rate, e: m.fees.exponent, to: m.fees.takerOnly },
      r: { mi: 50, ma: 4.5, moas: 30 },
      v: m.version,
    });
  });
  r.add('GET', '/markets-by-token/:id', (q) =>
    withToken(q, (m) => {
      const [a, b] = BigInt(m.upTokenId) < BigInt(m.downTokenId) ? [m.upTokenId, m.downTokenId] : [m.downTokenId, m.upTokenId];
      return json(200, { condition_id: m.conditionId, primary_token_id: a, secondary_token_id: b });
    }),
  );
  const creds = (how: 'create' | 'derive') => async (q: Req): Promise<Res> => {
    const r = await auth[how](q.headers, model.dialect.real);
    if (!r.ok) return err(r.status, r.error);
    return json(200, { apiKey: r.rec.apiKey, secret: r.rec.secret, passphrase: r.rec.passphrase });
  };
  r.add('POST', '/auth/api-key', creds('create'));
  r.add('GET', '/auth/derive-api-key', creds('derive'));
}
