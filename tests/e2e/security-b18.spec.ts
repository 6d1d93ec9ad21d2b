/**
 * B18 (console security) and B17 (hostile config edits) over real HTTP against a second `next start` of the build
 * (its own port and data directory) with CONSOLE_TOKEN, CONSOLE_PROTECT_READS=1 and freshly generated trading secrets
 * in its environment, its stdout/stderr captured:
 * - every mutating route (read from app/api/**\/route.ts) answers 401 without the token, also with an
 *   x-middleware-subrequest header; 403 cross-site (foreign Origin, `Origin: null`, Sec-Fetch-Site) even with a valid
 *   login cookie; nothing applied and nothing audited;
 * - reads need the token or the login session (health says its status word only); pages redirect to /login and an
 *   RSC request carries no page data; the login page (1440 and 390 px screenshots), its cookie, logout revocation;
 * - malformed, mistyped, hostile and oversized bodies (1 MB with a length, 10 MB chunked) -> 4xx with field errors,
 *   config version unchanged; B17: each refused edit leaves the previous version and one audit row, two concurrent
 *   PATCHes on the same version -> one applied (one row with the diff), one 409 (one row);
 * - the alerts webhook (its URL a secret, pointing at a local receiver): the dashboard shows its host only, and
 *   "Send test" delivers one test alert, audited;
 * - the secrets (the webhook URL's token among them) appear in no server log line, API response, SSE frame, or file of the build; the server listens on
 *   127.0.0.1 only (read from the kernel's socket table: no connection to a non-loopback address is attempted, as
 *   this workplace forbids traffic to such addresses).
 */
import { expect, request as pwRequest, test, type APIRequestContext } from '@playwright/test';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { apiRoutes, readSse, screenshotDesktopAndPhone, startConsoleServer, type ConsoleServer } from './helpers';

const SECRETS = {
  POLY_PRIVATE_KEY: `0x${randomBytes(32).toString('hex')}`,
  POLY_API_KEY: randomUUID(),
  POLY_API_SECRET: randomBytes(32).toString('base64url'),
  POLY_API_PASSPHRASE: randomBytes(24).toString('hex'),
};
const TOKEN = `e2e-console-${randomBytes(12).toString('hex')}`;
/** The path token of the alerts webhook URL (Slack-style: the URL is the credential). */
const HOOK_SECRET = `hook-${randomBytes(16).toString('hex')}`;
const SECRET_VALUES = [...Object.values(SECRETS), SECRETS.POLY_PRIVATE_KEY.slice(2), TOKEN, HOOK_SECRET];
const BYPASS = 'middleware:middleware:middleware:middleware:middleware';
const routes = apiRoutes();
const MUTATING = routes.flatMap((r) => r.methods.filter((m) => m !== 'GET').map((method) => ({ ...r, method })));
const READS = routes.filter((r) => r.methods.includes('GET'));
const hasSecret = (text: string) => SECRET_VALUES.filter((s) => text.includes(s));

