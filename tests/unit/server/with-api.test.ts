/**
 * withApi (lib/server/api.ts), the one door every route goes through: same-origin refusals (foreign Origin,
 * `Origin: null`, cross-site Sec-Fetch-Site even with a valid session), the token / session check inside the handler
 * (middleware headers change nothing), CONSOLE_PROTECT_READS, public routes, body limits without buffering (a
 * declared Content-Length refused before reading; a chunked body cut off at the limit), and the audit rule: exactly
 * one row per authenticated mutating request, none for unauthenticated ones, `.refused` rows for body refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStore, type Store } from '../../../bot/store';
import { ApiProblem, requestSource, withApi } from '../../../lib/server/api';
import { LOGIN_FAILURES_PER_MINUTE, SESSION_COOKIE, issueSession, resetAuthStateForTests } from '../../../lib/server/console-auth';
import { loginRoute } from '../../../lib/server/auth-routes';
import { MAX_BODY_BYTES } from '../../../lib/server/request-body';

const KEY = Symbol.for('updown.runtime.v1');
const g = globalThis as Record<symbol, unknown>;
const prev = g[KEY];
const TOKEN = 'with-api-test-token-0123';
const URL_ = 'http://127.0.0.1:3000/api/thing';
let store: Store;

function install(env: Record<string, unknown>) {
  g[KEY] = { env, shuttingDown: false, runtime: { store, clock: { nowMs: () => 5_000 } } };
}
beforeEach(() => {
  resetAuthStateForTests();
  store = openStore(':memory:');
});
afterEach(() => {
  store.close();
  g[KEY] = prev;
});

const schema = z.strictObject({ n: z.number().int().max(10) });
let calls = 0;
const post = withApi({ body: schema, audit: { action: 'thing.do' } }, ({ body, auditDetail }) => {
  calls++;
  auditDetail.n = body.n;
  if (body.n === 7) throw new ApiProblem('conflict', 'seven is taken');
  return { ok: true };
});
const read = withApi({ mutating: false }, () => ({ secret: 'data' }));
const publicRead = withApi({ mutating: false, public: true }, ({ actor }) => ({ actor }));

function req(method: string, headers: Record<string, string> = {}, body?: BodyInit): Request {
  return new Request(URL_, { method, headers: { host: '127.0.0.1:3000', ...headers }, ...(body !== undefined ? { body, duplex: 'half' } : {}) } as RequestInit);
}
const json = (n: unknown, headers: Record<string, string> = {}) => req('POST', { 'content-type': 'application/json', ...headers }, JSON.stringify({ n }));
const rows = () => store.audit.recent(100);

describe('withApi: origin and token', () => {
  beforeEach(() => install({ CONSOLE_TOKEN: TOKEN }));

  it('no token -> 401 and no audit row; a middleware bypass header changes nothing', async () => {
    for (const headers of [{}, { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' }, { authorization: 'Bearer nope-nope-nope' }] as Record<string, string>[]) {
      const r = await post(json(1, headers));
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect(calls).toBe(0);
    expect(rows()).toEqual([]);
  });

  it('foreign Origin, Origin: null, a malformed Origin and cross-site fetches -> 403 even with a valid token or session', async () => {
    const session = issueSession(TOKEN, Date.now()).value;
    const auth: Record<string, string>[] = [{ authorization: `Bearer ${TOKEN}` }, { cookie: `${SESSION_COOKIE}=${session}` }];
    const bad: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, { origin: 'not a url' }, { origin: 'http://127.0.0.1:3001' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const a of auth) for (const b of bad) expect((await post(json(1, { ...a, ...b }))).status, JSON.stringify(b)).toBe(403);
    expect(calls).toBe(0);
    expect(rows()).toEqual([]);
  });

  it('the token (header) or a session (cookie) passes; each request leaves one row with actor and source', async () => {
    const session = issueSession(TOKEN, Date.now()).value;
    const before = calls;
    expect((await post(json(1, { authorization: `Bearer ${TOKEN}`, origin: 'http://127.0.0.1:3000', 'x-forwarded-for': '127.0.0.1' }))).status).toBe(200);
    expect((await post(json(2, { cookie: `a=b; ${SESSION_COOKIE}=${session}`, 'sec-fetch-site': 'same-origin', 'x-forwarded-for': '::ffff:10.1.2.3' }))).status).toBe(200);
    expect(calls - before).toBe(2);
    expect(rows().map((r) => [r.actor, r.action, r.detail])).toEqual([
      ['operator(session)', 'thing.do', { source: '10.1.2.3', status: 200, n: 2 }],
      ['operator(token)', 'thing.do', { source: '127.0.0.1', status: 200, n: 1 }],
    ]);
  });

  it('refusals of an authenticated request leave one `.refused` row each: bad JSON, wrong type, unknown key, the handler', async () => {
    const auth = { 'x-operator-token': TOKEN };
    const cases: [Request, number][] = [
      [req('POST', { ...auth, 'content-type': 'application/json' }, '{"n":'), 400],
      [req('POST', { ...auth, 'content-type': 'text/plain' }, '{"n":1}'), 415],
      [json('1', auth), 422],
      [json(11, auth), 422],
      [req('POST', { ...auth, 'content-type': 'application/json' }, '{"n":1,"x":2}'), 422],
      [json(7, auth), 409],
    ];
    for (const [r, status] of cases) expect((await post(r)).status).toBe(status);
    const got = rows().reverse();
    expect(got.map((r) => [r.action, r.detail.status])).toEqual(cases.map(([, s]) => ['thing.do.refused', s]));
    expect(got[2]!.detail.fields).toEqual([{ path: 'n', message: expect.any(String) }]);
    expect(got[4]!.detail.fields).toEqual([{ path: '(root)', message: expect.stringContaining('x') }]);
  });
});

describe('withApi: audit names', () => {
  it('a mutating route without an audit name gets one from its path, with the request body; audit:false and dry runs leave none', async () => {
    install({});
    const unnamed = withApi({ body: schema }, () => ({ ok: true }));
    const silent = withApi({ body: schema, audit: false }, () => ({ ok: true }));
    const preview = withApi({ body: schema, audit: { action: 'thing.preview' } }, ({ skipAudit }) => {
      skipAudit();
      return { ok: true };
    });
    expect((await unnamed(json(3))).status).toBe(200);
    expect((await unnamed(new Request('http://127.0.0.1:3000/api/jobs/backtest-00000000-0000-4000-8000-000000000000/x', { method: 'POST', headers: { host: '127.0.0.1:3000', 'content-type': 'application/json' }, body: '{"n":4}' }))).status).toBe(200);
    expect((await silent(json(3))).status).toBe(200);
    expect((await preview(json(3))).status).toBe(200);
    expect(rows().map((r) => [r.actor, r.action, r.detail])).toEqual([
      ['operator(local)', 'jobs.x.post', { source: 'local', status: 200, request: { n: 4 } }],
      ['operator(local)', 'thing.post', { source: 'local', status: 200, request: { n: 3 } }],
    ]);
  });
});

describe('withApi: reads', () => {
  it('reads are open without CONSOLE_PROTECT_READS, need the token or session with it; public routes stay open', async () => {
    install({ CONSOLE_TOKEN: TOKEN });
    expect((await read(req('GET'))).status).toBe(200);
    install({ CONSOLE_TOKEN: TOKEN, CONSOLE_PROTECT_READS: true });
    expect((await read(req('GET'))).status).toBe(401);
    expect((await read(req('GET', { authorization: `Bearer ${TOKEN}` }))).status).toBe(200);
    const session = issueSession(TOKEN, Date.now()).value;
    expect((await read(req('GET', { cookie: `${SESSION_COOKIE}=${session}` }))).status).toBe(200);
    expect((await read(req('GET', { cookie: `${SESSION_COOKIE}=${session}`, 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    const pub = await publicRead(req('GET'));
    expect(pub.status).toBe(200);
    expect(await pub.json()).toEqual({ actor: 'anonymous' });
    expect(rows()).toEqual([]);
  });
});

describe('withApi: body limits without buffering', () => {
  beforeEach(() => install({}));

  it('a declared Content-Length over 64 KiB is refused before a byte is read, on writes and reads alike', async () => {
    let pulled = 0;
    const body = () => new ReadableStream<Uint8Array>({ pull(c) { pulled++; c.enqueue(new Uint8Array(1024)); } });
    const big = String(10 * 1024 * 1024);
    expect((await post(req('POST', { 'content-type': 'application/json', 'content-length': big }, body()))).status).toBe(413);
    expect((await read(req('GET', { 'content-length': big }))).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1); // the stream's first pull may be primed by the Request; nothing is read
    expect(rows().map((r) => r.action)).toEqual(['thing.do.refused']);
  });

  it('a chunked 10 MB body is cut off just past the limit (the stream is cancelled, never read whole)', async () => {
    let sent = 0;
    let canceled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 10 * 1024 * 1024) return c.close();
        sent += 16 * 1024;
        c.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
      cancel() {
        canceled = true;
      },
    });
    const r = await post(req('POST', { 'content-type': 'application/json' }, stream));
    expect(r.status).toBe(413);
    expect(canceled).toBe(true);
    expect(sent).toBeLessThanOrEqual(MAX_BODY_BYTES + 3 * 16 * 1024);
  });

  it('a body just under the limit is read and parsed', async () => {
    const text = JSON.stringify({ n: 1 }).padEnd(MAX_BODY_BYTES - 1, ' ');
    expect((await post(req('POST', { 'content-type': 'application/json' }, text))).status).toBe(200);
  });
});

describe('requestSource', () => {
  it('the first x-forwarded-for entry when it is an IP address (IPv4-mapped unwrapped), else local', () => {
    const s = (v?: string) => requestSource(new Headers(v === undefined ? {} : { 'x-forwarded-for': v }));
    expect([s('127.0.0.1'), s('::1'), s('::ffff:127.0.0.1'), s('10.0.0.7, 127.0.0.1'), s('[::1]')]).toEqual(['127.0.0.1', '::1', '127.0.0.1', '10.0.0.7', '::1']);
    expect([s(), s(''), s('evil<script>'), s('unknown')]).toEqual(['local', 'local', 'local', 'local']);
  });
});

describe('POST /api/auth/login lockout', () => {
  it(`past ${LOGIN_FAILURES_PER_MINUTE} wrong tokens a minute the route answers 429 unchecked and unaudited, even for the right token`, async () => {
    install({ CONSOLE_TOKEN: TOKEN });
    const login = (token: string) => loginRoute(req('POST', { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' }, JSON.stringify({ token })));
    for (let i = 0; i < LOGIN_FAILURES_PER_MINUTE; i++) expect((await login('wrong-token-value-000')).status).toBe(401);
    expect(rows().filter((r) => r.action === 'auth.login.refused')).toHaveLength(LOGIN_FAILURES_PER_MINUTE);
    const locked = await login(TOKEN);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('too_many_requests');
    expect(locked.headers.get('set-cookie')).toBeNull();
    expect(rows()).toHaveLength(LOGIN_FAILURES_PER_MINUTE);
  });
});
