/**
 * Console authentication (lib/server/console-auth.ts): the session cookie is an HMAC-signed value that never holds
 * the token, tampering / another token / expiry / logout each make it invalid, the cookie's attributes, header-token
 * matching, and the process-wide failed-login throttle.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  LOGIN_FAILURES_PER_MINUTE,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  actorFor,
  authenticate,
  issueSession,
  loginAllowed,
  noteLoginFailure,
  readCookie,
  resetAuthStateForTests,
  revokeSession,
  safeEqual,
  sessionCookie,
  verifySession,
} from '../../../lib/server/console-auth';

const TOKEN = 'unit-console-token-0123456789';
const NOW = 1_800_000_000_000;
const h = (init: Record<string, string>) => new Headers(init);

beforeEach(() => resetAuthStateForTests());

describe('session values', () => {
  it('a fresh session verifies for its token until it expires, and holds neither the token nor a hash of it', () => {
    const s = issueSession(TOKEN, NOW);
    expect(s.expiresMs).toBe(NOW + SESSION_TTL_MS);
    expect(s.value).toMatch(/^v1\.\d+\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    expect(s.value).not.toContain(TOKEN);
    expect(verifySession(s.value, TOKEN, NOW)).toBe(true);
    expect(verifySession(s.value, TOKEN, s.expiresMs - 1)).toBe(true);
    expect(verifySession(s.value, TOKEN, s.expiresMs)).toBe(false);
    // Two sessions differ (random nonce) even at the same instant.
    expect(issueSession(TOKEN, NOW).value).not.toBe(s.value);
  });

  it('another token, a changed expiry, nonce or MAC, and junk are refused', () => {
    const s = issueSession(TOKEN, NOW);
    const [v, exp, nonce, mac] = s.value.split('.') as [string, string, string, string];
    expect(verifySession(s.value, `${TOKEN}x`, NOW)).toBe(false);
    expect(verifySession([v, String(Number(exp) + 1), nonce, mac].join('.'), TOKEN, NOW)).toBe(false);
    expect(verifySession([v, exp, nonce.replace(/^./, nonce[0] === 'a' ? 'b' : 'a'), mac].join('.'), TOKEN, NOW)).toBe(false);
    expect(verifySession([v, exp, nonce, mac.replace(/^./, mac[0] === 'A' ? 'B' : 'A')].join('.'), TOKEN, NOW)).toBe(false);
    for (const junk of [undefined, '', 'v1', TOKEN, `${s.value}x`, 'x'.repeat(500)]) expect(verifySession(junk, TOKEN, NOW)).toBe(false);
  });

  it('logout revokes exactly that session', () => {
    const a = issueSession(TOKEN, NOW);
    const b = issueSession(TOKEN, NOW);
    revokeSession(a.value, NOW);
    expect(verifySession(a.value, TOKEN, NOW)).toBe(false);
    expect(verifySession(b.value, TOKEN, NOW)).toBe(true);
  });
});

describe('cookies', () => {
  it('Set-Cookie is HttpOnly, SameSite=Strict, Path=/, Secure only over https; clearing sets Max-Age=0', () => {
    const c = sessionCookie('v1.abc', { secure: false });
    expect(c.split('; ')).toEqual([`${SESSION_COOKIE}=v1.abc`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${SESSION_TTL_MS / 1000}`]);
    expect(sessionCookie('v1.abc', { secure: true })).toMatch(/; Secure$/);
    expect(sessionCookie(null, { secure: false })).toMatch(new RegExp(`^${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0$`));
  });

  it('readCookie finds the named cookie among others', () => {
    expect(readCookie(`a=1; ${SESSION_COOKIE}=v1.x.y; b=2`, SESSION_COOKIE)).toBe('v1.x.y');
    expect(readCookie('a=1', SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(null, SESSION_COOKIE)).toBeUndefined();
  });
});

describe('authenticate', () => {
  it('no token configured: open to everyone (the console is on loopback then)', () => {
    expect(authenticate(h({}), undefined, NOW)).toEqual({ ok: true, via: 'open' });
  });

  it('a matching Bearer or x-operator-token header, or a valid session cookie; nothing else', () => {
    const s = issueSession(TOKEN, NOW);
    expect(authenticate(h({ authorization: `Bearer ${TOKEN}` }), TOKEN, NOW)).toEqual({ ok: true, via: 'token' });
    expect(authenticate(h({ 'x-operator-token': TOKEN }), TOKEN, NOW)).toEqual({ ok: true, via: 'token' });
    expect(authenticate(h({ cookie: `${SESSION_COOKIE}=${s.value}` }), TOKEN, NOW)).toEqual({ ok: true, via: 'session' });
    expect(authenticate(h({ authorization: `Bearer ${TOKEN}x` }), TOKEN, NOW)).toEqual({ ok: false, reason: 'wrong operator token' });
    expect(authenticate(h({ 'x-operator-token': '' }), TOKEN, NOW).ok).toBe(false);
    expect(authenticate(h({ cookie: `${SESSION_COOKIE}=${TOKEN}` }), TOKEN, NOW).ok).toBe(false);
    expect(authenticate(h({ 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' }), TOKEN, NOW).ok).toBe(false);
    expect(authenticate(h({}), TOKEN, NOW)).toEqual({ ok: false, reason: 'operator token or login session required' });
  });

  it('actors name how the operator authenticated', () => {
    expect([actorFor('open'), actorFor('token'), actorFor('session')]).toEqual(['operator(local)', 'operator(token)', 'operator(session)']);
  });

  it('safeEqual compares whole strings of any length', () => {
    expect(safeEqual(TOKEN, TOKEN)).toBe(true);
    expect(safeEqual(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(safeEqual('', TOKEN)).toBe(false);
  });
});

describe('failed-login throttle', () => {
  it(`after ${LOGIN_FAILURES_PER_MINUTE} failures in a minute further checks wait until the oldest is a minute old`, () => {
    for (let i = 0; i < LOGIN_FAILURES_PER_MINUTE; i++) {
      expect(loginAllowed(NOW + i)).toBe(true);
      noteLoginFailure(NOW + i);
    }
    expect(loginAllowed(NOW + 30_000)).toBe(false);
    expect(loginAllowed(NOW + 60_000)).toBe(true);
  });
});
