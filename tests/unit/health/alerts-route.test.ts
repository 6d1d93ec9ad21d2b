/**
 * POST /api/alerts/test over the real route handler (withApi: same-origin, body schema, audit) on a bare runtime whose
 * alerts webhook points at a real local HTTP server on a free port: one POST of kind `test` reaches the server, the
 * answer carries the webhook's status and host (never the URL or its token), one audit row `alerts.test` is written;
 * a webhook answering 500 is reported as not delivered (still a 200: the test ran); no webhook configured -> 409;
 * a cross-site request -> 403 and nothing is sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { alertPayloadSchema, type AlertPayload } from '../../../bot/health/alerts/alert-payload';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import { alertTestResponseSchema, alertTestRoute } from '../../../lib/server/alerts-route';
import type { RuntimeHolder } from '../../../lib/server/runtime-registry';

const KEY = Symbol.for('updown.runtime.v1');
const TOKEN_PATH = '/webhook/T0KEN-route-test-7f3a9c';
const g = globalThis as Record<symbol, unknown>;
const prevHolder = g[KEY];

let server: Server;
let port: number;
const received: { path: string; body: AlertPayload }[] = [];
let answer = 200;

function bareRuntime(url: string | undefined): Runtime {
  const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim' });
  return createRuntime({ instanceId: 'route-test', version: 't', config, clock: new SimClock(1_791_158_400_000), store: openStore(':memory:'), bare: true, ...(url ? { alertWebhookUrl: url } : {}) });
}

function install(runtime: Runtime): void {
  g[KEY] = { runtime, env: {}, shuttingDown: false, disposers: [] } as unknown as RuntimeHolder;
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await alertTestRoute(
    new Request('http://127.0.0.1:3000/api/alerts/test', { method: 'POST', headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
  );
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: alertPayloadSchema.parse(JSON.parse(data)) });
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  g[KEY] = prevHolder;
  await new Promise((r) => server.close(r));
});

describe('POST /api/alerts/test', () => {
  let rt: Runtime;
  beforeAll(() => {
    rt = bareRuntime(`http://127.0.0.1:${port}${TOKEN_PATH}`);
    install(rt);
  });
  afterAll(async () => rt.dispose('done'));

  it('sends exactly one test alert to the webhook and answers with its status and host, never the URL', async () => {
    received.length = 0;
    const r = await post({ note: 'ping from the test' });
    expect(r.status).toBe(200);
    const body = alertTestResponseSchema.parse(JSON.parse(r.text));
    expect(body).toEqual({ configured: true, host: `127.0.0.1:${port}`, enabled: true, delivered: true, status: 200, attempts: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe(TOKEN_PATH);
    expect(received[0]!.body).toMatchObject({ kind: 'test', test: true, severity: 'info', message: 'sent from the console by operator(local): ping from the test' });
    expect(r.text).not.toContain('T0KEN');
    const audit = rt.store.audit.query({ limit: 10, actionPrefix: 'alerts.' });
    expect(audit.map((a) => a.action)).toEqual(['alerts.test']);
    expect(audit[0]!.detail).toMatchObject({ host: `127.0.0.1:${port}`, delivered: true, webhookStatus: 200 });
    expect(JSON.stringify(audit)).not.toContain('T0KEN');
  });

  it('a webhook answering 500 is reported as not delivered after one attempt', async () => {
    received.length = 0;
    answer = 500;
    try {
      const r = await post({});
      expect(r.status).toBe(200);
      expect(alertTestResponseSchema.parse(JSON.parse(r.text))).toMatchObject({ delivered: false, status: 500, attempts: 1, error: 'HTTP 500' });
      expect(received).toHaveLength(1);
    } finally {
      answer = 200;
    }
  });

  it('a cross-site request is refused and sends nothing', async () => {
    received.length = 0;
    const r = await post({}, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(received).toHaveLength(0);
  });

  it('an unknown body field is a 422 naming it, and sends nothing', async () => {
    received.length = 0;
    const r = await post({ url: 'https://elsewhere.example/hook' });
    expect(r.status).toBe(422);
    expect(received).toHaveLength(0);
  });
});

describe('POST /api/alerts/test without a webhook', () => {
  it('409 with what to set; nothing sent', async () => {
    const rt = bareRuntime(undefined);
    install(rt);
    received.length = 0;
    try {
      const r = await post({});
      expect(r.status).toBe(409);
      expect(JSON.parse(r.text).error.message).toMatch(/ALERT_WEBHOOK_URL/);
      expect(received).toHaveLength(0);
    } finally {
      await rt.dispose('done');
    }
  });
});
