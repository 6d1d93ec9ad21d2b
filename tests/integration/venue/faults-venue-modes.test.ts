/**
 * Fault battery, venue trading modes over real sockets: B6 (the simulator's weekly engine-restart scenario: CLOB 425
 * for 90 s, then post-only 503 for 2 min) and B7 (503 cancel-only). A test "strategy" tries to trade every simulated
 * second (a taker FOK each second, a post-only maker every 10 s); what reached the venue is counted AT THE SIMULATOR
 * (its control API's request log: L2 requests with the posted order types, and the requests a fault answered – the
 * 425s never reach the order route), so a bot that hammered or slipped a taker through would fail here.
 * Every test ends with the shared invariants (two-way ledger incl. cash, no duplicate salt, no secret in logs).
 */
import { describe, expect, it } from 'vitest';
import { farBelowTouch, fokUp, liveStackForSuite, readyLive, restingUp, type Stack, waitFor } from './harness';
import { expectInvariants } from './invariants';

interface L2Entry {
  atMs: number;
  method: string;
  path: string;
  ok: boolean;
  refusal?: string;
  orders?: { orderType: string; postOnly: boolean }[];
}
interface Answered {
  faultId: string;
  kind: string;
  route: string;
  atMs: number;
}

/** What reached the simulator since `sinceMs` (its control API, over HTTP). */
async function venueRequests(s: Stack, sinceMs: number, route?: string): Promise<{ l2: L2Entry[]; answered: Answered[] }> {
  const q = new URLSearchParams({ since: String(sinceMs), ...(route ? { route } : {}) });
  const r = await fetch(`${s.sim.urls.control}/requests?${q}`);
  expect(r.status).toBe(200);
  return (await r.json()) as { l2: L2Entry[]; answered: Answered[] };
}

async function control(s: Stack, path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${s.sim.urls.control}${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.status).toBeLessThan(300);
  return (await r.json()) as Record<string, unknown>;
}

type Attempt = { atMs: number; kind: 'taker' | 'maker'; sent: boolean; outcome: string; reason: string };

/** One simulated second of a strategy that wants to trade: a taker every second, a post-only maker every 10 s. */
async function tryToTrade(s: Stack, slug: string, log: Attempt[], maker: boolean): Promise<void> {
  const at = s.clock.nowMs();
  const t = await fokUp(s, slug, 5);
  log.push({ atMs: at, kind: 'taker', sent: t.r.ok, outcome: t.r.ok ? t.r.outcome.kind : 'denied', reason: t.r.ok ? (t.r.outcome.kind === 'rejected' ? t.r.outcome.reason : '') : t.r.reason });
  if (!maker) return;
  const m = await restingUp(s, slug, farBelowTouch(s, slug), 10);
  log.push({ atMs: at, kind: 'maker', sent: m.r.ok, outcome: m.r.ok ? m.r.outcome.kind : 'denied', reason: m.r.ok ? (m.r.outcome.kind === 'rejected' ? m.r.outcome.reason : '') : m.r.reason });
}

const postsOf = (l2: L2Entry[]) => l2.filter((e) => e.method === 'POST' && e.path === '/order');
const takersIn = (l2: L2Entry[]) => postsOf(l2).filter((e) => (e.orders ?? []).some((o) => !o.postOnly));

