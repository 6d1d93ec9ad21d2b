/**
 * Delivers alert payloads to the webhook: a bounded queue, one POST in flight at a time (alerts arrive in order),
 * retries with bounded exponential backoff on network errors, timeouts, 429 and 5xx.
 *
 *   enqueue()  synchronous, never throws, never waits: the bus handler that raised the alert returns at once
 *   queue      at most `queueMax` waiting; when full the OLDEST waiting alert is dropped and counted, and the next
 *              delivered payload says how many were dropped (`dropped`)
 *   attempts   at most `maxAttempts` per alert; waits baseBackoffMs × 2^(n−1), capped at maxBackoffMs (a Retry-After
 *              up to the cap is honoured); a 3xx or 4xx other than 429 is final
 *   timeout    each POST is aborted after `timeoutMs` of wall time (network time is real time, also on a SimClock)
 *
 * Invariants: backoff waits are scheduled on the injected Clock (no setTimeout); the URL is read only by the
 * transport and every error text is scrubbed (`target.scrub`) before it is logged or reported; after dispose()
 * nothing is sent, the backoff timer is cancelled and the in-flight request is aborted.
 */
import type { CancelTimer, Clock } from '../../clock';
import type { Logger } from '../../util/logger';
import { withDropped, type AlertPayload } from './alert-payload';
import type { WebhookTarget } from './webhook-url';

export interface TransportRequest {
  url: string;
  body: string;
  signal: AbortSignal;
}
export interface TransportResponse {
  status: number;
  retryAfterSec?: number;
}
export type WebhookTransport = (req: TransportRequest) => Promise<TransportResponse>;

/** POST with global fetch; the body of the answer is discarded. */
export const fetchTransport: WebhookTransport = async ({ url, body, signal }) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'updown-alerts/1' }, body, signal, redirect: 'manual' });
  await res.body?.cancel().catch(() => undefined);
  const ra = Number(res.headers.get('retry-after'));
  return { status: res.status, ...(Number.isFinite(ra) && ra >= 0 ? { retryAfterSec: ra } : {}) };
};

export interface DeliveryResult {
  delivered: boolean;
  status?: number;
  attempts: number;
  error?: string;
}

export interface WebhookSenderOptions {
  clock: Clock;
  target: WebhookTarget;
  transport?: WebhookTransport;
  logger?: Logger;
  queueMax?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  /** Every finished delivery (delivered or given up). */
  onResult?: (p: AlertPayload, r: DeliveryResult) => void;
  /** An alert dropped from the full queue. */
  onDrop?: (p: AlertPayload, droppedSinceDelivery: number) => void;
}

export interface SenderStats {
  queued: number;
  inFlight: boolean;
  delivered: number;
  failed: number;
  retries: number;
  dropped: number;
}

type Attempt = { ok: true; status: number } | { ok: false; status?: number; error: string; retryable: boolean; retryAfterMs?: number };

export class WebhookSender {
  private readonly queue: AlertPayload[] = [];
  private busy = false;
  private disposed = false;
  private droppedSinceDelivery = 0;
  private wait: { cancel: CancelTimer; wake: () => void } | undefined;
  private readonly aborts = new Set<AbortController>();
  private readonly counters = { delivered: 0, failed: 0, retries: 0, dropped: 0 };
  private readonly transport: WebhookTransport;

  constructor(private readonly o: WebhookSenderOptions) {
    this.transport = o.transport ?? fetchTransport;
  }

  get host(): string {
    return this.o.target.host;
  }

  enqueue(p: AlertPayload): void {
    if (this.disposed) return;
    this.queue.push(p);
    while (this.queue.length > (this.o.queueMax ?? 100)) {
      const lost = this.queue.shift()!;
      this.counters.dropped++;
      this.droppedSinceDelivery++;
      if (isPowerOfTen(this.counters.dropped)) this.o.logger?.warn({ kind: lost.kind, dropped: this.counters.dropped }, 'alerts queue full: oldest alert dropped');
      this.o.onDrop?.(lost, this.droppedSinceDelivery);
    }
    void this.pump();
  }

