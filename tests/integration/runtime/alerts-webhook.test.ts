/**
 * The alerts webhook end to end: a paper runtime (createRuntime: embedded simulator, venue session, risk) on a
 * SimClock, with ALERT_WEBHOOK_URL pointing at a real local HTTP server on a free port whose path carries a token.
 * - a kill-switch change -> exactly one POST of kind `kill_switch`;
 * - a stall of the market socket (the simulator's fault API) -> exactly one POST of kind `feed_stall` for
 *   clob-market (its first attempt is cut off by the server: delivered by the retry), and one `feed_recovered` once
 *   data flows again;
 * - every POST is the documented JSON (text + structured fields, this run's id);
 * - the URL's token appears in no captured log line, bus event (the SSE stream) or status.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { alertPayloadSchema, type AlertPayload } from '../../../bot/health/alerts/alert-payload';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import type { Logger } from '../../../bot/util/logger';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';
import { advance, flushIo } from '../sim/helpers';

const DAY0_MS = 1791158400_000;
const SECRET = 'hOoKt0kEn-9d2f7c1ae4b8';

/** Captures every log line as the JSON it would be written as (bindings of child loggers included). */
function captureLogger(lines: string[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void lines.push(JSON.stringify({ level, ...bindings, ...obj, msg }));
  return { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: (b: Record<string, unknown>) => captureLogger(lines, { ...bindings, ...b }) };
}

describe('alerts webhook from a paper runtime on the simulator', () => {
  let server: Server;
  let rt: Runtime;
  let clock: SimClock;
  const posts: { path: string; body: AlertPayload }[] = [];
  /** POSTs the server cut off without an answer (a network error for the sender). */
  const cut: AlertPayload[] = [];
  let cutNext = 0;
  const logs: string[] = [];
  const events: BotEvent[] = [];
  const kinds = () => posts.map((p) => p.body.kind);
  const count = (kind: string) => kinds().filter((k) => k === kind).length;

  /** Advance simulated time in 1 s steps (real I/O in between) until `done` holds; throws after maxMs. */
  async function until(done: () => boolean, what: string, maxMs = 60_000): Promise<void> {
    const end = clock.nowMs() + maxMs;
    while (!done()) {
      if (clock.nowMs() >= end) throw new Error(`timed out waiting for ${what}; POSTs so far: ${kinds().join(', ')}`);
      await advance(clock, 1_000, 1_000);
    }
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        const body = alertPayloadSchema.parse(JSON.parse(data));
        if (cutNext > 0) {
          cutNext--;
          cut.push(body);
          req.socket.destroy();
          return;
        }
        posts.push({ path: req.url ?? '', body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    clock = new SimClock(DAY0_MS + 10_000);
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 11 }, series: [{ asset: 'btc', windowSec: 300 }] });
    rt = createRuntime({
      instanceId: 'alerts-it', version: 't', config, clock, store: openStore(':memory:'), logger: captureLogger(logs),
      alertWebhookUrl: `http://127.0.0.1:${port}/hooks/${SECRET}?key=${SECRET}`,
    });
    rt.bus.onAny((e) => {
      if (e.type === 'book.top' || e.type === 'book.snapshot' || e.type === 'ref.price' || e.type === 'spot.price') return;
      events.push(e);
    });
    const starting = rt.start('test');
    for (let i = 0; i < 200 && rt.status().state === 'starting'; i++) await flushIo();
    expect(await starting).toBe('running');
    // Warm up until the market socket carries fresh books.
    await until(() => events.some((e) => e.type === 'feed.health' && e.feed === 'clob-market' && e.state === 'open' && !e.stale), 'a fresh market feed');
    await advance(clock, 5_000, 1_000);
  }, 120_000);

  afterAll(async () => {
    await rt?.dispose('test done');
    await new Promise((r) => server?.close(r));
  });

  it('a kill-switch change produces exactly one POST of kind kill_switch', async () => {
    const before = posts.length;
    rt.killSwitch.set({ state: 'halted', reason: 'alerts integration test', actor: 'operator(test)' });
    await until(() => count('kill_switch') >= 1, 'the kill_switch POST', 10_000);
    await advance(clock, 10_000, 1_000);
    expect(count('kill_switch')).toBe(1);
    const p = posts.slice(before).find((x) => x.body.kind === 'kill_switch')!;
    expect(p.path).toBe(`/hooks/${SECRET}?key=${SECRET}`);
    expect(p.body).toMatchObject({ severity: 'danger', title: 'kill switch active → halted', mode: 'paper', venue: 'sim', runId: 'alerts-it', test: false });
    expect(p.body.message).toContain('alerts integration test');
    expect(p.body.runNumber).toEqual(expect.any(Number));
    expect(p.body.text).toContain(`paper/sim run ${p.body.runNumber}`);
    expect(p.body.text).toContain('[DANGER] kill switch active → halted');
    expect(events.some((e) => e.type === 'alert.sent' && e.kind === 'kill_switch' && e.delivered)).toBe(true);
  });

  it('a market-socket stall produces exactly one POST of kind feed_stall (retried once after a cut connection), and one feed_recovered after it', async () => {
    expect(count('feed_stall')).toBe(0);
    cutNext = 1; // the first attempt dies on the network: the sender retries after its backoff on the SimClock
    rt.simulator!.sim!.faults.add({ kind: 'stall', scope: 'market', durationMs: 15_000 });
    await until(() => count('feed_stall') >= 1, 'the feed_stall POST', 30_000);
    const stall = posts.find((p) => p.body.kind === 'feed_stall')!;
    expect(stall.body).toMatchObject({ severity: 'danger', feed: 'clob-market', title: 'clob-market feed stalled' });
    expect(events.some((e) => e.type === 'feed.stale' && e.feed === 'clob-market')).toBe(true);
    await until(() => count('feed_recovered') >= 1, 'the feed_recovered POST', 60_000);
    await advance(clock, 10_000, 1_000);
    expect(count('feed_stall')).toBe(1);
    expect(count('feed_recovered')).toBe(1);
    expect(posts.find((p) => p.body.kind === 'feed_recovered')!.body.feed).toBe('clob-market');
    expect(cut.map((b) => b.kind)).toEqual(['feed_stall']);
    expect(events.filter((e) => e.type === 'alert.sent' && e.kind === 'feed_stall').map((e) => e.type === 'alert.sent' && [e.delivered, e.attempts])).toEqual([[true, 2]]);
  });

  it('the webhook URL\'s secret is in no log line, bus event or status; the logs name the host', () => {
    expect(logs.some((l) => l.includes('retrying') && l.includes('"kind":"feed_stall"'))).toBe(true); // the error path logged too
    expect(logs.some((l) => l.includes('alerts webhook configured') && l.includes('127.0.0.1'))).toBe(true);
    expect(logs.filter((l) => l.includes('alert delivered')).length).toBeGreaterThanOrEqual(3);
    for (const l of logs) expect(l).not.toContain(SECRET);
    const history = rt.bus.history.recent(rt.bus.history.size);
    expect(history.length).toBeGreaterThan(100);
    expect(JSON.stringify(history)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(rt.status())).not.toContain(SECRET);
    expect(JSON.stringify(rt.alerts.status())).not.toContain(SECRET);
    expect(JSON.stringify(rt.config)).not.toContain(SECRET);
  });
});