describe('B6: engine restart (425 for 90 s, then post-only for 2 min)', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x), { requestTimeoutMs: 1_500 });

  it('B6: no taker order in either phase, probes back off 1-2 s -> capped, post-only makers go, trading resumes by itself, logged as a restart', async () => {
    let { slug } = await readyLive(s);
    const t0 = s.clock.nowMs();
    const scenario = await control(s, '/scenarios/engine-restart', {});
    expect(scenario.postOnlyFromMs).toBe(t0 + 90_000);
    expect(scenario.postOnlyUntilMs).toBe(t0 + 210_000);
    const attempts: Attempt[] = [];
    let resumedAtMs: number | undefined;
    for (let sec = 0; sec < 300 && resumedAtMs === undefined; sec++) {
      slug = s.catalog.current('5m')?.window.slug ?? slug;
      if (s.catalog.tradableReason(slug) === undefined && s.marketFeed.book(s.catalog.get(slug)!.upTokenId)?.bestAsk() !== undefined) {
        await tryToTrade(s, slug, attempts, sec % 10 === 5);
        const last = attempts.filter((a) => a.kind === 'taker').at(-1)!;
        if (last.atMs >= t0 + 210_000 && last.outcome === 'accepted') resumedAtMs = last.atMs;
      }
      await s.advance(1_000, 1_000);
    }

    // 425 phase: the first taker met the restart; everything after it was refused locally (never sent).
    const restart = await venueRequests(s, t0);
    const restartAnswers = restart.answered.filter((a) => a.kind === 'http_status' && a.atMs < t0 + 90_000);
    const ordersMet425 = restartAnswers.filter((a) => a.route === 'POST /order');
    expect(ordersMet425).toHaveLength(1);
    expect(ordersMet425[0]!.atMs).toBe(t0);
    expect(postsOf(restart.l2).filter((e) => e.atMs < t0 + 90_000)).toEqual([]);
    const during425 = attempts.filter((a) => a.atMs > t0 && a.atMs < t0 + 90_000);
    expect(during425.length).toBeGreaterThan(60);
    expect(during425.every((a) => !a.sent && /restarting/.test(a.reason))).toBe(true);

    // Probes (one heartbeat each) on a growing backoff: first after 1-2 s, never shrinking, capped at 30 s.
    const probes = restartAnswers.filter((a) => a.route === 'POST /v1/heartbeats').map((a) => a.atMs);
    const gaps = [probes[0]! - t0, ...probes.slice(1).map((p, i) => p - probes[i]!)];
    expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
    expect(gaps[0]).toBeLessThanOrEqual(2_000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(gaps[i - 1]! - 1_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(31_000);
    expect(probes.length).toBeLessThanOrEqual(10);

    // Post-only phase: only post-only orders reached the venue, and the venue took them.
    const postOnlyPhase = postsOf(restart.l2).filter((e) => e.atMs >= t0 + 90_000 && e.atMs < t0 + 210_000);
    expect(takersIn(postOnlyPhase)).toEqual([]);
    expect(postOnlyPhase.length).toBeGreaterThan(0);
    expect(postOnlyPhase.every((e) => e.ok)).toBe(true);
    const makersAccepted = attempts.filter((a) => a.kind === 'maker' && a.atMs > t0 + 120_000 && a.atMs < t0 + 210_000);
    expect(makersAccepted.length).toBeGreaterThan(0);
    expect(makersAccepted.every((a) => a.outcome === 'accepted')).toBe(true);
    const takersPostOnly = attempts.filter((a) => a.kind === 'taker' && a.atMs >= t0 + 90_000 && a.atMs < t0 + 210_000);
    expect(takersPostOnly.length).toBeGreaterThan(60);
    expect(takersPostOnly.every((a) => !a.sent && /restarting|post-only/.test(a.reason))).toBe(true);
    expect(takersPostOnly.filter((a) => /post-only/.test(a.reason)).length).toBeGreaterThan(60);

    // Resumed by itself within the probe cap after the post-only phase; the first taker after it matched.
    expect(resumedAtMs).toBeDefined();
    expect(resumedAtMs!).toBeLessThanOrEqual(t0 + 210_000 + 31_000);
    expect(takersIn(postsOf(restart.l2).filter((e) => e.atMs >= t0 + 210_000)).length).toBeGreaterThan(0);

    // Logged: restarting -> post-only -> normal, in the event log and the log lines.
    const statuses = s.events.filter((e) => e.type === 'venue.status' && e.tsEventMs >= t0).map((e) => (e.type === 'venue.status' ? `${e.status}:${e.reason ?? ''}` : ''));
    const first = (re: RegExp) => statuses.findIndex((x) => re.test(x));
    expect(first(/^restarting:matching engine restarting/)).toBe(0);
    expect(first(/^post_only:post-only assumed after a \d+ s engine restart/)).toBeGreaterThan(0);
    expect(first(/^normal:/)).toBeGreaterThan(first(/^post_only:/));
    expect(s.logs.some((l) => l.includes('"venue.status"') && l.includes('matching engine restarting'))).toBe(true);

    await s.engine.cancelAllOpen();
    await s.advance(8_000, 1_000);
    await waitFor(() => s.tracker.allFills().every((f) => f.status === 'CONFIRMED' || f.status === 'FAILED'), 'fills settled');
    expectInvariants(s);
  });
});

