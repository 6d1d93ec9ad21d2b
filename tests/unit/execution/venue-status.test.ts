/**
 * VenueStatus (bot/execution/venue-status.ts) on a SimClock with a real EventBus: the phases of an engine restart
 * (425 -> optional assumed post-only -> normal), the probe schedule (max(Retry-After, backoff), the backoff doubling
 * from 1 s and capped at 30 s), the 10 s threshold for the assumed post-only period, the venue's own post-only,
 * cancel-only and disabled answers (at most one order reaches a cancel-only venue per 30 s hold), 429s, and recovery.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { DEFAULT_VENUE_STATUS_POLICY, VenueStatus, type VenueStatusPolicy } from '../../../bot/execution/venue-status';
import type { OrderType } from '../../../bot/core/orders';

const T0 = 1_791_241_800_000;
const RESTART = { status: 425, body: '{"error":"matching engine is restarting"}' };
const POST_ONLY = { status: 503, body: '{"error":"post-only mode","code":"post_only_mode"}' };
const CANCEL_ONLY = { status: 503, body: '{"error":"Trading is currently cancel-only."}' };
const DISABLED = { status: 503, body: '{"error":"Trading is currently disabled."}' };
const RATE_LIMITED = { status: 429, body: '{"error":"Too Many Requests"}' };

/** Every kind of new order a strategy can send. */
const KINDS: Array<[OrderType, boolean]> = [['GTC', true], ['GTD', true], ['GTC', false], ['GTD', false], ['FOK', false], ['FAK', false]];
const isMaker = ([t, po]: [OrderType, boolean]) => po && (t === 'GTC' || t === 'GTD');

/** Let the probe's promise chain settle (microtasks and one macrotask turn). */
const settle = () => new Promise<void>((r) => setImmediate(r));

function setup(policy: Partial<VenueStatusPolicy> = {}) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  const st = new VenueStatus(clock, bus, policy);
  const events: Array<{ atMs: number; status: string; retryAfterMs?: number; reason?: string }> = [];
  bus.on('venue.status', (e) => events.push({ atMs: e.tsRecvMs, status: e.status, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}), ...(e.reason ? { reason: e.reason } : {}) }));
  return { clock, bus, st, events };
}

/** A probe the test answers: each call is logged at its time and answered by `answer` (what the venue would say). */
function probeWith(s: ReturnType<typeof setup>, answer: (n: number) => 'restart' | 'alive' | 'timeout' | 'post_only') {
  const at: number[] = [];
  s.st.setProbe(async () => {
    at.push(s.clock.nowMs());
    const a = answer(at.length);
    if (a === 'restart') s.st.onError(RESTART);
    else if (a === 'alive') s.st.onAlive();
    else if (a === 'post_only') s.st.onError({ ...POST_ONLY, retryAfterMs: 60_000 });
    else throw new Error('timeout');
  });
  return at;
}

/** Advance the clock in steps, letting async probes settle after each step. */
async function run(s: ReturnType<typeof setup>, untilMs: number, stepMs = 100): Promise<void> {
  while (s.clock.nowMs() < untilMs) {
    s.clock.advanceTo(Math.min(untilMs, s.clock.nowMs() + stepMs));
    await settle();
  }
}