  /** One POST now, outside the queue and without retries (the console's test): the webhook's answer. */
  async sendOnce(p: AlertPayload): Promise<DeliveryResult> {
    if (this.disposed) return { delivered: false, attempts: 0, error: 'alerts shut down' };
    const a = await this.attempt(p);
    return a.ok ? { delivered: true, status: a.status, attempts: 1 } : { delivered: false, attempts: 1, error: a.error, ...(a.status !== undefined ? { status: a.status } : {}) };
  }

  stats(): SenderStats {
    return { queued: this.queue.length, inFlight: this.busy, ...this.counters };
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    for (const c of this.aborts) c.abort();
    this.wait?.cancel();
    this.wait?.wake();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let next = this.queue.shift(); next && !this.disposed; next = this.queue.shift()) await this.deliver(next);
    } finally {
      this.busy = false;
    }
  }

  private async deliver(p: AlertPayload): Promise<void> {
    const maxAttempts = Math.max(1, this.o.maxAttempts ?? 5);
    let last: Attempt = { ok: false, error: 'not sent', retryable: false };
    let attempts = 0;
    while (attempts < maxAttempts && !this.disposed) {
      const dropped = this.droppedSinceDelivery;
      attempts++;
      last = await this.attempt(withDropped(p, dropped));
      if (last.ok) {
        this.droppedSinceDelivery -= dropped;
        break;
      }
      if (!last.retryable || attempts >= maxAttempts || this.disposed) break;
      const delayMs = this.backoffMs(attempts, last.retryAfterMs);
      this.counters.retries++;
      this.o.logger?.warn({ kind: p.kind, attempt: attempts, status: last.status, error: last.error, retryInMs: delayMs }, 'alert webhook failed: retrying');
      await this.sleep(delayMs);
    }
    const result: DeliveryResult = last.ok
      ? { delivered: true, status: last.status, attempts }
      : { delivered: false, attempts, error: attempts === 0 ? 'alerts shut down' : last.error, ...(last.status !== undefined ? { status: last.status } : {}) };
    if (result.delivered) this.counters.delivered++;
    else {
      this.counters.failed++;
      this.o.logger?.warn({ kind: p.kind, attempts, status: result.status, error: result.error }, 'alert webhook gave up');
    }
    this.o.onResult?.(p, result);
  }

  private async attempt(p: AlertPayload): Promise<Attempt> {
    const ctl = new AbortController();
    this.aborts.add(ctl);
    const signal = AbortSignal.any([ctl.signal, AbortSignal.timeout(this.o.timeoutMs ?? 10_000)]);
    try {
      const r = await this.transport({ url: this.o.target.url, body: JSON.stringify(p), signal });
      if (r.status >= 200 && r.status < 300) return { ok: true, status: r.status };
      const retryable = r.status === 429 || r.status >= 500;
      return { ok: false, status: r.status, error: `HTTP ${r.status}`, retryable, ...(r.retryAfterSec !== undefined ? { retryAfterMs: r.retryAfterSec * 1000 } : {}) };
    } catch (err) {
      return { ok: false, error: this.describe(err), retryable: true };
    } finally {
      this.aborts.delete(ctl);
    }
  }

  private backoffMs(attempt: number, retryAfterMs?: number): number {
    const max = this.o.maxBackoffMs ?? 30_000;
    const exp = (this.o.baseBackoffMs ?? 1_000) * 2 ** (attempt - 1);
    return Math.min(max, Math.max(exp, retryAfterMs ?? 0));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.o.clock.after(ms, 'alerts.backoff', () => {
        this.wait = undefined;
        resolve();
      });
      this.wait = { cancel, wake: resolve };
    });
  }

  /** An error as text without the URL or any part of it (fetch errors may quote it). */
  private describe(err: unknown): string {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const base = e?.name === 'TimeoutError' ? `timeout after ${this.o.timeoutMs ?? 10_000} ms` : e?.name === 'AbortError' ? 'aborted' : `${e?.message ?? String(err)}`;
    const cause = e?.cause?.code ?? e?.cause?.message;
    return this.o.target.scrub(`${base}${cause ? ` (${cause})` : ''}`).slice(0, 300);
  }
}

function isPowerOfTen(n: number): boolean {
  return n > 0 && 10 ** Math.round(Math.log10(n)) === n;
}