describe('B7: cancel-only', () => {
  let s: Stack;
  liveStackForSuite((x) => (s = x), { requestTimeoutMs: 1_500 });

  it('B7: cancels are accepted; after the first 503 submissions are refused locally with a reason (one probe per 30 s at most), then resume', async () => {
    const { slug } = await readyLive(s);
    const resting = await restingUp(s, slug, farBelowTouch(s, slug), 10);
    expect(resting.r.ok && resting.r.outcome.kind).toBe('accepted');
    await s.advance(1_000, 1_000);
    const t0 = s.clock.nowMs();
    await control(s, '/faults', { kind: 'cancel_only', scope: 'clob', durationMs: 120_000 });

    // Cancels work in cancel-only mode (the venue confirms).
    expect(await s.engine.cancel(resting.clientTag)).toBe(true);
    expect(s.sim.model.exchange.orders.get(resting.order!.orderId!)?.status).toBe('CANCELED');

    const attempts: Attempt[] = [];
    let resumedAtMs: number | undefined;
    for (let sec = 0; sec < 170 && resumedAtMs === undefined; sec++) {
      await tryToTrade(s, slug, attempts, sec % 10 === 5);
      const last = attempts.filter((a) => a.kind === 'taker').at(-1)!;
      if (last.atMs >= t0 + 120_000 && last.outcome === 'accepted') resumedAtMs = last.atMs;
      await s.advance(1_000, 1_000);
    }

    const seen = await venueRequests(s, t0);
    const posts = postsOf(seen.l2).filter((e) => e.atMs < t0 + 120_000);
    // Every order that reached the venue during the fault was a probe the venue refused; they are >= 30 s apart.
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(posts[0]!.atMs).toBe(t0);
    for (let i = 1; i < posts.length; i++) expect(posts[i]!.atMs - posts[i - 1]!.atMs).toBeGreaterThanOrEqual(30_000);
    const refusedAtVenue = attempts.filter((a) => a.sent && a.atMs < t0 + 120_000);
    expect(refusedAtVenue.length).toBe(posts.length);
    expect(refusedAtVenue.every((a) => a.outcome === 'rejected' && /cancel-only/.test(a.reason))).toBe(true);
    // Everything else was refused locally, with the reason.
    const local = attempts.filter((a) => !a.sent && a.atMs < t0 + 120_000);
    expect(local.length).toBeGreaterThan(120);
    expect(local.every((a) => a.reason === 'venue cancel-only')).toBe(true);

    // After the fault: trading resumes without any operator action, within one hold (30 s).
    expect(resumedAtMs).toBeDefined();
    expect(resumedAtMs!).toBeLessThanOrEqual(t0 + 120_000 + 31_000);

    await s.engine.cancelAllOpen();
    await s.advance(8_000, 1_000);
    await waitFor(() => s.tracker.allFills().every((f) => f.status === 'CONFIRMED' || f.status === 'FAILED'), 'fills settled');
    expectInvariants(s);
  });
});
