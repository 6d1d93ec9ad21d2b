/**
 * Battery B11, crash safety end to end. A child process (child-runtime.ts) runs the live runtime against the
 * simulator running HERE (the venue outlives the child) and dies by SIGKILL at a named crash point
 * (bot/util/crash-points.ts); a second child restarts on the same store file against the same venue.
 *
 * Per point: (1) the first child's signal is SIGKILL and its store proves the crash hit the point (e.g. a venue
 * fill the journal lacks); (2) the crowd goes quiet and the heartbeat watchdog is slow, so our account at the
 * venue is frozen as read right after the crash; the restarted bot's tracker AND journal, printed in the turn its
 * reconciliation completed (before it can send anything), must match it both ways: every venue order / fill /
 * received salt is known to the bot with the same state and size, every bot order / fill exists at the venue
 * (rejected ones do not), shares per token equal the venue ledger's, no salt was received twice; (3) trading
 * resumes (armed at restart) and after its first new order still no salt reached the venue twice.
 * The venue side is the simulator's model (orders, trades, ledger) plus a tap in front of its CLOB REST server
 * that counts every order POST per salt, refused duplicates included.
 * Shared battery invariants (tests/integration/venue/invariants.ts) where they fit a child process: cash (the
 * venue's pUSD balance equals the start balance folded with the restarted bot's fills and payouts) and no secret
 * (private key in any encoding, API key, secret, passphrase) in any line either child wrote: its pino log lines
 * (the runtime's logger), its event lines and its stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from '@ethersproject/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../bot/clock';
import { DEFAULT_SERIES, simEndpoints, startSim, type FaultSpec, type SimHandle } from '../../../bot/sim';
import { openStore } from '../../../bot/store';
import { parseCrashAt, type CrashPointName } from '../../../bot/util/crash-points';
import { cashFromFills, cashViolation, secretLeaks } from '../venue/invariants';
import { Child, type ChildSnapshot, type ChildSpec } from './child-runtime';

const WINDOW_OPEN_MS = 1791158400_000; // a 15-minute boundary
const SPEED = 4;
const SEED = 11;

/** Every order POST the venue received (single and batch), by maker address and salt. */
class ClobTap {
  readonly posts: { maker: string; salt: number }[] = [];
  private server: Server | undefined;
  url = '';

