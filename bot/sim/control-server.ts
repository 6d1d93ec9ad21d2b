/**
 * Operator / test control API of the simulator (not part of the venue): faults, status, settlements, balances.
 *
 *   GET    /status                     clock, prices (first asset + every asset), active markets, frame counters, faults
 *   GET    /faults                     active faults
 *   POST   /faults                     add a fault (see faults.ts FaultSpec) -> 201 {id, ...}
 *   DELETE /faults/:id | /faults       remove one / all
 *   GET    /settlements                resolved windows with payouts
 *   POST   /accounts/balance           {address, usd} set an account's pUSD balance
 *   POST   /scenarios/engine-restart   {restartMs?, postOnlyMs?} weekly restart: CLOB 425 for restartMs (default 90 s),
 *                                      then post-only 503 for postOnlyMs (default 120 s)
 *   POST   /geoblock                   {blocked, country?, region?} what polymarket.com/api/geoblock answers
 *   POST   /time-offset                {offsetMs} the venue clock of `GET /time` runs this far ahead (negative: behind)
 *   POST   /spot-offset                {offsetBps} the spot stream's prices run this far above the model's spot
 *                                      (negative: below), so spot and reference diverge; 0 restores
 *   POST   /accounts/closed-only       {address, closedOnly} the account's ban status
 *   POST   /accounts/allowance         {address, assetType: COLLATERAL|CONDITIONAL, amount, spender?} allowance
 *                                      reported by /balance-allowance (every exchange when spender is omitted)
 *   POST   /auth/key-state             {address, nonce?, state: active|expired|revoked} the API key's state: expired =
 *                                      L2 401 until the wallet's next L1 create/derive; revoked = 401 until active again
 *   POST   /auth/l2-window             {maxSkewSec: number|null} L2/L1 timestamps further than this from the venue
 *                                      clock (`GET /time`) answer 401; null = not checked (default)
 *   GET    /requests?route=&since=     what reached the venue: {l2, l1, answered} – L2 requests (route, timestamp,
 *                                      accepted or why not, posted order types), API-key calls, and the requests a
 *                                      fault answered; `route` = "METHOD /path" filter, `since` = ms (l2/l1 on the
 *                                      venue clock, `answered` on the model clock; equal unless /time-offset is set)
 * Invariant: bad input gets 400 with the zod issue, never a crash.
 */
import { z } from 'zod';
import { authOf } from './auth';
import { MICRO } from './book';
import type { FaultRegistry } from './faults';
import { err, json, parseJson, Router } from './http-kit';
import type { SimModel } from './model';

const Restart = z.strictObject({ restartMs: z.number().int().positive().max(3600_000).default(90_000), postOnlyMs: z.number().int().positive().max(3600_000).default(120_000) });
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Balance = z.strictObject({ address, usd: z.number().nonnegative().max(1e9) });
const Geo = z.strictObject({ blocked: z.boolean(), country: z.string().max(8).optional(), region: z.string().max(40).optional() });
const TimeOffset = z.strictObject({ offsetMs: z.number().int().min(-86_400_000).max(86_400_000) });
const SpotOffset = z.strictObject({ offsetBps: z.number().min(-5_000).max(5_000) });
const ClosedOnly = z.strictObject({ address, closedOnly: z.boolean() });
const KeyStateBody = z.strictObject({ address, nonce: z.string().regex(/^\d{1,20}$/).default('0'), state: z.enum(['active', 'expired', 'revoked']) });
const L2Window = z.strictObject({ maxSkewSec: z.number().int().positive().max(86_400).nullable() });
const Allowance = z.strictObject({ address, assetType: z.enum(['COLLATERAL', 'CONDITIONAL']), amount: z.string().regex(/^\d{1,78}$/), spender: address.optional() });

