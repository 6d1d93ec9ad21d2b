/**
 * The webhook sender (bot/health/alerts/webhook-sender.ts) over a scripted transport on a SimClock: enqueue never
 * waits; one POST in flight, in order; retries on network errors, 5xx and 429 with bounded exponential backoff timed
 * on the simulated clock (and Retry-After up to the cap); a 4xx is final; the queue is bounded with drop-oldest and
 * the next delivered payload says how many were dropped; errors are scrubbed of the URL; dispose stops everything.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { buildPayload, type AlertPayload } from '../../../bot/health/alerts/alert-payload';
import { WebhookSender, type DeliveryResult, type TransportRequest, type TransportResponse } from '../../../bot/health/alerts/webhook-sender';
import { parseWebhookUrl } from '../../../bot/health/alerts/webhook-url';
import type { Logger } from '../../../bot/util/logger';

const URL_ = 'https://hooks.example.com/services/T01/B02/SeCrEtToKeN42';
const T0 = 1_791_158_400_000;

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

type Step = TransportResponse | Error | 'hang';

/** A transport that answers from a script (then 200s) and records every request with its simulated time. */
function rig(script: Step[] = [], opts: { queueMax?: number; maxAttempts?: number } = {}) {
  const clock = new SimClock(T0);
  const calls: { atMs: number; body: AlertPayload; signal: AbortSignal }[] = [];
  const results: { kind: string; r: DeliveryResult }[] = [];
  const logs: { obj: Record<string, unknown>; msg?: string }[] = [];
  const at = (obj: Record<string, unknown>, msg?: string) => void logs.push({ obj, msg });
  const logger = { info: at, warn: at, error: at, debug: at, child: () => logger } as unknown as Logger;
  const transport = (req: TransportRequest): Promise<TransportResponse> => {
    calls.push({ atMs: clock.nowMs(), body: JSON.parse(req.body) as AlertPayload, signal: req.signal });
    expect(req.url).toBe(new URL(URL_).href);
    const step = script.shift() ?? { status: 200 };
    if (step === 'hang') return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }))));
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const sender = new WebhookSender({
    clock, target: parseWebhookUrl(URL_)!, transport, logger, baseBackoffMs: 1_000, maxBackoffMs: 8_000, ...opts,
    onResult: (p, r) => results.push({ kind: p.title, r }),
  });
  return { clock, calls, results, logs, sender };
}

const payload = (title: string) => buildPayload({ kind: 'health', severity: 'warn', title, message: 'm' }, { runId: 'i', runNumber: 1, mode: 'paper', venue: 'sim' }, T0, null);

/** Advance simulated time in 100 ms steps, letting promises settle between steps. */
async function run(clock: SimClock, ms: number): Promise<void> {
  const end = clock.nowMs() + ms;
  while (clock.nowMs() < end) {
    clock.advanceBy(100);
    await flush();
  }
}

