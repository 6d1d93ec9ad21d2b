/**
 * Integration harness: the simulator (real sockets on 127.0.0.1, SimClock) plus the bot's venue stack wired the
 * way the runtime should wire it: catalog -> market feed (tokens) -> reference feeds -> tracker/engine -> venue.
 * Time only moves when the test advances the shared SimClock; `settle()` waits for socket I/O by condition.
 *
 * Logs: the session itself takes no logger; the runtime logs what reaches its bus (runtime.error as warnings) and
 * the console's event log carries every non-market-data event. The harness does the same through the real pino
 * logger (bot/util/logger.ts, with its redaction) into `logs` (at most MAX_LOG_LINES lines; `logsDropped` counts the
 * rest), so the shared invariants (invariants.ts) can check that no secret reaches a log line.
 */
import { Wallet } from '@ethersproject/wallet';
import { afterAll, beforeAll } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { BotEvent } from '../../../lib/schemas/events';
import { simEndpoints, startSim, type SimHandle, type SimOptions } from '../../../bot/sim';
import { orderMarketInfo } from '../../../bot/markets';
import { liveOrderSide, MemoryJournal, paperOrderSide, type JournalOrder } from '../../../bot/execution';
import { liveMarketData, VenueSession } from '../../../bot/session';
import { type VenueEndpoints } from '../../../bot/core';
import { createLogger } from '../../../bot/util/logger';

export const DAY0_MS = 1791158400_000; // 2026-10-04T00:00:00Z, aligned to 5m and 15m
export const MAX_LOG_LINES = 100_000;
const MARKET_DATA = new Set(['feed.health', 'book.top', 'book.snapshot', 'ref.price', 'spot.price']);

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

/**
 * The bot's journal, plus every (venue order id -> salt) pair it ever journaled (an order rebuilt under a new salt
 * keeps its old pair here): the duplicate check groups the simulator's orders by salt through it. Bounded.
 */
export class WitnessJournal extends MemoryJournal {
  readonly saltOf = new Map<string, number>();
  override recordOrder(order: JournalOrder): void {
    if (order.orderId && order.salt !== undefined && !this.saltOf.has(order.orderId)) {
      this.saltOf.set(order.orderId, order.salt);
      if (this.saltOf.size > 100_000) this.saltOf.delete(this.saltOf.keys().next().value!);
    }
    super.recordOrder(order);
  }
}

export async function startStack(o: StackOptions) {
  const clock = new SimClock(o.startMs ?? DAY0_MS + 30_000);
  const sim: SimHandle = await startSim({ clock, seed: 'venue-it', ...o.sim });
  const bus = new EventBus({ clock, historySize: 2000 });
  const events: BotEvent[] = [];
  const logs: string[] = [];
  const logStats = { dropped: 0 };
  const logger = createLogger({
    level: 'debug', name: 'venue-it',
    destination: { write: (line: string) => (logs.length < MAX_LOG_LINES ? void logs.push(line) : void logStats.dropped++) },
  });
  bus.onAny((e) => {
    if (MARKET_DATA.has(e.type)) return;
    events.push(e);
    if (events.length > 50_000) events.splice(0, 10_000);
    if (e.type === 'runtime.error') logger.warn({ source: e.source }, e.message);
    else logger.info({ event: e }, e.type);
  });
  const pk = o.privateKey ?? '0x' + '42'.repeat(32);
  const address = new Wallet(pk).address;
  const keyRec = sim.auth.register(address);
  const creds = { key: keyRec.apiKey, secret: keyRec.secret, passphrase: keyRec.passphrase };
  const account = (o.funder ?? address).toLowerCase();
  /** The account's pUSD at the simulator before the bot did anything (the two-way cash check starts here). */
  const startBalanceMicro = sim.model.ledger.holdings(account).balanceMicro;
  const journal = new WitnessJournal();
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
    clock, sim, bus, events, logs, logger, creds, address, account, journal, stack, stop, advance, startBalanceMicro,
    /** Every secret the bot holds: none may appear in a log line or an event. */
    secrets: { privateKey: pk, apiKey: creds.key, apiSecret: creds.secret, passphrase: creds.passphrase },
    get logsDropped() { return logStats.dropped; },
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

/**
 * Positions only, both ways: every token the simulator holds for the account equals ours and every position of ours
 * (not settled) equals the simulator's. Kept for tests outside the battery; fault tests use the full shared
 * invariants (invariants.ts: positions, cash, orders, secrets, audit).
 */
export function ledgerMatches(s: Stack): { ok: boolean; diffs: string[] } {
  const diffs: string[] = [];
  const venue = s.sim.model.ledger.holdings(s.account).positions;
  const ours = new Map<string, number>();
  for (const p of s.tracker.positions.all()) if (!p.settled) ours.set(p.tokenId, (ours.get(p.tokenId) ?? 0) + Math.round(p.shares * 1e6));
  for (const t of new Set([...venue.keys(), ...ours.keys()])) {
    const b = ours.get(t) ?? 0;
    const v = venue.get(t) ?? 0;
    if (b !== v) diffs.push(`${t.slice(0, 8)}: bot ${b / 1e6} venue ${v / 1e6}`);
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

/**
 * A live 5m stack shared by one describe block: started and ready (readyLive) before its tests, stopped after them.
 * `set` receives the stack (a `let s: Stack` of the block); `o` overrides the defaults (start 20 s into the day).
 */
export function liveStackForSuite(set: (s: Stack) => void, o: Partial<StackOptions> = {}): void {
  let s: Stack | undefined;
  beforeAll(async () => {
    s = await startStack({ mode: 'live', kinds: ['5m'], startMs: DAY0_MS + 20_000, ...o });
    set(s);
    await s.start();
    await readyLive(s);
  });
  afterAll(async () => s?.stop());
}
