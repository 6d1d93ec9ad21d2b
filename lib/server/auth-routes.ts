/**
 * POST /api/auth/login { token } and POST /api/auth/logout: the console's login session (lib/server/console-auth.ts).
 *
 * Invariants: login is the one mutating route reachable without the token (it is how the token is presented), and it
 * still passes withApi's same-origin check; the token is compared in constant time; success sets the HttpOnly,
 * SameSite=Strict session cookie (never the token) and answers { ok, expiresMs }; every checked attempt leaves one
 * audit row (`auth.login` as operator(session), `auth.login.refused` as anonymous) with the source address; past
 * LOGIN_FAILURES_PER_MINUTE failures attempts are refused unchecked and unaudited (a stranger cannot grow the trail
 * without bound). Logout needs the token or the session, revokes the session and clears the cookie (`auth.logout`).
 */
import 'server-only';
import { loginRequestSchema, type LoginResponse } from '../schemas/console-auth';
import { ApiProblem, withApi } from './api';
import {
  LOGIN_FAILURES_PER_MINUTE,
  SESSION_COOKIE,
  issueSession,
  loginAllowed,
  noteLoginFailure,
  readCookie,
  revokeSession,
  safeEqual,
  sessionCookie,
} from './console-auth';

const secureRequest = (req: Request) => req.headers.get('x-forwarded-proto') === 'https' || new URL(req.url).protocol === 'https:';

export const loginRoute = withApi({ body: loginRequestSchema, public: true, audit: { action: 'auth.login', recordsOwn: true } }, ({ req, body, holder, audit }) => {
  const token = holder.env.CONSOLE_TOKEN;
  const nowMs = Date.now();
  if (!token) {
    audit('auth.login.refused', { reason: 'no CONSOLE_TOKEN configured' }, 'anonymous');
    throw new ApiProblem('conflict', 'this console has no CONSOLE_TOKEN: it listens on loopback only and needs no login');
  }
  if (!loginAllowed(nowMs)) throw new ApiProblem('too_many_requests', `more than ${LOGIN_FAILURES_PER_MINUTE} failed logins in the last minute: wait and try again`);
  if (!safeEqual(body.token, token)) {
    noteLoginFailure(nowMs);
    audit('auth.login.refused', { reason: 'wrong token' }, 'anonymous');
    throw new ApiProblem('unauthorized', 'wrong token', [{ path: 'token', message: 'this is not the console token' }]);
  }
  const session = issueSession(token, nowMs);
  audit('auth.login', { expiresMs: session.expiresMs }, 'operator(session)');
  const answer: LoginResponse = { ok: true, expiresMs: session.expiresMs };
  return Response.json(answer, { headers: { 'Set-Cookie': sessionCookie(session.value, { secure: secureRequest(req) }), 'Cache-Control': 'no-store' } });
});

export const logoutRoute = withApi({ audit: { action: 'auth.logout' } }, ({ req }) => {
  revokeSession(readCookie(req.headers.get('cookie'), SESSION_COOKIE), Date.now());
  return Response.json({ ok: true }, { headers: { 'Set-Cookie': sessionCookie(null, { secure: secureRequest(req) }), 'Cache-Control': 'no-store' } });
});