describe('VenueStatus: engine restart (425)', () => {
  it('refuses every new order kind while restarting and publishes the restart with its reason', () => {
    const s = setup();
    expect(s.st.current()).toBe('normal');
    for (const [t, po] of KINDS) expect(s.st.denyReason(t, po)).toBeUndefined();
    expect(s.st.onError(RESTART)).toBe('restarting');
    for (const [t, po] of KINDS) expect(s.st.denyReason(t, po)).toBe('venue restarting');
    expect(s.events).toEqual([{ atMs: T0, status: 'restarting', retryAfterMs: DEFAULT_VENUE_STATUS_POLICY.restartBackoffMs, reason: 'matching engine restarting' }]);
    expect(s.st.stats.restarts).toBe(1);
  });

  it('without a probe: the hold doubles per 425 from 1 s and is capped at 30 s; a Retry-After above the backoff wins', () => {
    const s = setup();
    const holds: number[] = [];
    for (let i = 0; i < 8; i++) {
      s.st.onError(RESTART);
      holds.push(s.events.at(-1)!.retryAfterMs!);
    }
    const p = DEFAULT_VENUE_STATUS_POLICY;
    expect(holds).toEqual(holds.map((_, i) => Math.min(p.restartBackoffCapMs, p.restartBackoffMs * 2 ** i)));
    expect(holds.slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(holds.at(-1)).toBe(30_000);
    expect(s.st.stats.restarts).toBe(1); // one restart, many 425s

    const r = setup();
    r.st.onError({ ...RESTART, retryAfterMs: 7_000 });
    expect(r.events.at(-1)!.retryAfterMs).toBe(7_000);
    r.st.onError({ ...RESTART, retryAfterMs: 500 }); // below the backoff (2 s): the backoff wins
    expect(r.events.at(-1)!.retryAfterMs).toBe(2_000);
  });

  it('without a probe: a short restart ends by time straight to normal', () => {
    const s = setup();
    s.st.onError(RESTART);
    s.clock.advanceBy(999);
    expect(s.st.current()).toBe('restarting');
    s.clock.advanceBy(1);
    expect(s.st.current()).toBe('normal');
    for (const [t, po] of KINDS) expect(s.st.denyReason(t, po)).toBeUndefined();
    expect(s.events.map((e) => e.status)).toEqual(['restarting', 'normal']);
    expect(s.events.at(-1)!.reason).toBe('engine restart over');
  });

  it('the assumed post-only period follows only a restart of at least 10 s', () => {
    const p = DEFAULT_VENUE_STATUS_POLICY;
    expect(p.assumePostOnlyAfterMs).toBe(10_000);
    for (const lastedMs of [p.assumePostOnlyAfterMs - 1, p.assumePostOnlyAfterMs, p.assumePostOnlyAfterMs + 80_000]) {
      const s = setup();
      s.st.onError({ ...RESTART, retryAfterMs: lastedMs });
      s.clock.advanceBy(lastedMs);
      const after = s.st.current();
      if (lastedMs < p.assumePostOnlyAfterMs) expect(after, `restart of ${lastedMs} ms`).toBe('normal');
      else {
        expect(after, `restart of ${lastedMs} ms`).toBe('post_only');
        expect(s.events.at(-1)!.reason).toBe(`post-only assumed after a ${Math.round(lastedMs / 1000)} s engine restart`);
        expect(s.events.at(-1)!.retryAfterMs).toBe(p.postOnlyAfterRestartMs);
      }
    }
  });

  it('during the assumed post-only period only post-only GTC/GTD orders go; it ends after 2 min', () => {
    const s = setup();
    s.st.onError({ ...RESTART, retryAfterMs: 90_000 });
    s.clock.advanceBy(90_000);
    expect(s.st.current()).toBe('post_only');
    for (const k of KINDS) expect(s.st.denyReason(...k), k.join('/')).toBe(isMaker(k) ? undefined : 'venue in post-only mode');
    s.clock.advanceBy(DEFAULT_VENUE_STATUS_POLICY.postOnlyAfterRestartMs - 1);
    expect(s.st.current()).toBe('post_only');
    s.clock.advanceBy(1);
    expect(s.st.current()).toBe('normal');
    for (const k of KINDS) expect(s.st.denyReason(...k)).toBeUndefined();
    expect(s.events.map((e) => e.status)).toEqual(['restarting', 'post_only', 'normal']);
  });

  it('the assumed post-only period is counted from the end of the restart, not from when someone next asks', () => {
    const s = setup();
    s.st.onError({ ...RESTART, retryAfterMs: 90_000 });
    // Nobody asks until long after the venue's post-only period would have ended.
    s.clock.advanceBy(90_000 + DEFAULT_VENUE_STATUS_POLICY.postOnlyAfterRestartMs + 60_000);
    expect(s.st.current()).toBe('normal');
    expect(s.st.denyReason('FOK', false)).toBeUndefined();

    const t = setup();
    t.st.onError({ ...RESTART, retryAfterMs: 90_000 });
    t.clock.advanceBy(90_000 + 30_000); // asked 30 s after the restart ended: 90 s of post-only left
    expect(t.st.current()).toBe('post_only');
    t.clock.advanceBy(DEFAULT_VENUE_STATUS_POLICY.postOnlyAfterRestartMs - 30_000 - 1);
    expect(t.st.current()).toBe('post_only');
    t.clock.advanceBy(1);
    expect(t.st.current()).toBe('normal');
  });

  it('honours a custom policy', () => {
    const s = setup({ restartBackoffMs: 250, restartBackoffCapMs: 1_000, assumePostOnlyAfterMs: 2_000, postOnlyAfterRestartMs: 5_000 });
    for (let i = 0; i < 4; i++) s.st.onError(RESTART);
    expect(s.events.map((e) => e.retryAfterMs)).toEqual([250, 500, 1_000, 1_000]);
    s.clock.advanceBy(1_000);
    expect(s.st.current()).toBe('normal'); // 1 s restart < 2 s
    s.st.onError({ ...RESTART, retryAfterMs: 2_000 });
    s.clock.advanceBy(2_000);
    expect(s.st.current()).toBe('post_only');
    s.clock.advanceBy(5_000);
    expect(s.st.current()).toBe('normal');
  });
});

describe('VenueStatus: probing a restarting venue', () => {
  it('probes after max(Retry-After, backoff): 1 s, 2 s, 4 s ... capped at 30 s, and does not end by time', async () => {
    const s = setup();
    const probes = probeWith(s, () => 'restart');
    s.st.onError(RESTART);
    await run(s, T0 + 200_000, 250);
    const gaps = [T0, ...probes].slice(1).map((t, i) => t - [T0, ...probes][i]!);
    const p = DEFAULT_VENUE_STATUS_POLICY;
    expect(gaps.length).toBeGreaterThan(7);
    expect(gaps).toEqual(gaps.map((_, i) => Math.min(p.restartBackoffCapMs, p.restartBackoffMs * 2 ** i)));
    expect(s.st.current()).toBe('restarting');
    expect(s.st.stats.probes).toBe(probes.length);
    expect(s.st.stats.restarts).toBe(1);
  });

  it('waits for a Retry-After longer than the backoff before probing', async () => {
    const s = setup();
    const probes = probeWith(s, () => 'alive');
    s.st.onError({ ...RESTART, retryAfterMs: 45_000 });
    await run(s, T0 + 44_900, 100);
    expect(probes).toEqual([]);
    await run(s, T0 + 45_100, 100);
    expect(probes).toEqual([T0 + 45_000]);
  });

  it('keeps at most one probe pending however many 425s arrive', async () => {
    const s = setup();
    const probes = probeWith(s, () => 'restart');
    s.st.onError(RESTART);
    s.clock.advanceBy(100);
    s.st.onError(RESTART); // an order refused meanwhile: the probe moves to +2 s, not a second probe
    s.st.onError(RESTART); // and another: +4 s
    await run(s, T0 + 100 + 3_999, 100);
    expect(probes).toEqual([]);
    await run(s, T0 + 100 + 4_000, 100);
    expect(probes).toEqual([T0 + 100 + 4_000]);
  });

  it('a probe without an answer (timeout) is repeated at the current backoff', async () => {
    const s = setup();
    const probes = probeWith(s, (n) => (n <= 2 ? 'restart' : 'timeout'));
    s.st.onError(RESTART);
    await run(s, T0 + 30_000, 100);
    // 425 at T0 -> probe +1 s (425) -> probe +2 s (425) -> probe +4 s (timeout) -> again +4 s, +4 s ...
    expect(probes.slice(0, 5)).toEqual([T0 + 1_000, T0 + 3_000, T0 + 7_000, T0 + 11_000, T0 + 15_000]);
    expect(s.st.current()).toBe('restarting');
  });

  it('a short restart ends on the first success, straight to normal', async () => {
    const s = setup();
    const probes = probeWith(s, (n) => (n < 3 ? 'restart' : 'alive'));
    s.st.onError(RESTART);
    await run(s, T0 + 20_000, 100);
    expect(probes).toEqual([T0 + 1_000, T0 + 3_000, T0 + 7_000]); // 7 s < 10 s
    expect(s.st.current()).toBe('normal');
    expect(s.events.map((e) => e.status)).toEqual(['restarting', 'restarting', 'restarting', 'normal']);
    expect(s.st.denyReason('FOK', false)).toBeUndefined();
  });

  it('a restart of 10 s or more ends in the assumed post-only period, then normal, without further probes', async () => {
    const s = setup();
    const probes = probeWith(s, (n) => (n < 4 ? 'restart' : 'alive'));
    s.st.onError(RESTART);
    await run(s, T0 + 16_000, 100);
    expect(probes).toEqual([T0 + 1_000, T0 + 3_000, T0 + 7_000, T0 + 15_000]);
    expect(s.st.current()).toBe('post_only');
    expect(s.events.at(-1)).toMatchObject({ atMs: T0 + 15_000, status: 'post_only', reason: 'post-only assumed after a 15 s engine restart' });
    for (const k of KINDS) expect(s.st.denyReason(...k)).toBe(isMaker(k) ? undefined : 'venue in post-only mode');
    await run(s, T0 + 15_000 + DEFAULT_VENUE_STATUS_POLICY.postOnlyAfterRestartMs - 100, 1_000);
    expect(s.st.current()).toBe('post_only');
    await run(s, T0 + 15_000 + DEFAULT_VENUE_STATUS_POLICY.postOnlyAfterRestartMs, 100);
    expect(s.st.current()).toBe('normal');
    expect(probes).toHaveLength(4);
  });

  it("the venue's own post-only answer overrides the assumption, with its retry_after", async () => {
    const s = setup();
    const probes = probeWith(s, (n) => (n < 2 ? 'restart' : 'post_only'));
    s.st.onError(RESTART);
    await run(s, T0 + 5_000, 100);
    expect(probes).toEqual([T0 + 1_000, T0 + 3_000]);
    expect(s.st.current()).toBe('post_only');
    expect(s.events.at(-1)).toMatchObject({ status: 'post_only', retryAfterMs: 60_000, reason: 'post-only mode' });
    await run(s, T0 + 3_000 + 60_000, 1_000);
    expect(s.st.current()).toBe('normal');
    expect(probes).toHaveLength(2);
  });

  it('a success that is not a probe answer (an order accepted) also ends the restart; a new 425 starts the backoff again at 1 s', async () => {
    const s = setup();
    const probes = probeWith(s, () => 'restart');
    s.st.onError(RESTART);
    await run(s, T0 + 4_000, 100); // probes at +1 s, +3 s; the next is due at +7 s
    s.st.onAlive();
    expect(s.st.current()).toBe('normal');
    await run(s, T0 + 20_000, 100);
    expect(probes).toEqual([T0 + 1_000, T0 + 3_000]); // the pending probe was cancelled
    s.st.onError(RESTART);
    expect(s.events.at(-1)!.retryAfterMs).toBe(1_000);
    expect(s.st.stats.restarts).toBe(2);
  });

  it('without the probe (order side closed) the restart ends by time again; dispose cancels a pending probe', async () => {
    const s = setup();
    const probes = probeWith(s, () => 'alive');
    s.st.onError(RESTART);
    s.st.dispose();
    s.st.setProbe(undefined);
    await run(s, T0 + 5_000, 100);
    expect(probes).toEqual([]);
    expect(s.st.current()).toBe('normal');
  });
});

describe('VenueStatus: post-only, cancel-only, disabled and rate limits from the venue', () => {
  it('503 post_only_mode: makers only, for its retry_after or 2 min by default', () => {
    const s = setup();
    s.st.onError({ ...POST_ONLY, retryAfterMs: 79_000 });
    for (const k of KINDS) expect(s.st.denyReason(...k)).toBe(isMaker(k) ? undefined : 'venue in post-only mode');
    s.clock.advanceBy(79_000);
    expect(s.st.current()).toBe('normal');
    s.st.onError({ status: 503, body: 'venue in post-only mode' });
    s.clock.advanceBy(DEFAULT_VENUE_STATUS_POLICY.postOnlyAfterRestartMs - 1);
    expect(s.st.current()).toBe('post_only');
    s.clock.advanceBy(1);
    expect(s.st.current()).toBe('normal');
  });

  it('503 cancel-only: every new order refused locally for 30 s; a venue that stays cancel-only sees at most one order per 30 s', () => {
    const s = setup();
    expect(s.st.onError(CANCEL_ONLY)).toBe('cancel_only');
    for (const k of KINDS) expect(s.st.denyReason(...k)).toBe('venue cancel-only');
    // A strategy tries a maker every second for 2 min; what is let through reaches a venue still cancel-only.
    const reachedVenue: number[] = [];
    for (let sec = 1; sec <= 120; sec++) {
      s.clock.advanceTo(T0 + sec * 1_000);
      if (s.st.denyReason('GTC', true) === undefined) {
        reachedVenue.push(s.clock.nowMs() - T0);
        s.st.onError(CANCEL_ONLY);
      }
    }
    expect(reachedVenue).toEqual([30_000, 60_000, 90_000, 120_000]);
    // The venue lifts cancel-only: the next probe is accepted and trading resumes.
    s.clock.advanceBy(30_000);
    expect(s.st.denyReason('FOK', false)).toBeUndefined();
    s.st.onAlive();
    expect(s.st.current()).toBe('normal');
  });

  it('503 cancel-only honours a Retry-After; recognises both spellings', () => {
    const s = setup();
    s.st.onError({ status: 503, body: 'Trading is cancel only', retryAfterMs: 45_000 });
    s.clock.advanceBy(44_999);
    expect(s.st.denyReason('GTC', true)).toBe('venue cancel-only');
    s.clock.advanceBy(1);
    expect(s.st.denyReason('GTC', true)).toBeUndefined();
  });

  it('any other 503 disables trading for 30 s', () => {
    const s = setup();
    expect(s.st.onError(DISABLED)).toBe('disabled');
    expect(s.st.denyReason('GTC', true)).toBe('venue disabled');
    s.clock.advanceBy(29_999);
    expect(s.st.current()).toBe('disabled');
    s.clock.advanceBy(1);
    expect(s.st.current()).toBe('normal');
  });

  it('a 429 alone denies nothing (the rate limiter waits) and passes after its Retry-After', () => {
    const s = setup();
    expect(s.st.onError({ ...RATE_LIMITED, retryAfterMs: 2_000 })).toBe('rate_limited');
    for (const k of KINDS) expect(s.st.denyReason(...k)).toBeUndefined();
    s.clock.advanceBy(2_000);
    expect(s.st.current()).toBe('normal');
  });

  it('a 429 never lifts a stronger status (restarting, post-only, cancel-only)', async () => {
    const r = setup();
    const probes = probeWith(r, () => 'restart');
    r.st.onError(RESTART);
    r.st.onError(RATE_LIMITED); // e.g. a data request rate limited during the restart
    expect(r.st.current()).toBe('restarting');
    expect(r.st.denyReason('FOK', false)).toBe('venue restarting');
    await run(r, T0 + 1_500, 100);
    expect(probes).toEqual([T0 + 1_000]); // the probe schedule went on

    const p = setup();
    p.st.onError({ ...POST_ONLY, retryAfterMs: 60_000 });
    p.st.onError({ ...RATE_LIMITED, retryAfterMs: 1_000 });
    p.clock.advanceBy(1_000);
    expect(p.st.denyReason('FOK', false)).toBe('venue in post-only mode');
    p.clock.advanceBy(59_000);
    expect(p.st.current()).toBe('normal');

    const c = setup();
    c.st.onError(CANCEL_ONLY);
    c.st.onError(RATE_LIMITED);
    expect(c.st.denyReason('GTC', true)).toBe('venue cancel-only');
  });

  it('errors that say nothing about the venue state change nothing', () => {
    const s = setup();
    for (const status of [400, 401, 404, 500]) expect(s.st.onError({ status, body: 'post_only cancel-only' })).toBeUndefined();
    expect(s.st.current()).toBe('normal');
    expect(s.events).toEqual([]);
  });

  it('a success does not lift the venue post-only or cancel-only mode (only its hold does)', () => {
    const s = setup();
    s.st.onError({ ...POST_ONLY, retryAfterMs: 60_000 });
    s.st.onAlive(); // a post-only maker accepted
    expect(s.st.denyReason('FOK', false)).toBe('venue in post-only mode');
    s.st.onError(CANCEL_ONLY);
    s.st.onSuccess();
    expect(s.st.current()).toBe('cancel_only');
  });
});
