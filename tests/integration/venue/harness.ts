/**
 * Integration harness: the simulator (real sockets on 127.0.0.1, SimClock) plus the bot's venue stack wired the
 * way the runtime should wire it: catalog -> market feed (tokens) -> reference feeds -> tracker/engine -> venue.
 * Time only moves when the test advances the shared SimClock; `settle()` waits for socket I/O by condition.
 */
import { Wallet } from '@ethersproject/wallet';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { BotEvent } from '../../../lib/schemas/events';
import { simEndpoints, startSim, type SimHandle, type SimOptions } from '../../../bot/sim';
import { orderMarketInfo } from '../../../bot/markets';
import { liveOrderSide, MemoryJournal, paperOrderSide } from '../../../bot/execution';
import { liveMarketData, VenueSession } from '../../../bot/session';
import { type VenueEndpoints } from '../../../bot/core';

export const DAY0_MS = 1791158400_000; // 2026-10-04T00:00:00Z, aligned to 5m and 15m

export async function waitFor(cond: () => boolean, label: string, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (cond()) return;
    await new Promise((r) => (i % 50 === 49 ? setTimeout(r, 1) : setImmediate(r)));
  }
  throw new Error(`timed out waiting for ${label}`);
}

/** Let socket traffic drain: a few event-loop turns and one real ms. */
export async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

export interface StackOptions {
  mode: 'paper' | 'live';
  kinds?: ('5m' | '15m')[];
  sim?: Partial<SimOptions>;
  allowDegraded?: boolean;
  privateKey?: string;
  startMs?: number;
  marketStaleMs?: number;
  requestTimeoutMs?: number;
  signatureType?: 0 | 1 | 2 | 3;
  funder?: string;
}