let server: ConsoleServer;
/** The local webhook receiver: every POST body it got, by path. */
let hook: Server;
const hookPosts: { path: string; body: { kind?: string; text?: string } }[] = [];
let anon: APIRequestContext;
let op: APIRequestContext;
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hookPosts.push({ path: req.url ?? '', body: JSON.parse(body || '{}') as { kind?: string } });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((res) => hook.listen(0, '127.0.0.1', res));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/services/${HOOK_SECRET}`;
  server = await startConsoleServer({ CONSOLE_TOKEN: TOKEN, CONSOLE_PROTECT_READS: '1', LOG_LEVEL: 'debug', UPDOWN_ENABLE_TEST_ROUTES: '1', ALERT_WEBHOOK_URL: hookUrl, ...SECRETS });
  anon = await pwRequest.newContext({ baseURL: server.baseURL });
  op = await pwRequest.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  await expect.poll(async () => ((await (await op.get('/api/status')).json()) as { state: string }).state, { timeout: 30_000 }).toBe('running');
});
test.afterAll(async () => {
  await anon?.dispose();
  await op?.dispose();
  await server?.stop();
  await new Promise((res) => hook?.close(res));
});

interface Row { id: number; actor: string; action: string; detail: Record<string, unknown> }
/** Rows after `id` attributed to a requester (operator or anonymous login), oldest first; automatic rows are not requests. */
async function rowsAfter(id: number): Promise<Row[]> {
  const j = (await (await op.get('/api/audit?limit=1000')).json()) as { entries: Row[] };
  return j.entries.filter((e) => e.id > id && (e.actor === 'anonymous' || e.actor.startsWith('operator'))).reverse();
}
/** Reads that answer at once (the event stream never ends; it is read with readSse). */
const PLAIN_READS = READS.filter((r) => r.pattern !== '/api/events');
/** Probes reachable without the token (liveness, readiness): a stranger gets one status word, nothing else. */
const PROBES = ['/api/health', '/api/ready'];
const lastId = async () => ((await (await op.get('/api/audit?limit=1')).json()) as { entries: Row[] }).entries[0]?.id ?? 0;
const snapshot = async () => {
  const c = (await (await op.get('/api/config')).json()) as { version: number; hash: string };
  const k = (await (await op.get('/api/kill-switch')).json()) as { state: string };
  const s = (await (await op.get('/api/status')).json()) as { state: string };
  return { version: c.version, hash: c.hash, kill: k.state, runtime: s.state };
};
const loginContext = async () => {
  const ctx = await pwRequest.newContext({ baseURL: server.baseURL });
  expect((await ctx.post('/api/auth/login', { data: { token: TOKEN } })).status()).toBe(200);
  return ctx;
};

test('B18: no token -> 401 on every mutating route (from app/api/**/route.ts), x-middleware-subrequest changes nothing', async () => {
  expect(MUTATING.map((r) => `${r.method} ${r.pattern}`)).toEqual(expect.arrayContaining(['POST /api/kill-switch', 'PATCH /api/config', 'POST /api/bot/stop', 'POST /api/arming', 'DELETE /api/sweeps/[id]', 'POST /api/auth/login', 'POST /api/auth/logout']));
  const before = await snapshot();
  const id = await lastId();
  for (const r of MUTATING) {
    for (const headers of [{}, { 'x-middleware-subrequest': BYPASS }, { 'x-middleware-subrequest': 'src/middleware', authorization: 'Bearer wrong-token-0000' }] as Record<string, string>[]) {
      const data = r.pattern === '/api/auth/login' ? { token: 'not-the-console-token' } : {};
      const res = await anon.fetch(r.path, { method: r.method, headers, data });
      expect(res.status(), `${r.method} ${r.path} ${JSON.stringify(headers)}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  }
  expect(await snapshot()).toEqual(before);
  // Only the login attempts (checked, wrong token) are audited; no other refused stranger grows the trail.
  expect((await rowsAfter(id)).map((r) => [r.actor, r.action, r.detail.source])).toEqual(Array(3).fill(['anonymous', 'auth.login.refused', '127.0.0.1']));
});

test('B18: cross-site requests -> 403 on every mutating route even with a valid login cookie or the token', async () => {
  const session = await loginContext();
  const before = await snapshot();
  const id = await lastId();
  for (const r of MUTATING) {
    for (const headers of [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { origin: `http://127.0.0.1:${server.port + 1}` }] as Record<string, string>[]) {
      const res = await session.fetch(r.path, { method: r.method, headers, data: r.pattern === '/api/auth/login' ? { token: TOKEN } : {} });
      expect(res.status(), `${r.method} ${r.path} ${JSON.stringify(headers)}`).toBe(403);
    }
    expect((await op.fetch(r.path, { method: r.method, headers: { origin: 'null' }, data: {} })).status()).toBe(403);
  }
  expect(await snapshot()).toEqual(before);
  expect(await rowsAfter(id)).toEqual([]);
  await session.dispose();
});

