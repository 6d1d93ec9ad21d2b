/**
 * The shared battery invariants (invariants.ts) can fail: each one is broken on purpose over a live stack on the
 * simulator (real sockets) and the checker names the violation; after each break the state is put back and the
 * checker is empty again, so a pass elsewhere means the invariant held, not that the checker is blind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderMarketInfo } from '../../../bot/markets';
import { DAY0_MS, farBelowTouch, fokUp, readyLive, restingUp, startStack, waitFor, type Stack } from './harness';
import { invariantViolations, secretForms, venueOrders } from './invariants';

const has = (xs: string[], re: RegExp) => expect(xs.filter((x) => re.test(x)), xs.join('\n')).not.toHaveLength(0);

describe('battery invariants over a live stack on the simulator', () => {
  let s: Stack;
  let slug = '';
  let up = '';
  beforeAll(async () => {
    // A key with letters, so the case-insensitive hex match is exercised.
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 30_000, privateKey: '0x' + 'a1b2c3d4'.repeat(8) });
    await s.start();
    ({ slug, up } = await readyLive(s));
    // Some real activity first: a confirmed taker fill (cash and fees move) and a canceled resting order.
    const { r, order } = await fokUp(s, slug, 10);
    expect(r.ok && r.outcome.kind).toBe('accepted');
    await s.advance(8_000, 1_000);
    await waitFor(() => s.tracker.allFills().some((f) => f.orderId === order!.orderId && f.status === 'CONFIRMED'), 'fill confirmed');
    const rest = await restingUp(s, slug, farBelowTouch(s, slug), 10);
    await waitFor(() => rest.order!.state === 'live', 'resting live');
    expect(await s.engine.cancel(rest.clientTag)).toBe(true);
  }, 60_000);
  afterAll(async () => s?.stop());

  it('hold after a real fill and a cancel: positions, cash, orders, logs', () => {
    expect(s.sim.model.ledger.holdings(s.account).positions.get(up)).toBeGreaterThan(0);
    expect(s.sim.model.ledger.holdings(s.account).balanceMicro).toBeLessThan(s.startBalanceMicro);
    expect(s.logs.length).toBeGreaterThan(0);
    expect(invariantViolations(s)).toEqual([]);
  });

  it('two-way ledger: a fill injected at the simulator behind the bot is seen (venue -> bot, and cash)', () => {
    s.sim.model.ledger.apply(s.account, up, -5_000_000, 10_000_000);
    try {
      const v = invariantViolations(s);
      has(v, /^ledger .*venue -> bot/);
      has(v, /^cash: venue/);
    } finally {
      s.sim.model.ledger.apply(s.account, up, 5_000_000, -10_000_000);
    }
    expect(invariantViolations(s)).toEqual([]);
  });

  it('two-way ledger: a token only the simulator holds is seen even though the bot never touched it', () => {
    const down = s.catalog.get(slug)!.downTokenId;
    s.sim.model.ledger.apply(s.account, down, 0, 3_000_000);
    try {
      has(invariantViolations(s), new RegExp(`^ledger ${down.slice(0, 10)}: venue 3 bot 0`));
    } finally {
      s.sim.model.ledger.apply(s.account, down, 0, -3_000_000);
    }
  });

  it('two-way ledger: a fill only the bot believes in is seen (bot -> venue)', () => {
    const down = s.catalog.get(slug)!.downTokenId;
    const own = s.tracker.all().find((o) => o.orderId)!;
    s.tracker.onFill({ tradeId: 'ghost-trade', orderId: own.orderId!, tokenId: down, conditionId: own.conditionId, side: 'BUY', price: 0.5, size: 4, liquidity: 'maker', status: 'MATCHED', feeUsd: 0, tsMs: s.clock.nowMs() });
    try {
      const v = invariantViolations(s);
      has(v, /^ledger .*: bot 4 venue 0 \(bot -> venue\)/);
      has(v, /^cash: venue/);
    } finally {
      s.tracker.onFill({ tradeId: 'ghost-trade', orderId: own.orderId!, tokenId: down, conditionId: own.conditionId, side: 'BUY', price: 0.5, size: 4, liquidity: 'maker', status: 'FAILED', feeUsd: 0, tsMs: s.clock.nowMs() });
    }
    expect(invariantViolations(s)).toEqual([]);
  });

  it('the reviewer\'s case: user socket (and so its catch-up) off, the crowd fills our bid — the fill the bot never learned of is a violation', async () => {
    const book = s.marketFeed.book(up)!;
    const rest = await restingUp(s, slug, book.bestBid()!, 10);
    await waitFor(() => rest.order!.state === 'live', 'bid live');
    s.userFeed!.stop();
    const venue = s.sim.model.exchange.orders.get(rest.order!.orderId!)!;
    for (let i = 0; i < 120 && venue.matchedMicro === 0; i++) await s.advance(1_000, 1_000);
    expect(venue.matchedMicro).toBeGreaterThan(0);
    expect(s.tracker.allFills().some((f) => f.orderId === rest.order!.orderId)).toBe(false);
    const v = invariantViolations(s, { allowOpenOrders: true });
    has(v, /^ledger .*venue -> bot/);
    has(v, /^cash: venue/);
    // Back on: the socket's reconnect catch-up learns the fill, and everything agrees again.
    s.userFeed!.start();
    if (venue.status === 'LIVE') await s.engine.cancel(rest.clientTag);
    for (let i = 0; i < 30 && invariantViolations(s).length > 0; i++) await s.advance(1_000, 1_000);
    expect(invariantViolations(s)).toEqual([]);
  }, 60_000);

  it('orders: resting at the venue fails unless allowed; a cancel behind the bot\'s back (user socket off) is a state mismatch', async () => {
    ({ slug, up } = await readyLive(s));
    const rest = await restingUp(s, slug, farBelowTouch(s, slug), 10);
    await waitFor(() => rest.order!.state === 'live', 'resting live');
    has(invariantViolations(s), /still rests \(allowOpenOrders not set\)/);
    expect(invariantViolations(s, { allowOpenOrders: true })).toEqual([]);
    s.userFeed!.stop();
    s.sim.model.exchange.cancel(s.sim.model.exchange.orders.get(rest.order!.orderId!)!);
    has(invariantViolations(s, { allowOpenOrders: true }), new RegExp(`^venue order ${rest.order!.orderId!.slice(0, 10)} CANCELED, bot says live`));
    s.userFeed!.start();
    for (let i = 0; i < 30 && rest.order!.state === 'live'; i++) await s.advance(1_000, 1_000);
    expect(rest.order!.state).toBe('canceled');
  }, 30_000);

  it('secrets: the private key (hex without 0x, base64), API secret, passphrase and API key are found in a log line or an event', () => {
    const pkHex = s.secrets.privateKey.slice(2);
    const mark = s.logs.length;
    const events = s.events.length;
    s.logger.info({}, `signer ready ${pkHex.toUpperCase()}`);
    has(invariantViolations(s), /^secret privateKey in log line/);
    s.logs.splice(mark);
    s.logger.info({ note: Buffer.from(pkHex, 'hex').toString('base64') }, 'signer');
    has(invariantViolations(s), /^secret privateKey in log line/);
    s.logs.splice(mark);
    // A 0x-prefixed key in free text is redacted by the logger itself (bot/util/redact.ts): not a violation.
    s.logger.info({}, `signer ${s.secrets.privateKey}`);
    expect(s.logs.at(-1)).toContain('0x[REDACTED]');
    expect(invariantViolations(s)).toEqual([]);
    s.logs.splice(mark);
    for (const name of ['apiSecret', 'passphrase', 'apiKey'] as const) {
      s.bus.publish({ type: 'runtime.error', source: 'test', message: `L2 refused for ${s.secrets[name]}` });
      const v = invariantViolations(s);
      has(v, new RegExp(`^secret ${name} in log line`));
      has(v, new RegExp(`^secret ${name} in event line`));
      s.logs.splice(mark);
      s.events.splice(events);
    }
    has(invariantViolations(s, { logs: ['x', `leak ${'ab'.repeat(20)}`], secrets: ['ab'.repeat(20)] }), /^secret extra#0 in log line 1/);
    const pkBytes = Buffer.from(pkHex, 'hex');
    expect(secretForms(s.secrets.privateKey)).toEqual([s.secrets.privateKey, pkHex, pkBytes.toString('base64'), pkBytes.toString('base64url')]);
    expect(invariantViolations(s)).toEqual([]);
  });

  it('audit: one entry per operator action, no fewer and no more', () => {
    const entries = [{ action: 'killswitch.set' }, { action: 'killswitch.clear' }];
    expect(invariantViolations(s, { audit: { entries, expectedActions: ['killswitch.set', 'killswitch.clear'] } })).toEqual([]);
    has(invariantViolations(s, { audit: { entries, expectedActions: ['killswitch.set'] } }), /^audit killswitch.clear: 1 entries for 0 operator actions/);
    has(invariantViolations(s, { audit: { entries: entries.slice(0, 1), expectedActions: ['killswitch.set', 'killswitch.set'] } }), /^audit killswitch.set: 1 entries for 2 operator actions/);
  });
  it('orders: a second venue order under the same salt (same intent re-signed) is a duplicate; an order the bot does not know is reported', async () => {
    ({ slug, up } = await readyLive(s));
    const rest = await restingUp(s, slug, farBelowTouch(s, slug), 10);
    await waitFor(() => rest.order!.state === 'live', 'resting live');
    const o = rest.order!;
    const rec = s.catalog.get(slug)!;
    const req = { clientTag: o.clientTag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY' as const, price: Math.max(0.01, o.price - 0.01), size: 10, orderType: 'GTC' as const, postOnly: true };
    const b = s.live!.builder.build(req, o.salt!, s.clock.nowMs());
    expect(b.salt).toBe(o.salt);
    const sent = await s.live!.send({ clientId: o.clientId, orderId: b.orderId, salt: b.salt, request: req, body: b.body });
    expect(sent.kind).toBe('accepted');
    expect(venueOrders(s).filter((v) => v.status === 'LIVE')).toHaveLength(2);
    const before = invariantViolations(s, { allowOpenOrders: true });
    has(before, new RegExp(`^venue order ${b.orderId.slice(0, 10)} .*unknown to the bot`));
    // Counted at the simulator: the salt is a duplicate before the bot has journaled anything about it.
    has(before, new RegExp(`^duplicate: salt ${o.salt} at the venue 2 times`));
    // The bot journals the re-signed order under the same intent: now both venue orders carry its salt.
    const firstId = o.orderId!;
    s.tracker.rebuilt(o, b.orderId, b.salt);
    const v = invariantViolations(s, { allowOpenOrders: true });
    has(v, new RegExp(`^duplicate: intent ${o.clientId} has 2 venue orders`));
    has(v, /^duplicate: salt \d+ at the venue 2 times/);
    // Clean up: both cancelled at the venue, the first one through the bot.
    const cancel = await s.live!.cancel([b.orderId]);
    expect(cancel.canceled).toContain(b.orderId);
    s.tracker.rebuilt(o, firstId, b.salt);
    expect(await s.engine.cancel(o.clientTag)).toBe(true);
    // A duplicate is history: with both orders cancelled it is still reported, and nothing else is.
    expect(invariantViolations(s).filter((x) => !x.startsWith('duplicate: '))).toEqual([]);
  }, 30_000);
});

describe('battery invariants over a paper stack', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ mode: 'paper', kinds: ['5m'], startMs: DAY0_MS + 30_000 });
    await s.start();
  }, 30_000);
  afterAll(async () => s?.stop());

  it('paper never reaches the venue account: a position or cash move there is a violation', async () => {
    await s.advance(5_000, 1_000);
    expect(invariantViolations(s)).toEqual([]);
    const tok = s.catalog.current('5m')!.upTokenId;
    s.sim.model.ledger.apply(s.account, tok, -1_000_000, 2_000_000);
    const v = invariantViolations(s);
    has(v, /^paper: venue holds 2 of/);
    has(v, /^paper: venue balance moved/);
  });
});