export async function startStack(o: StackOptions) {
  const clock = new SimClock(o.startMs ?? DAY0_MS + 30_000);
  const sim: SimHandle = await startSim({ clock, seed: 'venue-it', ...o.sim });
  const bus = new EventBus({ clock, historySize: 2000 });
  const events: BotEvent[] = [];
  bus.onAny((e) => {
    if (e.type !== 'feed.health' && e.type !== 'book.top' && e.type !== 'book.snapshot' && e.type !== 'ref.price' && e.type !== 'spot.price') {
      events.push(e);
      if (events.length > 50_000) events.splice(0, 10_000);
    }
  });
  const pk = o.privateKey ?? '0x' + '42'.repeat(32);
  const address = new Wallet(pk).address;
  const keyRec = sim.auth.register(address);
  const creds = { key: keyRec.apiKey, secret: keyRec.secret, passphrase: keyRec.passphrase };
  const journal = new MemoryJournal();
  const endpoints: VenueEndpoints = simEndpoints(sim.urls);
  const live = { privateKey: pk, signatureType: o.signatureType ?? 0, ...(o.funder ? { funder: o.funder } : {}), api: creds } as const;
  const stack = new VenueSession({
    marketData: liveMarketData(),
    orderSide: o.mode === 'live' ? liveOrderSide(live) : paperOrderSide(),
    endpoints, clock, bus, journal, asset: 'btc', kinds: o.kinds ?? ['5m', '15m'], seed: 'bot',
    credentials: { ...(o.mode === 'live' ? { live } : {}), api: creds, source: 'env', reference: 'polybolt', notices: [] },
    staleFeedMs: o.marketStaleMs ?? 5_000, allowSpotOnly: o.allowDegraded ?? false, closingMs: 30_000, resolveDeadlineMs: 20_000,
    ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
  });
  const stop = async () => {
    await stack.stop('test');
    await sim.close();
  };
  /** Advance sim time by `ms` in `stepMs` steps, letting I/O drain after each. */
  const advance = async (ms: number, stepMs = 1000) => {
    const end = clock.nowMs() + ms;
    while (clock.nowMs() < end) {
      clock.advanceTo(Math.min(end, clock.nowMs() + stepMs));
      await settle();
    }
  };
  return {
    clock, sim, bus, events, creds, address, account: (o.funder ?? address).toLowerCase(), journal, stack, stop, advance,
    start: () => stack.start(),
    get reference() { return stack.reference; },
    get marketFeed() { return stack.marketFeed; },
    get catalog() { return stack.catalog; },
    get tracker() { return stack.tracker; },
    get status() { return stack.status; },
    get limiter() { return stack.limiter; },
    get gate() { return stack.gate; },
    get venue() { return stack.venue; },
    get live() { return stack.live; },
    get heartbeat() { return stack.heartbeat; },
    get engine() { return stack.engine; },
    get userFeed() { return stack.userFeed; },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

const round6 = (x: number) => Math.round(x * 1e6);

/** The bot's book for one outcome of `slug` equals the simulator's, level for level. */
export function sameBook(s: Stack, slug: string, outcome: 'Up' | 'Down'): boolean {
  const m = s.sim.model.registry.slug(slug);
  const r = s.catalog.get(slug);
  if (!m || !r) return false;
  const b = s.marketFeed.book(outcome === 'Up' ? r.upTokenId : r.downTokenId);
  if (!b || !b.ready) return false;
  const v = m.book.view(outcome, 200);
  const want = (ls: [number, number][]) => [...ls].reverse().map(([p, z]) => `${p / 1000}:${z}`).join(',');
  const have = (side: 'bid' | 'ask') => b.levels(side).map((l) => `${l.price}:${round6(l.size)}`).join(',');
  return want(v.bids) === have('bid') && want(v.asks) === have('ask');
}

/** Advance until the live stack is reconciled, heartbeating, fed and the current 5m window is open. */
export async function readyLive(s: Stack): Promise<{ slug: string; up: string }> {
  for (let i = 0; i < 60; i++) {
    const cur = s.catalog.current('5m');
    if (cur && s.engine.ready && (s.heartbeat?.ok ?? true) && !s.gate.blockReason(cur.upTokenId) && cur.state === 'open') return { slug: cur.window.slug, up: cur.upTokenId };
    await s.advance(1_000, 1_000);
  }
  throw new Error(`stack not ready: engine=${s.engine.notReadyReason} hb=${s.heartbeat?.ok} gate=${s.gate.blockReason()}`);
}

/** Our positions (not settled) equal the simulator ledger for every token we touched. */
export function ledgerMatches(s: Stack): { ok: boolean; diffs: string[] } {
  const diffs: string[] = [];
  for (const p of s.tracker.positions.all()) {
    if (p.settled) continue;
    const venue = s.sim.model.ledger.position(s.account, p.tokenId);
    if (Math.round(p.shares * 1e6) !== venue) diffs.push(`${p.tokenId.slice(0, 8)}: bot ${p.shares} venue ${venue / 1e6}`);
  }
  return { ok: diffs.length === 0, diffs };
}

let tagSeq = 0;
/** Place a FOK BUY of `usd` on Up at the current best ask. */
export async function fokUp(s: Stack, slug: string, usd = 10, slippage = 0.02) {
  const rec = s.catalog.get(slug)!;
  const ask = Math.min(0.99, Number((s.marketFeed.book(rec.upTokenId)!.bestAsk()! + slippage).toFixed(2)));
  const clientTag = `it|${slug}|fok|${++tagSeq}`;
  const r = await s.engine.place({ clientTag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price: ask, usd, orderType: 'FOK', postOnly: false });
  return { r, order: s.tracker.getByTag(clientTag) };
}

/** Place a post-only GTC BUY far below the market (rests). */
/** A bid price far below the Up touch (about 40 % of the best bid), so a resting order stays resting. */
export function farBelowTouch(s: Stack, slug: string): number {
  const bid = s.marketFeed.book(s.catalog.get(slug)!.upTokenId)?.bestBid() ?? 0.5;
  return Math.max(0.01, Math.floor(bid * 40) / 100);
}

export async function restingUp(s: Stack, slug: string, price = 0.05, size = 10) {
  const rec = s.catalog.get(slug)!;
  const clientTag = `it|${slug}|rest|${++tagSeq}`;
  const r = await s.engine.place({ clientTag, strategyId: 'it', market: orderMarketInfo(rec, 'up'), side: 'BUY', price, size, orderType: 'GTC', postOnly: true });
  return { r, order: s.tracker.getByTag(clientTag), clientTag };
}