export function controlRouter(model: SimModel, faults: FaultRegistry): Router {
  const r = new Router();
  r.add('GET', '/status', () =>
    json(200, {
      nowMs: model.clock.nowMs(),
      spot: model.prices.spotNow(),
      reference: model.prices.referenceNow().value,
      twap: model.prices.twapNow().value,
      assets: Object.fromEntries(model.world.models.map((pm) => [pm.asset, { spot: pm.spotNow(), reference: pm.referenceNow().value, twap: pm.twapNow().value }])),
      markets: model.activeMarkets().map((m) => ({ slug: m.slug, status: m.status, tick: m.tickMilli / 1000, fairUp: m.fairUp, priceToBeat: m.priceToBeat ?? null, orders: m.book.orderCount() })),
      published: model.hub.published,
      faults: faults.list(),
    }),
  );
  r.add('GET', '/faults', () => json(200, faults.list()));
  r.add('POST', '/faults', (q) => {
    try {
      return json(201, faults.add(parseJson(q.rawBody)));
    } catch (e) {
      return err(400, e instanceof z.ZodError ? (e.issues[0]?.message ?? 'invalid fault') : 'invalid fault');
    }
  });
  r.add('DELETE', '/faults', () => {
    faults.clear();
    return json(200, { cleared: true });
  });
  r.add('DELETE', '/faults/:id', (q) => (faults.remove(q.params.id!) ? json(200, { removed: q.params.id }) : err(404, 'fault not found')));
  r.add('POST', '/scenarios/engine-restart', (q) => {
    const b = Restart.safeParse(parseJson(q.rawBody) ?? {});
    if (!b.success) return err(400, b.error.issues[0]?.message ?? 'invalid body');
    const first = faults.add({ kind: 'http_status', scope: 'clob', status: 425, retryAfterSec: 1, durationMs: b.data.restartMs });
    model.clock.after(b.data.restartMs, 'sim.scenario.post-only', () => {
      faults.add({ kind: 'post_only', scope: 'clob', durationMs: b.data.postOnlyMs, retryAfterSec: Math.ceil(b.data.postOnlyMs / 1000) });
    });
    return json(201, { restart: first, postOnlyFromMs: model.clock.nowMs() + b.data.restartMs, postOnlyUntilMs: model.clock.nowMs() + b.data.restartMs + b.data.postOnlyMs });
  });
  r.add('GET', '/settlements', () => json(200, model.settlements.toArray()));
  r.add('POST', '/accounts/balance', (q) => {
    const b = Balance.safeParse(parseJson(q.rawBody));
    if (!b.success) return err(400, b.error.issues[0]?.message ?? 'invalid body');
    model.ledger.setBalance(b.data.address, Math.round(b.data.usd * MICRO));
    return json(200, { address: b.data.address.toLowerCase(), balance: String(Math.round(b.data.usd * MICRO)) });
  });
  const setting = <S extends z.ZodType>(path: string, schema: S, apply: (b: z.infer<S>) => unknown) =>
    r.add('POST', path, (q) => {
      const b = schema.safeParse(parseJson(q.rawBody));
      if (!b.success) return err(400, b.error.issues[0]?.message ?? 'invalid body');
      return json(200, apply(b.data));
    });
  setting('/geoblock', Geo, (b) => Object.assign(model.geo, { blocked: b.blocked, ...(b.country !== undefined ? { country: b.country } : {}), ...(b.region !== undefined ? { region: b.region } : {}) }));
  setting('/time-offset', TimeOffset, (b) => ({ offsetMs: (model.settings.timeOffsetMs = b.offsetMs) }));
  setting('/spot-offset', SpotOffset, (b) => ({ offsetBps: (model.settings.spotOffsetBps = b.offsetBps) }));
  setting('/accounts/closed-only', ClosedOnly, (b) => {
    model.settings.setClosedOnly(b.address, b.closedOnly);
    return { address: b.address.toLowerCase(), closed_only: b.closedOnly };
  });
  setting('/accounts/allowance', Allowance, (b) => {
    model.settings.setAllowance(b.address, b.assetType, b.amount, b.spender);
    return { address: b.address.toLowerCase(), allowances: model.settings.allowances(b.address, b.assetType) };
  });
  r.add('GET', '/requests', (q) => {
    const auth = authOf(model);
    if (!auth) return err(404, 'no CLOB server');
    const route = q.query.get('route') ?? undefined;
    const sinceRaw = q.query.get('since');
    const since = sinceRaw === null ? -Infinity : Number(sinceRaw);
    if (Number.isNaN(since)) return err(400, 'since must be a number (ms)');
    const after = <T extends { atMs: number }>(list: T[]) => list.filter((e) => e.atMs >= since);
    return json(200, { l2: after(auth.l2Requests(route)), l1: after(auth.l1Requests()), answered: after(faults.answered(route ? { route } : {})) });
  });
  setting('/auth/key-state', KeyStateBody, (b) => {
    const auth = authOf(model);
    return auth ? { address: b.address.toLowerCase(), apiKey: auth.setKeyState(b.address, b.nonce, b.state), state: b.state } : { error: 'no CLOB server' };
  });
  setting('/auth/l2-window', L2Window, (b) => {
    const auth = authOf(model);
    if (auth) auth.l2MaxSkewSec = b.maxSkewSec ?? undefined;
    return { maxSkewSec: auth?.l2MaxSkewSec ?? null };
  });
  return r;
}