test('B18: CONSOLE_PROTECT_READS: every read needs the token or the login session; pages go to /login and leak nothing', async () => {
  const marker = `READ-MARKER-${randomBytes(4).toString('hex')}`;
  expect((await op.post('/api/kill-switch', { data: { state: 'reducing', reason: marker } })).status()).toBe(200);
  expect((await op.post('/api/kill-switch', { data: { state: 'active', reason: `${marker} back` } })).status()).toBe(200);
  const session = await loginContext();
  expect(READS.length).toBeGreaterThan(15);
  for (const r of PLAIN_READS) {
    const a = await anon.get(r.path);
    const s = await session.get(r.path);
    if (PROBES.includes(r.pattern)) {
      expect([200, 503], r.path).toContain(a.status());
      expect(Object.keys((await a.json()) as object), r.path).toHaveLength(1);
      expect(Object.keys((await s.json()) as object).length, r.path).toBeGreaterThan(1);
      continue;
    }
    expect(a.status(), r.path).toBe(401);
    const expected = r.pattern.includes('[id]') ? 404 : r.pattern === '/api/replay/frame' ? 400 : 200;
    expect(s.status(), r.path).toBe(expected);
  }
  expect((await fetch(`${server.baseURL}/api/events`)).status).toBe(401);
  const cookie = (await session.storageState()).cookies.find((c) => c.name === 'updown_session')!;
  const frames = await readSse({ base: server.baseURL, headers: { cookie: `updown_session=${cookie.value}` }, until: (m) => m.some((x) => x.event === 'hello'), timeoutMs: 5_000 });
  expect(frames[0]?.event).toBe('hello');

  for (const page of ['/', '/audit', '/config', '/orders', '/feeds', '/book', '/strategy', '/replay', '/calibration']) {
    const doc = await anon.get(page, { maxRedirects: 0 });
    expect(doc.status(), page).toBe(307);
    expect(doc.headers().location).toBe('/login');
  }
  const rsc = await anon.get('/audit?_rsc', { headers: { RSC: '1' }, maxRedirects: 0 });
  expect(await rsc.text()).not.toContain(marker);
  const authed = await session.get('/audit');
  expect(authed.status()).toBe(200);
  expect(await authed.text()).toContain(marker);
  expect((await anon.get('/login')).status()).toBe(200);
  await session.dispose();
});

test('B18: login page, HttpOnly SameSite=Strict cookie without the token, audited login and logout, revoked session', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const id = await lastId();
  await page.goto('/audit');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('login-card')).toBeVisible();
  await screenshotDesktopAndPhone(page, 'login', page.getByTestId('login-card'));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('login-token').fill('definitely-not-it');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('this is not the console token');
  await page.getByTestId('login-token').fill(TOKEN);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(`${server.baseURL}/`);
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream', { timeout: 15_000 });
  const cookie = (await context.cookies()).find((c) => c.name === 'updown_session')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(cookie.value).not.toContain(TOKEN);
  expect(hasSecret(cookie.value)).toEqual([]);

  // With a token configured, the bar links the session page; logging out starts there.
  await page.getByTestId('session-link').click();
  await expect(page).toHaveURL(`${server.baseURL}/login`);
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-token')).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === 'updown_session')).toBeUndefined();
  // The old value is revoked on the server, not only forgotten by the browser.
  expect((await anon.get('/api/status', { headers: { cookie: `updown_session=${cookie.value}` } })).status()).toBe(401);
  expect((await rowsAfter(id)).map((r) => [r.actor, r.action, r.detail.source])).toEqual([
    ['anonymous', 'auth.login.refused', '127.0.0.1'],
    ['operator(session)', 'auth.login', '127.0.0.1'],
    ['operator(session)', 'auth.logout', '127.0.0.1'],
  ]);
  await context.close();
});

test('alerts webhook: the dashboard shows its host (never the URL) and "Send test" delivers one test alert, audited', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1440, height: 900 }, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
  const page = await context.newPage();
  const id = await lastId();
  await page.goto('/');
  const hookHost = `127.0.0.1:${(hook.address() as AddressInfo).port}`;
  await expect(page.getByTestId('webhook-state')).toHaveAttribute('data-configured', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('webhook-state')).toContainText(hookHost);
  expect(hasSecret(await page.getByTestId('alerts-webhook').innerText())).toEqual([]);
  const tests = () => hookPosts.filter((p) => p.body.kind === 'test');
  expect(tests()).toHaveLength(0);
  await page.getByTestId('webhook-test').click();
  await expect(page.getByTestId('webhook-test-result')).toHaveText('delivered (HTTP 200)');
  expect(tests()).toHaveLength(1);
  expect(tests()[0]!.path).toBe(`/services/${HOOK_SECRET}`);
  expect(tests()[0]!.body.text).toContain('test from the console');
  await expect(page.getByTestId('webhook-counts')).toContainText(/sent [1-9]/);
  expect((await rowsAfter(id)).map((r) => [r.actor, r.action, r.detail.host, r.detail.delivered])).toEqual([['operator(token)', 'alerts.test', hookHost, true]]);
  await page.getByTestId('alerts-card').screenshot({ path: test.info().outputPath('alerts-webhook.png') });
  await context.close();
});

