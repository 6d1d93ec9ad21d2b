/**
 * CredentialRenewal (bot/execution/credential-renewal.ts, battery B10) on a SimClock with a real EventBus: exactly
 * one re-derive per 401 episode, 401s of superseded credentials ignored, a 401 of the re-derived credentials within
 * 30 min = alert and local refusal, a new episode after 30 min, a failed derive, and a later success lifting it.
 * The derive is a test double: its calls are counted and it resolves when the test says so.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import type { ApiCredentials } from '../../../bot/core';
import { CredentialRenewal } from '../../../bot/execution/credential-renewal';

const T0 = 1_791_241_800_000;
const EPISODE_MS = 30 * 60_000;
const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=';
const PASSPHRASE = 'pass-phrase-never-logged';
const creds = (n: number): ApiCredentials => ({ key: `key-${n}`, secret: SECRET, passphrase: PASSPHRASE });

/** Let pending promise continuations run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

function setup(opts: { episodeMs?: number; deriveFails?: boolean } = {}) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  let generation = 0;
  const applied: ApiCredentials[] = [];
  const derives: Array<{ atMs: number; resolve: () => void }> = [];
  const notices: Array<{ source: string; severity: string; title: string; detail: string }> = [];
  bus.on('runtime.notice', (e) => notices.push({ source: e.source, severity: e.severity, title: e.title, detail: e.detail }));
  const r = new CredentialRenewal({
    clock,
    bus,
    generation: () => generation,
    apply: (c) => {
      applied.push(c);
      generation++;
    },
    derive: () =>
      new Promise<ApiCredentials>((resolve, reject) => {
        const n = derives.length + 1;
        derives.push({ atMs: clock.nowMs(), resolve: () => (opts.deriveFails ? reject(new Error('derive refused: HTTP 401')) : resolve(creds(n))) });
      }),
    ...(opts.episodeMs !== undefined ? { episodeMs: opts.episodeMs } : {}),
  });
  /** Let the pending derive answer. */
  const answerDerive = async () => {
    derives.at(-1)!.resolve();
    await settle();
  };
  return { clock, bus, r, applied, derives, notices, gen: () => generation, answerDerive };
}

