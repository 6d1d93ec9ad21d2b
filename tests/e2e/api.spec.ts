/**
 * HTTP-level behaviour of the built console: one runtime per process, SSE resume, bounded slow clients,
 * concurrent lifecycle calls, the error shape, and the origin/token checks.
 */
import { expect, test } from '@playwright/test';
import { connect } from 'node:net';
import { botEventSchema } from '../../lib/schemas/events';
import { baseURL, emit, readSse, setKillSwitch, status } from './helpers';

test.describe.configure({ mode: 'serial' });

test('one runtime instance: the hook started it and every route handler and the SSE stream see the same one', async ({ request }) => {
  const s = await status(request);
  const health = await (await request.get('/api/health')).json();
  expect(health.instanceId).toBe(s.instanceId);
  const msgs = await readSse({ lastEventId: 0, until: (m) => m.filter((x) => x.event === 'message').length >= 2 });
  const hello = msgs.find((m) => m.event === 'hello')!.data as { instanceId: string };
  expect(hello.instanceId).toBe(s.instanceId);
  const events = msgs.filter((m) => m.event === 'message').map((m) => botEventSchema.parse(m.data));
  // The very first events were published by the instance the instrumentation hook created at boot.
  expect(events[0]).toMatchObject({ type: 'runtime.state', state: 'starting', reason: 'boot', instanceId: s.instanceId, seq: 1 });
  const many = await Promise.all(Array.from({ length: 8 }, () => status(request)));
  expect(new Set(many.map((x) => x.instanceId))).toEqual(new Set([s.instanceId]));
});

test('SSE resume with Last-Event-ID delivers exactly the missed events', async ({ request }) => {
  const first = await readSse({ until: (m) => m.some((x) => x.event === 'hello') });
  const lastSeen = (first.find((m) => m.event === 'hello')!.data as { lastSeq: number }).lastSeq;
  const lastEmitted = await emit(request, 25);
  const resumed = await readSse({ lastEventId: lastSeen, until: (m) => m.some((x) => x.id === lastEmitted) });
  const ids = resumed.filter((m) => m.event === 'message').map((m) => m.id!);
  const upTo = ids.slice(0, ids.indexOf(lastEmitted) + 1);
  expect(upTo).toEqual(Array.from({ length: lastEmitted - lastSeen }, (_, i) => lastSeen + 1 + i));
  expect(new Set(upTo).size).toBe(upTo.length);
  // Asking for events older than the history holds gets an explicit resync, not a silent gap.
  await emit(request, 12_000, 20);
  const tooOld = await readSse({ lastEventId: 1, until: (m) => m.some((x) => x.event === 'resync') });
  expect(tooOld.some((m) => m.event === 'resync')).toBe(true);
});