describe('WebhookSender', () => {
  it('enqueue returns before anything is sent; alerts go out one at a time, in order', async () => {
    const { sender, calls, results, clock } = rig();
    sender.enqueue(payload('a'));
    sender.enqueue(payload('b'));
    sender.enqueue(payload('c'));
    expect(calls.map((c) => c.body.title)).toEqual(['a']); // the first POST started synchronously, nothing awaited
    expect(sender.stats()).toMatchObject({ queued: 2, inFlight: true });
    await flush();
    expect(calls.map((c) => c.body.title)).toEqual(['a', 'b', 'c']);
    expect(results.map((x) => [x.kind, x.r.delivered, x.r.attempts])).toEqual([['a', true, 1], ['b', true, 1], ['c', true, 1]]);
    expect(sender.stats()).toMatchObject({ queued: 0, inFlight: false, delivered: 3, failed: 0, retries: 0 });
    expect(calls.every((c) => c.atMs === clock.nowMs())).toBe(true);
  });

  it('retries network errors and 5xx after 1, 2, 4 s of simulated time (capped), then delivers', async () => {
    const { sender, calls, results, clock } = rig([new Error('fetch failed'), { status: 502 }, { status: 500 }]);
    sender.enqueue(payload('x'));
    await flush();
    await run(clock, 10_000);
    expect(calls.map((c) => c.atMs - T0)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(results).toEqual([{ kind: 'x', r: { delivered: true, status: 200, attempts: 4 } }]);
    expect(sender.stats()).toMatchObject({ delivered: 1, retries: 3 });
  });

  it('no wait happens without the clock: before the backoff is due nothing is retried', async () => {
    const { sender, calls, clock } = rig([{ status: 503 }]);
    sender.enqueue(payload('x'));
    await flush();
    await run(clock, 900);
    expect(calls).toHaveLength(1);
    await run(clock, 200);
    expect(calls).toHaveLength(2);
  });

  it('gives up after maxAttempts with the last status; backoff never exceeds its cap', async () => {
    const { sender, calls, results, clock, logs } = rig(Array.from({ length: 6 }, () => ({ status: 500 })), { maxAttempts: 6 });
    sender.enqueue(payload('x'));
    await flush();
    await run(clock, 60_000);
    expect(calls.map((c) => c.atMs - T0)).toEqual([0, 1_000, 3_000, 7_000, 15_000, 23_000]); // 1, 2, 4, 8, 8 (cap 8 s)
    expect(results[0]!.r).toEqual({ delivered: false, status: 500, attempts: 6, error: 'HTTP 500' });
    expect(sender.stats()).toMatchObject({ delivered: 0, failed: 1, retries: 5 });
    expect(logs.some((l) => l.msg === 'alert webhook gave up')).toBe(true);
  });

  it('a 4xx other than 429 is final at once; 429 honours Retry-After up to the cap', async () => {
    const a = rig([{ status: 404 }]);
    a.sender.enqueue(payload('x'));
    await flush();
    await run(a.clock, 20_000);
    expect(a.calls).toHaveLength(1);
    expect(a.results[0]!.r).toEqual({ delivered: false, status: 404, attempts: 1, error: 'HTTP 404' });

    const b = rig([{ status: 429, retryAfterSec: 5 }, { status: 429, retryAfterSec: 3_600 }]);
    b.sender.enqueue(payload('y'));
    await flush();
    await run(b.clock, 30_000);
    expect(b.calls.map((c) => c.atMs - T0)).toEqual([0, 5_000, 13_000]); // 5 s as asked, then the 8 s cap
    expect(b.results[0]!.r.delivered).toBe(true);
  });

  it('the queue is bounded: the oldest waiting alert is dropped, counted, and the next delivery says so', async () => {
    const { sender, calls, clock } = rig([{ status: 500 }], { queueMax: 3 });
    sender.enqueue(payload('first')); // in flight, then backing off
    await flush();
    for (const t of ['a', 'b', 'c', 'd', 'e']) sender.enqueue(payload(t));
    expect(sender.stats()).toMatchObject({ queued: 3, dropped: 2 });
    await run(clock, 2_000);
    expect(calls.map((c) => c.body.title)).toEqual(['first', 'first', 'c', 'd', 'e']);
    expect(calls[1]!.body.dropped).toBe(2);
    expect(calls[1]!.body.text).toContain('2 dropped (queue full)');
    expect(calls[2]!.body.dropped).toBe(0); // counted once, in the delivery that followed the drops
    expect(calls[0]!.body.dropped).toBe(0);
  });

  it('a network error is reported and logged without the URL or its token', async () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: { message: `connect to ${URL_} refused (token SeCrEtToKeN42)` } });
    const { sender, results, logs, clock } = rig([err, err], { maxAttempts: 2 });
    sender.enqueue(payload('x'));
    await flush();
    await run(clock, 3_000);
    expect(results[0]!.r.delivered).toBe(false);
    expect(results[0]!.r.error).toContain('fetch failed');
    const text = JSON.stringify({ results, logs });
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('SeCrEtToKeN42');
    expect(text).not.toContain('/services/T01');
  });

  it('dispose aborts the request in flight, cancels a pending backoff and sends nothing more', async () => {
    const hung = rig(['hang']);
    hung.sender.enqueue(payload('x'));
    hung.sender.enqueue(payload('y'));
    await flush();
    expect(hung.calls[0]!.signal.aborted).toBe(false);
    hung.sender.dispose();
    await flush();
    expect(hung.calls[0]!.signal.aborted).toBe(true);
    expect(hung.calls).toHaveLength(1);
    expect(hung.results[0]!.r).toMatchObject({ delivered: false, error: 'aborted' });

    const waiting = rig([{ status: 503 }]);
    waiting.sender.enqueue(payload('x'));
    await flush();
    waiting.sender.dispose();
    await run(waiting.clock, 10_000);
    expect(waiting.calls).toHaveLength(1);
    expect(waiting.clock.nextDueMs()).toBeUndefined(); // the backoff timer is gone
    waiting.sender.enqueue(payload('z'));
    await flush();
    expect(waiting.calls).toHaveLength(1);
  });

  it('sendOnce is one POST outside the queue, without retry', async () => {
    const { sender, calls } = rig([{ status: 503 }]);
    expect(await sender.sendOnce(payload('t'))).toEqual({ delivered: false, status: 503, attempts: 1, error: 'HTTP 503' });
    expect(await sender.sendOnce(payload('t'))).toEqual({ delivered: true, status: 200, attempts: 1 });
    expect(calls).toHaveLength(2);
    expect(sender.stats()).toMatchObject({ delivered: 0, failed: 0, queued: 0 });
  });
});
