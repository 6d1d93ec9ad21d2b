/**
 * Operator authentication for the console: the CONSOLE_TOKEN (Authorization: Bearer … or x-operator-token) or a
 * login session cookie issued by POST /api/auth/login.
 *
 * Invariants:
 * - Tokens are compared in constant time over their SHA-256 digests (no length leak).
 * - The cookie never holds the token: it is `v1.<expiresMs>.<nonce>.<mac>`, the MAC an HMAC-SHA256 over the rest
 *   with a key derived from the token and a per-process random salt. Changing the token or restarting the server
 *   ends every session; logout revokes the nonce (a bounded set, pruned at expiry).
 * - The cookie is HttpOnly, SameSite=Strict, Path=/ (Secure when the request came over https).
 * - Failed logins are throttled process-wide (LOGIN_FAILURES_PER_MINUTE); past that, attempts are refused unchecked.
 * - State (salt, revoked nonces, failure times) lives on globalThis: Next bundles each route with its own module copy.
 */
import 'server-only';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'updown_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const LOGIN_FAILURES_PER_MINUTE = 10;
const MAX_REVOKED = 10_000;

const KEY = Symbol.for('updown.console-auth.v1');
interface AuthState {
  salt: Buffer;
  revoked: Map<string, number>;
  failures: number[];
}
type G = typeof globalThis & { [KEY]?: AuthState };

function state(): AuthState {
  const g = globalThis as G;
  return (g[KEY] ??= { salt: randomBytes(32), revoked: new Map(), failures: [] });
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time string equality (over SHA-256 digests, so lengths do not leak either). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function mac(token: string, payload: string): string {
  const key = createHmac('sha256', state().salt).update(`updown-console-session-v1\0${token}`, 'utf8').digest();
  return createHmac('sha256', key).update(payload, 'utf8').digest('base64url');
}

/** A new session value for `token`, valid until nowMs + ttlMs. */
export function issueSession(token: string, nowMs: number, ttlMs = SESSION_TTL_MS): { value: string; expiresMs: number } {
  const expiresMs = Math.floor(nowMs + ttlMs);
  const payload = `v1.${expiresMs}.${randomBytes(16).toString('hex')}`;
  return { value: `${payload}.${mac(token, payload)}`, expiresMs };
}

/** True when `value` is a session this process issued for `token`, not expired and not revoked. */
export function verifySession(value: string | undefined, token: string, nowMs: number): boolean {
  if (!value || value.length > 200) return false;
  const m = /^(v1\.(\d{1,16})\.([0-9a-f]{32}))\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const [, payload, expires, nonce, sig] = m as unknown as [string, string, string, string, string];
  if (!safeEqual(sig, mac(token, payload))) return false;
  if (Number(expires) <= nowMs) return false;
  return !state().revoked.has(nonce);
}

/** Revoke a session (logout): its nonce is refused until it would have expired anyway. */
export function revokeSession(value: string | undefined, nowMs: number): void {
  const m = value ? /^v1\.(\d{1,16})\.([0-9a-f]{32})\./.exec(value) : null;
  if (!m) return;
  const revoked = state().revoked;
  for (const [nonce, exp] of revoked) if (exp <= nowMs) revoked.delete(nonce);
  while (revoked.size >= MAX_REVOKED) revoked.delete(revoked.keys().next().value as string);
  revoked.set(m[2]!, Number(m[1]));
}

/** The value of cookie `name` in a Cookie header (first occurrence). */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for a session (or, with value null, one that clears it). */
export function sessionCookie(value: string | null, opts: { secure: boolean; maxAgeSec?: number }): string {
  const parts = [`${SESSION_COOKIE}=${value ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${value === null ? 0 : Math.floor(opts.maxAgeSec ?? SESSION_TTL_MS / 1000)}`];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The token a request carries in its headers (Authorization: Bearer … or x-operator-token), if any. */
export function headerToken(headers: HeaderSource): string | undefined {
  const auth = headers.get('authorization');
  if (auth && /^bearer /i.test(auth)) return auth.slice(7).trim();
  return headers.get('x-operator-token') ?? undefined;
}

export type Auth = { ok: true; via: 'open' | 'token' | 'session' } | { ok: false; reason: string };

/** What authenticate() reads: a Request's headers, or next/headers' read-only copy in a server component. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Who is asking: `open` when no CONSOLE_TOKEN is configured (the console is then on loopback only), `token` for a
 * matching header, `session` for a valid login cookie; otherwise refused (saying whether a header token was wrong).
 */
export function authenticate(headers: HeaderSource, token: string | undefined, nowMs: number): Auth {
  if (!token) return { ok: true, via: 'open' };
  const given = headerToken(headers);
  if (given !== undefined && safeEqual(given, token)) return { ok: true, via: 'token' };
  if (verifySession(readCookie(headers.get('cookie'), SESSION_COOKIE), token, nowMs)) return { ok: true, via: 'session' };
  return { ok: false, reason: given !== undefined ? 'wrong operator token' : 'operator token or login session required' };
}

/** The audit actor for an authenticated request. */
export function actorFor(via: 'open' | 'token' | 'session'): string {
  return via === 'open' ? 'operator(local)' : via === 'token' ? 'operator(token)' : 'operator(session)';
}

/** Whether another failed login may be checked now (false: too many in the last minute). */
export function loginAllowed(nowMs: number): boolean {
  const f = state().failures;
  while (f.length > 0 && f[0]! <= nowMs - 60_000) f.shift();
  return f.length < LOGIN_FAILURES_PER_MINUTE;
}

export function noteLoginFailure(nowMs: number): void {
  const f = state().failures;
  f.push(nowMs);
  if (f.length > LOGIN_FAILURES_PER_MINUTE * 2) f.splice(0, f.length - LOGIN_FAILURES_PER_MINUTE * 2);
}

/** Test hook: forget failures and revocations (the salt stays: sessions issued so far remain valid). */
export function resetAuthStateForTests(): void {
  const s = state();
  s.failures.length = 0;
  s.revoked.clear();
}