test('a client that stops reading is cut off at its bound and server memory stays bounded', async ({ request }) => {
  const before = await status(request);
  const sock = connect(Number(new URL(baseURL).port), '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  sock.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
  sock.pause(); // never read: the kernel buffers fill, then the server-side queue
  await expect.poll(async () => (await status(request)).sse.clients, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
  for (let i = 0; i < 12; i++) await emit(request, 4_000, 500); // ~24 MB through the stream
  await expect.poll(async () => (await status(request)).sse.dropped, { timeout: 10_000 }).toBeGreaterThan(before.sse.dropped);
  const after = await status(request);
  expect(after.sse.maxQueuedBytes).toBeLessThanOrEqual(262_144);
  expect(after.process.rssBytes - before.process.rssBytes).toBeLessThan(150 * 1024 * 1024);
  sock.destroy();
});

test('concurrent start/stop/restart calls end in a consistent state with only legal transitions', async ({ request }) => {
  const from = (await status(request)).bus.lastSeq;
  const actions = ['stop', 'start', 'restart', 'stop', 'start', 'start', 'restart', 'stop', 'start', 'restart'];
  const responses = await Promise.all(actions.map((a) => request.post(`/api/bot/${a}`, { data: {} })));
  for (const r of responses) expect(r.status()).toBe(200);
  const final = await status(request);
  expect(['running', 'stopped']).toContain(final.state);
  const msgs = await readSse({ lastEventId: from, until: (m) => m.some((x) => x.id === final.bus.lastSeq) || m.some((x) => x.event === 'resync') });
  const states = msgs.filter((m) => m.event === 'message').map((m) => botEventSchema.parse(m.data)).filter((e) => e.type === 'runtime.state');
  expect(states.length).toBeGreaterThan(0);
  const legal: Record<string, string[]> = { stopped: ['starting'], starting: ['running', 'error', 'stopping'], running: ['stopping', 'error'], stopping: ['stopped', 'error'], error: ['starting', 'stopping', 'stopped'] };
  for (let i = 1; i < states.length; i++) {
    const prev = states[i - 1]!;
    const cur = states[i]!;
    if (prev.type !== 'runtime.state' || cur.type !== 'runtime.state') continue;
    expect(cur.prevState).toBe(prev.state);
    expect(legal[prev.state]).toContain(cur.state);
  }
  const last = states.at(-1)!;
  expect(last.type === 'runtime.state' && last.state).toBe(final.state);
  await request.post('/api/bot/start', { data: {} });
});

test('bad request bodies get 422 with field paths; other bad input gets the right code', async ({ request }) => {
  const r1 = await request.post('/api/kill-switch', { data: { state: 'bogus', reason: 5, extra: true } });
  expect(r1.status()).toBe(422);
  const b1 = await r1.json();
  expect(b1.error.code).toBe('validation_failed');
  const paths = b1.error.fields.map((f: { path: string }) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['state', 'reason']));
  expect(b1.error.fields.some((f: { message: string }) => /unrecognized/i.test(f.message))).toBe(true);

  const r2 = await request.post('/api/kill-switch', { data: { state: 'halted', reason: '' } });
  expect(r2.status()).toBe(422);
  expect((await r2.json()).error.fields[0].path).toBe('reason');

  const r3 = await request.post('/api/kill-switch', { headers: { 'content-type': 'application/json' }, data: Buffer.from('{not json') });
  expect(r3.status()).toBe(400);
  expect((await r3.json()).error.code).toBe('bad_request');

  const r4 = await request.post('/api/kill-switch', { headers: { 'content-type': 'text/plain' }, data: Buffer.from('state=halted') });
  expect(r4.status()).toBe(415);

  const r5 = await request.post('/api/bot/start', { data: { reason: 'x', force: true } });
  expect(r5.status()).toBe(422);
  expect((await status(request)).killSwitch.state).toBe('active');
});

test('cross-origin and Origin: null mutations are refused; same-origin passes', async ({ request }) => {
  const evil = await request.post('/api/kill-switch', { headers: { origin: 'http://evil.example' }, data: { state: 'halted', reason: 'csrf attempt' } });
  expect(evil.status()).toBe(403);
  const nul = await request.post('/api/kill-switch', { headers: { origin: 'null' }, data: { state: 'halted', reason: 'csrf attempt' } });
  expect(nul.status()).toBe(403);
  const site = await request.post('/api/kill-switch', { headers: { 'sec-fetch-site': 'cross-site' }, data: { state: 'halted', reason: 'csrf attempt' } });
  expect(site.status()).toBe(403);
  expect((await status(request)).killSwitch.state).toBe('active');
  const ok = await request.post('/api/kill-switch', { headers: { origin: baseURL }, data: { state: 'reducing', reason: 'same origin test' } });
  expect(ok.status()).toBe(200);
  const back = await setKillSwitch(request, 'active', 'back to normal');
  expect(back.status()).toBe(200);
});

test('Prometheus metrics expose runtime and trading state', async ({ request }) => {
  const res = await request.get('/api/metrics');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('text/plain');
  const text = await res.text();
  expect(text).toMatch(/updown_runtime_state\{state="running"\} 1/);
  expect(text).toMatch(/updown_trading_state\{state="active"\} 1/);
  expect(text).toMatch(/updown_bus_events_published \d+/);
  expect(text).toMatch(/updown_process_resident_memory_bytes \d+/);
});