test('B18: malformed, mistyped, hostile and oversized bodies -> 4xx with field errors, nothing applied', async () => {
  const before = await snapshot();
  const mb = JSON.stringify({ reason: 'x'.repeat(1024 * 1024) });
  for (const r of MUTATING) {
    const big = await op.fetch(r.path, { method: r.method, headers: { 'content-type': 'application/json' }, data: Buffer.from(mb) });
    expect(big.status(), `1 MB to ${r.path}`).toBe(413);
  }
  const cases: [string, string, unknown, number, string | null][] = [
    ['PATCH', '/api/config', '{"patch":', 400, null],
    ['PATCH', '/api/config', { patch: { risk: { maxUsdPerTrade: 'ten' } }, reason: 'types' }, 422, 'risk.maxUsdPerTrade'],
    ['POST', '/api/kill-switch', { state: 'off', reason: 'nope' }, 422, 'state'],
    ['POST', '/api/kill-switch', { state: 'halted', reason: 5 }, 422, 'reason'],
    ['POST', '/api/bot/stop', { reason: 'x'.repeat(600) }, 422, 'reason'],
    ['POST', '/api/arming', { action: 'arm', confirm: 5, reason: '<script>alert(1)</script>' }, 422, 'confirm'],
    ['POST', '/api/backtests', { sessions: '../../etc/passwd' }, 422, 'sessions'],
    ['POST', '/api/sweeps', { sessions: ['x'], grid: {}, __proto__: { polluted: true } }, 422, 'grid'],
    ['POST', '/api/config/revert', { version: 'latest', reason: 'x' }, 422, 'version'],
  ];
  for (const [method, path, data, status, field] of cases) {
    const res = await op.fetch(path, { method, headers: { 'content-type': 'application/json' }, data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)) });
    const body = (await res.json()) as { error: { message: string; fields?: { path: string }[] } };
    expect(res.status(), `${method} ${path}`).toBe(status);
    expect(body.error.message.length).toBeGreaterThan(0);
    if (field) expect(body.error.fields?.map((f) => f.path), `${method} ${path}`).toContain(field);
  }
  expect((await op.post('/api/kill-switch', { headers: { 'content-type': 'text/plain' }, data: Buffer.from('{"state":"halted","reason":"wrong type"}') })).status()).toBe(415);
  // 10 MB without a Content-Length (chunked): refused once 64 KiB have arrived, the connection does not hang.
  const status = await new Promise<number>((resolve) => {
    const req = httpRequest(`${server.baseURL}/api/config`, { method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 10 * 1024 * 1024 && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
  expect(status).toBe(413);
  expect(await snapshot()).toEqual(before);
});

test('B17: hostile config edits over HTTP leave the previous version and one audit row each; concurrent PATCHes: one wins', async () => {
  const before = await snapshot();
  const raw: [string, string][] = [
    ['wrong type', '{"patch":{"risk":{"maxDailyLossUsd":"lots"}},"reason":"b17 wrong type"}'],
    ['unknown key', '{"patch":{"risk":{"maxLeverage":3}},"reason":"b17 unknown key"}'],
    ['out of range', '{"patch":{"risk":{"maxUsdPerTrade":-5}},"reason":"b17 out of range"}'],
    ['NaN', '{"patch":{"risk":{"maxUsdPerTrade":NaN}},"reason":"b17 nan"}'],
    ['huge', '{"patch":{"risk":{"maxUsdPerTrade":1e308}},"reason":"b17 huge"}'],
    ['overflow', '{"patch":{"heartbeatMs":1e400},"reason":"b17 overflow"}'],
    ['script', '{"patch":{"strategies":[{"id":"<script>alert(1)</script>","type":"hammer","params":{}}]},"reason":"<img src=x onerror=alert(1)>"}'],
    ['proto', '{"patch":{"__proto__":{"polluted":true}},"reason":"b17 proto"}'],
  ];
  for (const [kind, body] of raw) {
    const id = await lastId();
    const res = await op.fetch('/api/config', { method: 'PATCH', headers: { 'content-type': 'application/json' }, data: Buffer.from(body) });
    const err = ((await res.json()) as { error: { fields?: { path: string; message: string }[] } }).error;
    expect([400, 422], kind).toContain(res.status());
    if (res.status() === 422) expect(err.fields!.every((f) => f.path.length > 0 && f.message.length > 0) && err.fields!.length > 0, kind).toBe(true);
    expect(await snapshot(), kind).toEqual(before);
    const rows = await rowsAfter(id);
    expect(rows.map((r) => [r.actor, r.action, r.detail.source]), kind).toEqual([['operator(token)', 'config.apply.refused', '127.0.0.1']]);
  }
  const cur = (await (await op.get('/api/config')).json()) as { version: number; config: { risk: { maxUsdPerTrade: number } } };
  const id = await lastId();
  const next = cur.config.risk.maxUsdPerTrade === 4 ? 3 : 4;
  const send = (v: number) => op.patch('/api/config', { data: { patch: { risk: { maxUsdPerTrade: v } }, reason: `b17 concurrent ${v}`, expectVersion: cur.version } });
  const [a, b] = await Promise.all([send(next), send(next + 1)]);
  expect([a.status(), b.status()].sort()).toEqual([200, 409]);
  const after = await snapshot();
  expect(after.version).toBe(before.version + 1);
  const rows = await rowsAfter(id);
  expect(rows.map((r) => r.action).sort()).toEqual(['config.apply', 'config.apply.conflict']);
  const applied = rows.find((r) => r.action === 'config.apply')!;
  const won = a.status() === 200 ? next : next + 1;
  expect(applied.detail.diff).toEqual([expect.objectContaining({ path: 'risk.maxUsdPerTrade', from: String(cur.config.risk.maxUsdPerTrade), to: String(won) })]);
  expect(((await (await op.get('/api/config')).json()) as { config: { risk: { maxUsdPerTrade: number } } }).config.risk.maxUsdPerTrade).toBe(won);
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('B18: the secrets are in no server log line, API response, SSE frame or build file', async () => {
  const bodies: string[] = [];
  for (const r of PLAIN_READS) bodies.push(await (await op.get(r.path)).text());
  for (const r of MUTATING) bodies.push(await (await anon.fetch(r.path, { method: r.method, data: {} })).text());
  bodies.push(await (await op.post('/api/kill-switch', { data: { state: 'active', reason: 'secret scan' } })).text());
  for (const b of bodies) expect(hasSecret(b)).toEqual([]);
  expect(bodies.join('').length).toBeGreaterThan(10_000);

  const raw: string[] = [];
  // From the start of the bus history: every kind of event the runtime published so far.
  await readSse({ base: server.baseURL, headers: { authorization: `Bearer ${TOKEN}` }, lastEventId: 0, raw, until: (m) => m.length >= 200, timeoutMs: 5_000 });
  expect(raw.length).toBeGreaterThan(5);
  expect(hasSecret(raw.join('\n'))).toEqual([]);

  expect(server.logs.length).toBeGreaterThan(10);
  expect(server.logs.filter((l) => hasSecret(l).length > 0)).toEqual([]);

  const dist = process.env.NEXT_DIST_DIR ?? '.next';
  const staticFiles = filesUnder(join(dist, 'static'));
  const serverFiles = filesUnder(join(dist, 'server'));
  expect(staticFiles.length).toBeGreaterThan(5);
  expect(serverFiles.length).toBeGreaterThan(5);
  for (const f of [...staticFiles, ...serverFiles, ...filesUnder(join(dist, 'cache', 'fetch-cache'))]) expect(hasSecret(readFileSync(f, 'latin1')), f).toEqual([]);
  // Server-only code (credential readers) never reaches the browser bundle.
  for (const f of staticFiles) expect(readFileSync(f, 'latin1'), f).not.toMatch(/POLY_PRIVATE_KEY|POLY_API_SECRET|POLY_API_PASSPHRASE/);
});

test('B18: the consoles listen on loopback only (kernel socket table for both test servers)', () => {
  const listening = (port: number) =>
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((c) => c.length > 3 && c[3] === '0A' && parseInt(c[1]!.split(':')[1]!, 16) === port).map((c) => c[1]!.split(':')[0]!),
    );
  // /proc/net/tcp* hold addresses as little-endian 32-bit words: 127.x.y.z ends in 7F; ::1 and ::ffff:127.x.y.z likewise.
  const loopback = (hex: string) => (hex.length === 8 ? /7F$/i.test(hex) : hex === '00000000000000000000000001000000' || /^0000000000000000FFFF0000[0-9A-F]{6}7F$/i.test(hex));
  for (const port of [server.port, Number(process.env.E2E_PORT)]) {
    const addrs = listening(port);
    expect(addrs.length, `port ${port}`).toBeGreaterThan(0);
    expect(addrs.filter((a) => !loopback(a)), `port ${port} listens beyond loopback`).toEqual([]);
  }
});