  async start(target: string): Promise<void> {
    const t = new URL(target);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.method === 'POST' && (req.url === '/order' || req.url === '/orders')) this.record(body.toString('utf8'));
        const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.writeHead(502).end());
        up.end(body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private record(text: string): void {
    let parsed: unknown = [];
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not an order payload: nothing to count */
    }
    for (const p of Array.isArray(parsed) ? parsed : [parsed]) {
      const o = (p as { order?: { maker?: unknown; salt?: unknown } }).order;
      if (typeof o?.maker === 'string' && typeof o.salt === 'number') this.posts.push({ maker: o.maker.toLowerCase(), salt: o.salt });
    }
  }

  /** Salt -> how many times the venue received it, for one account. */
  saltCounts(maker: string): Map<number, number> {
    const m = new Map<number, number>();
    for (const p of this.posts) if (p.maker === maker) m.set(p.salt, (m.get(p.salt) ?? 0) + 1);
    return m;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** Our account at the venue: orders by id, fills by (trade, order), ledger shares by token, salts received. */
interface VenueView {
  balanceMicro: number;
  orders: Map<string, { status: string; matched: number }>;
  fills: Map<string, number>;
  shares: Map<string, number>;
  salts: Map<number, number>;
}

describe('B11 crash safety: SIGKILL at named points, restart against the same venue and store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b11-'));
  const children: Child[] = [];
  let clock: ScaledClock;
  let sim: SimHandle;
  const tap = new ClobTap();
  let anchor: ChildSpec['clock'];

  beforeAll(async () => {
    anchor = { startMs: WINDOW_OPEN_MS + 60_000, speed: SPEED, realStartMs: Date.now() };
    clock = new ScaledClock(anchor.startMs, anchor.speed, anchor.realStartMs);
    sim = await startSim({
      clock, seed: SEED, series: [DEFAULT_SERIES[1]!],
      // Thin touch, busy takers: a resting bid of ours fills within seconds. A slow heartbeat watchdog keeps
      // our resting orders alive across the crash, so the restart must recognise them.
      crowd: { makerBaseSize: 4, takerMeanIntervalMs: 400, takerMeanSize: 40 },
      heartbeatTimeoutMs: 3_600_000,
    });
    await tap.start(sim.urls.clob);
  });

  afterAll(async () => {
    for (const c of children) c.kill();
    await Promise.all(children.map((c) => c.exited));
    await tap.close();
    await sim?.close();
    clock?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const venueView = (addr: string): VenueView => {
    const orders = new Map<string, { status: string; matched: number }>();
    for (const o of sim.model.exchange.orders.values()) if (o.makerAddress.toLowerCase() === addr) orders.set(o.id, { status: o.status, matched: o.matchedMicro / 1e6 });
    const fills = new Map<string, number>();
    const add = (key: string, micro: number) => fills.set(key, (fills.get(key) ?? 0) + micro / 1e6);
    for (const t of sim.model.exchange.trades.values()) {
      if (t.takerAddress.toLowerCase() === addr) add(`${t.id}:${t.takerOrderId}`, t.sizeMicro);
      for (const m of t.makers) if (m.makerAddress.toLowerCase() === addr) add(`${t.id}:${m.orderId}`, m.micro);
    }
    const held = sim.model.ledger.holdings(addr);
    const shares = new Map([...held.positions].map(([tok, micro]) => [tok, micro / 1e6]));
    return { balanceMicro: held.balanceMicro, orders, fills, shares, salts: tap.saltCounts(addr) };
  };

  const readJournal = (file: string) => {
    const store = openStore(file);
    try {
      return { orders: store.journal.loadOrders(), fills: store.journal.loadFills() };
    } finally {
      store.close();
    }
  };

  const describeCrash = (j: ReturnType<typeof readJournal>, v: VenueView) =>
    JSON.stringify({ journal: j.orders.map((o) => [o.clientTag, o.state, o.salt]), fills: j.fills.map((f) => f.key), venue: [...v.orders], venueFills: [...v.fills], salts: [...v.salts] });

  /** The bot's order state that the venue's record of the same order implies. */
  const expectedState = (v: { status: string; matched: number }) => (v.status === 'MATCHED' ? 'filled' : v.status === 'LIVE' ? (v.matched > 0 ? 'partial' : 'live') : 'canceled');

  /** The restarted bot (tracker and journal) and the venue agree both ways; nothing was sent or counted twice. */
  function assertBothWays(snap: ChildSnapshot, venue: VenueView, startMicro: number, label: string): void {
    for (const [side, view] of [['tracker', snap.tracker], ['journal', snap.journal]] as const) {
      const byId = new Map(view.orders.filter((o) => o.orderId).map((o) => [o.orderId!, o]));
      const fills = new Map(view.fills.map((f) => [f.key, f.size]));
      // venue -> bot
      for (const [id, v] of venue.orders) {
        const o = byId.get(id);
        expect(o, `${label}: venue order ${id} unknown to the ${side}`).toBeDefined();
        expect({ id, state: o!.state, filled: o!.filledSize }, `${label} ${side}`).toEqual({ id, state: expectedState(v), filled: v.matched });
      }
      for (const [key, size] of venue.fills) expect(fills.get(key), `${label}: venue fill ${key} in the ${side}`).toBeCloseTo(size, 6);
      const known = new Set(view.orders.flatMap((o) => (o.salt !== undefined ? [o.salt] : [])));
      for (const salt of venue.salts.keys()) expect(known.has(salt), `${label}: salt ${salt} received by the venue, unknown to the ${side}`).toBe(true);
      // bot -> venue
      for (const o of view.orders) {
        const atVenue = !!o.orderId && venue.orders.has(o.orderId);
        expect(atVenue, `${label}: ${side} order ${o.clientTag} is ${o.state}, at the venue: ${atVenue}`).toBe(o.state !== 'rejected');
      }
      for (const [key, size] of fills) expect(venue.fills.get(key), `${label}: ${side} fill ${key} not at the venue`).toBeCloseTo(size, 6);
    }
    // Each fill counted exactly once: the tracker's shares per token equal the venue ledger's.
    const tokens = new Set([...snap.tracker.positions.map((p) => p.tokenId), ...venue.shares.keys()]);
    for (const tok of tokens) {
      const bot = snap.tracker.positions.find((p) => p.tokenId === tok)?.shares ?? 0;
      expect(bot, `${label}: shares of token ${tok.slice(0, 12)}`).toBeCloseTo(venue.shares.get(tok) ?? 0, 6);
    }
    for (const [salt, n] of venue.salts) expect(n, `${label}: salt ${salt} sent ${n} times`).toBe(1);
    // Cash both ways: the venue's balance equals the start folded with the bot's fills (fees included) and payouts.
    const cash = cashFromFills(startMicro, snap.tracker.fills, snap.tracker.positions.filter((p) => p.settled).map((p) => p.payoutUsd));
    expect(cashViolation(venue.balanceMicro, cash), label).toBeUndefined();
  }

  /** Nothing either child wrote (log lines, event lines, stderr) holds a secret of the account. */
  function assertNoSecrets(kids: Child[], privateKey: string, addr: string, label: string): void {
    const api = sim.auth.register(addr); // the key the children derived (deterministic per address; re-registering is idempotent)
    const owners = new Set([...sim.model.exchange.orders.values()].filter((o) => o.makerAddress.toLowerCase() === addr).map((o) => o.owner));
    expect([...owners], `${label}: the children traded with this key`).toEqual([api.apiKey]);
    const secrets = { privateKey, apiKey: api.apiKey, apiSecret: api.secret, passphrase: api.passphrase };
    const lines = kids.flatMap((k) => k.lines.map((l) => JSON.stringify(l)));
    expect(kids.flatMap((k) => k.lines).filter((l) => l.t === 'log').length, `${label}: the runtime logged`).toBeGreaterThan(0);
    expect(secretLeaks(secrets, { 'child stdout': lines, 'child stderr': kids.flatMap((k) => k.stderrChunks) }), label).toEqual([]);
  }

  interface Scenario<E> {
    /** Which time the point is reached that kills (default the first). */
    nth?: number;
    /** Faults active while the first child runs (cleared at the crash). */
    faults?: FaultSpec[];
    /** What the store and the venue show right after the SIGKILL: proof the crash hit the named point. */
    atCrash: (journal: ReturnType<typeof readJournal>, venue: VenueView) => E;
    /** What the restarted bot made of it. */
    afterRestart: (snap: ChildSnapshot, evidence: E) => void;
  }

  async function runScenario<E>(point: CrashPointName, sc: Scenario<E>): Promise<void> {
    sim.faults.clear();
    for (const f of sc.faults ?? []) sim.faults.add(f);
    const wallet = Wallet.createRandom();
    const addr = wallet.address.toLowerCase();
    const startMicro = sim.model.ledger.holdings(addr).balanceMicro;
    const storeFile = join(dir, `${point}.sqlite`);
    const spec: ChildSpec = {
      storeFile, endpoints: { ...simEndpoints(sim.urls), clob: tap.url }, privateKey: wallet.privateKey, clock: anchor, seed: SEED,
      strategyParams: { entryBidThreshold: 0.05, entryRequoteWaitSec: 5 },
    };

    const first = new Child(spec, `${point}:${sc.nth ?? 1}`);
    children.push(first);
    const death = await first.waitExit(30_000);
    expect(death.signal, `${point}: exit ${death.code}; ${first.tail()}\n${first.stderr}`).toBe('SIGKILL');
    // From here our account at the venue stops changing until the restarted bot sends again: the crowd is quiet
    // (no fills), the heartbeat watchdog is slow (no cancels). So the venue as of now is the venue the restart
    // reconciles against, and the restarted bot cannot send before its reconciliation completed.
    sim.faults.clear();
    sim.faults.add({ kind: 'quiet', scope: '*' });
    const venue = venueView(addr);
    const evidence = sc.atCrash(readJournal(storeFile), venue);

    // Restart (armed as soon as the preflight says GO, like `npm start -- --arm`): same store, same venue.
    const second = new Child(spec);
    children.push(second);
    const rec = await second.waitFor((l) => l.t === 'reconciled', 20_000);
    expect(rec.ok, String(rec.reason)).toBe(true);
    const snap = rec.snapshot as ChildSnapshot;
    expect(snap.address).toBe(addr);
    assertBothWays(snap, venue, startMicro, `${point} restart`);
    sc.afterRestart(snap, evidence);

    // Trading resumes: the strategy starts over and re-emits its deterministic client tags (the engine must refuse
    // the ones it already sent); once it sent something new, still no salt reached the venue twice.
    await second.waitFor((l) => l.t === 'order' && l.state === 'submitted', 20_000);
    for (const [salt, n] of tap.saltCounts(addr)) expect(n, `${point} after the restart: salt ${salt} sent ${n} times`).toBe(1);
    second.send('exit');
    expect((await second.waitExit(15_000)).code).toBe(0);
    assertNoSecrets([first, second], wallet.privateKey, addr, point);
  }

  it('parses UPDOWN_CRASH_AT and refuses what it does not know', () => {
    expect(parseCrashAt(undefined)).toBeUndefined();
    expect(parseCrashAt('after-send')).toEqual({ name: 'after-send', nth: 1 });
    expect(parseCrashAt('after-fill-before-persist:3')).toEqual({ name: 'after-fill-before-persist', nth: 3 });
    expect(() => parseCrashAt('after-sned')).toThrow(/UPDOWN_CRASH_AT/);
    expect(() => parseCrashAt('after-send:0')).toThrow(/UPDOWN_CRASH_AT/);
  });

  it('between journal write and send: the journaled order never reached the venue; after restart it is rejected, never sent', async () => {
    await runScenario('after-journal-write', {
      nth: 2, // the first order is at the venue (resting or filled) when the second one dies unsent
      atCrash: (j, venue) => {
        const pending = j.orders.filter((o) => o.state === 'submitted' && o.salt !== undefined && !venue.salts.has(o.salt));
        expect(pending.length, `one journaled order whose bytes never left: ${describeCrash(j, venue)}`).toBe(1);
        expect(venue.orders.has(pending[0]!.orderId!)).toBe(false);
        return pending[0]!;
      },
      afterRestart: (snap, ev) => {
        const o = snap.journal.orders.find((x) => x.clientTag === ev.clientTag);
        expect(o).toMatchObject({ state: 'rejected', reason: 'not found at venue' });
      },
    });
  });

  it('between send and ack: the venue answered an order the journal only knows as submitted; after restart its state is the venue\'s', async () => {
    await runScenario('after-send', {
      // The user socket lags, so the POST's answer is the only news of the order when the process dies.
      faults: [{ kind: 'latency', scope: 'user', delayMs: 60_000 }],
      atCrash: (j, venue) => {
        const pending = j.orders.filter((o) => o.state === 'submitted' && o.salt !== undefined && venue.salts.has(o.salt));
        expect(pending.length, `one order sent whose answer was never applied: ${describeCrash(j, venue)}`).toBe(1);
        // Usually accepted (resting or filled); the venue may also have refused it (a post-only that crossed).
        return { order: pending[0]!, venue: venue.orders.get(pending[0]!.orderId!) };
      },
      afterRestart: (snap, ev) => {
        const o = snap.journal.orders.find((x) => x.clientTag === ev.order.clientTag);
        expect(o?.state).toBe(ev.venue ? expectedState(ev.venue) : 'rejected');
      },
    });
  });

  it('between fill and persist: the venue has a fill the journal lacks; after restart it is journaled and counted once', async () => {
    await runScenario('after-fill-before-persist', {
      atCrash: (j, venue) => {
        const journaled = new Set(j.fills.map((f) => f.key));
        const missing = [...venue.fills.keys()].filter((k) => !journaled.has(k));
        expect(missing.length, `a venue fill the journal never got: ${describeCrash(j, venue)}`).toBeGreaterThan(0);
        return missing;
      },
      afterRestart: (snap, missing) => {
        for (const key of missing) expect(snap.journal.fills.filter((f) => f.key === key)).toHaveLength(1);
      },
    });
  });
});