describe('CredentialRenewal', () => {
  it('answers other than 401 while all is well change nothing', () => {
    const s = setup();
    for (const status of [200, 204, 400, 404, 425, 500, 503, 0]) s.r.onAnswer(status, 0);
    expect(s.r.state).toBe('ok');
    expect(s.r.denyReason()).toBeUndefined();
    expect(s.derives).toHaveLength(0);
    expect(s.notices).toHaveLength(0);
  });

  it('the first 401 re-derives once; orders wait meanwhile; the new credentials are applied with a warning', async () => {
    const s = setup();
    s.r.onAnswer(401, 0);
    expect(s.r.state).toBe('renewing');
    expect(s.r.denyReason()).toMatch(/being re-derived/);
    // More 401s while the derive is in flight (other requests signed with the same key): no second derive.
    for (let i = 0; i < 5; i++) s.r.onAnswer(401, 0);
    expect(s.derives).toHaveLength(1);
    await s.answerDerive();
    expect(s.applied).toEqual([creds(1)]);
    expect(s.gen()).toBe(1);
    expect(s.r.state).toBe('renewed');
    expect(s.r.denyReason()).toBeUndefined();
    expect(s.notices).toEqual([expect.objectContaining({ source: 'venue.credentials', severity: 'warn', title: 'CLOB API credentials re-derived after a 401' })]);
    expect(s.r.stats).toEqual({ unauthorized: 6, rederives: 1, failures: 0 });
  });

  it('401s of requests signed with the replaced credentials do not start a second derive nor fail', async () => {
    const s = setup();
    s.r.onAnswer(401, 0);
    await s.answerDerive();
    s.clock.advanceBy(1_000);
    for (let i = 0; i < 3; i++) s.r.onAnswer(401, 0); // in flight before the switch, answered after it
    expect(s.derives).toHaveLength(1);
    expect(s.r.state).toBe('renewed');
    expect(s.r.denyReason()).toBeUndefined();
    expect(s.notices.filter((n) => n.severity === 'danger')).toHaveLength(0);
  });

  it('a 401 of the re-derived credentials within 30 min: no second derive, new orders refused, a danger alert', async () => {
    const s = setup();
    s.r.onAnswer(401, 0);
    await s.answerDerive();
    s.clock.advanceBy(EPISODE_MS - 1);
    s.r.onAnswer(401, 1);
    expect(s.derives).toHaveLength(1);
    expect(s.r.state).toBe('failed');
    expect(s.r.denyReason()).toBe('CLOB API credentials refused (401) after one re-derive');
    const alert = s.notices.at(-1)!;
    expect(alert).toMatchObject({ source: 'venue.credentials', severity: 'danger', title: 'CLOB API credentials refused: new orders stopped' });
    expect(alert.detail).toContain('still answers 401 with the re-derived credentials');
    // Further 401s neither derive nor alert again.
    for (let i = 0; i < 3; i++) s.r.onAnswer(401, 1);
    s.clock.advanceBy(2 * EPISODE_MS);
    s.r.onAnswer(401, 1);
    expect(s.derives).toHaveLength(1);
    expect(s.notices.filter((n) => n.severity === 'danger')).toHaveLength(1);
    expect(s.r.stats.failures).toBe(1);
  });

  it('a 401 30 min or more after the last re-derive starts a new episode: one more derive', async () => {
    const s = setup();
    s.r.onAnswer(401, 0);
    await s.answerDerive();
    s.clock.advanceBy(EPISODE_MS);
    s.r.onAnswer(401, 1);
    expect(s.r.state).toBe('renewing');
    expect(s.derives.map((d) => d.atMs)).toEqual([T0, T0 + EPISODE_MS]);
    await s.answerDerive();
    expect(s.gen()).toBe(2);
    expect(s.r.state).toBe('renewed');
    // The new episode allows one derive too: a 401 of generation 2 soon after fails.
    s.clock.advanceBy(60_000);
    s.r.onAnswer(401, 2);
    expect(s.r.state).toBe('failed');
    expect(s.derives).toHaveLength(2);
  });

  it('the episode is measured from when the re-derive started, and honours a custom length', async () => {
    const s = setup({ episodeMs: 60_000 });
    s.r.onAnswer(401, 0);
    s.clock.advanceBy(10_000); // the derive takes 10 s
    await s.answerDerive();
    s.clock.advanceBy(50_000); // 60 s after it started
    s.r.onAnswer(401, 1);
    expect(s.r.state).toBe('renewing');
    expect(s.derives).toHaveLength(2);
  });

  it('a derive that fails alerts and refuses orders, without the error leaking a secret', async () => {
    const s = setup({ deriveFails: true });
    s.r.onAnswer(401, 0);
    await s.answerDerive();
    expect(s.applied).toHaveLength(0);
    expect(s.r.state).toBe('failed');
    expect(s.r.denyReason()).toMatch(/refused/);
    const alert = s.notices.at(-1)!;
    expect(alert.severity).toBe('danger');
    expect(alert.detail).toContain('re-deriving them failed: derive refused: HTTP 401');
    for (const n of s.notices) expect(JSON.stringify(n)).not.toMatch(new RegExp(`${SECRET}|${PASSPHRASE}`));
  });

  it('a later success of the credentials in use lifts the refusal; a success of superseded ones does not', async () => {
    const s = setup();
    s.r.onAnswer(401, 0);
    await s.answerDerive();
    s.r.onAnswer(401, 1);
    expect(s.r.state).toBe('failed');
    s.r.onAnswer(200, 0); // an old request
    expect(s.r.state).toBe('failed');
    s.r.onAnswer(404, 1); // not a success
    expect(s.r.state).toBe('failed');
    s.r.onAnswer(200, 1);
    expect(s.r.state).toBe('renewed');
    expect(s.r.denyReason()).toBeUndefined();
    expect(s.notices.at(-1)).toMatchObject({ severity: 'info', title: 'CLOB API credentials accepted again' });
    // Still within the episode: another 401 fails at once (no second derive in the same episode).
    s.r.onAnswer(401, 1);
    expect(s.r.state).toBe('failed');
    expect(s.derives).toHaveLength(1);
  });

  it('a success after a failed derive lifts it too (the key was fine again)', async () => {
    const s = setup({ deriveFails: true });
    s.r.onAnswer(401, 0);
    await s.answerDerive();
    expect(s.r.state).toBe('failed');
    s.r.onAnswer(200, 0);
    expect(s.r.denyReason()).toBeUndefined();
    expect(s.notices.map((n) => n.severity)).toEqual(['danger', 'info']);
  });
});
