/**
 * Fault registry: scoped, timed (or counted) faults that the servers consult on every request and frame.
 *
 * Kinds and scopes:
 * - Socket streams (scope 'market' | 'user' | 'polybolt' | 'rtds' | 'spot' | '*'):
 *   `drop` (cut every socket now, or close with `closeCode`; refuse new ones while active), `stall` (socket open, pings answered, no data),
 *   `malformed` (inject garbage frames), `duplicate` (every frame twice), `out_of_order` (swap adjacent frames),
 *   `latency` (delay frames by delayMs).
 * - HTTP routes (scope '*', 'gamma', 'clob', a path prefix '/book', or 'METHOD /path'):
 *   `http_status` (425 | 429 | 500 | 503 with Retry-After), `cancel_only` (503 on new orders, cancels allowed),
 *   `post_only` (503 post_only_mode unless postOnly), `latency` (delay before handling),
 *   `late_ack` (order handled now, response delayed by delayMs), `delay_match` (a marketable order is answered
 *   `status:"delayed"` at once and matched delayMs later), `fail_fill` (user trades MATCHED -> FAILED), `quiet` (the
 *   scoped markets' crowd stops quoting and trading: books unchanged, sockets carry only PONGs).
 *
 * Every HTTP request a fault acted on (an answer forced, a delay added) is logged with the fault's id and kind, the
 * route and the time (`answered()`), so a test can count what reached the venue while a fault answered for it
 * (e.g. the orders posted during an engine restart's 425 phase, which never reach the route's handler).
 *
 * Invariants: at most 256 faults are held; expired faults are purged on read; a counted fault stops after `count`
 * uses; the answered-request log keeps the last 10,000 entries; every timing uses the injected Clock.
 */
import { z } from 'zod';
import type { Clock } from '../clock';

export const FaultKind = z.enum([
  'drop',
  'stall',
  'malformed',
  'duplicate',
  'out_of_order',
  'latency',
  'http_status',
  'cancel_only',
  'post_only',
  'late_ack',
  'delay_match',
  'fail_fill',
  'quiet',
]);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultSpec = z.strictObject({
  kind: FaultKind,
  scope: z.string().min(1).max(200).default('*'),
  durationMs: z.number().int().positive().max(7 * 24 * 3600_000).optional(),
  count: z.number().int().positive().max(1_000_000).optional(),
  status: z.union([z.literal(425), z.literal(429), z.literal(500), z.literal(503)]).optional(),
  retryAfterSec: z.number().int().nonnegative().max(3600).optional(),
  delayMs: z.number().int().nonnegative().max(600_000).optional(),
  /** drop only: close with this WebSocket code (e.g. 4002, 4003) instead of cutting TCP. */
  closeCode: z.union([z.literal(1000), z.literal(1001), z.literal(1011), z.number().int().min(3000).max(4999)]).optional(),
});
export type FaultSpec = z.infer<typeof FaultSpec>;

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  createdMs: number;
  untilMs: number;
  remaining: number;
}

const MAX_FAULTS = 256;
const MAX_ANSWERED = 10_000;

/** An HTTP request a fault acted on. */
export interface AnsweredRequest {
  faultId: string;
  kind: FaultKind;
  /** The simulator server that received it ('clob', 'gamma', 'control', ...). */
  server: string;
  /** `METHOD /path` (no query). */
  route: string;
  atMs: number;
}

/** A scope predicate that knows the HTTP route it was made for (see `routeScope`). */
type RouteMatcher = ((scope: string) => boolean) & { route?: string; server?: string };

export class FaultRegistry {
  private readonly faults: ActiveFault[] = [];
  private seq = 0;
  private readonly dropListeners = new Set<(f: ActiveFault) => void>();
  private readonly answeredLog: AnsweredRequest[] = [];

  constructor(private readonly clock: Clock) {}

  add(input: unknown): ActiveFault {
    const spec = FaultSpec.parse(input);
    const now = this.clock.nowMs();
    const f: ActiveFault = {
      id: `fault-${++this.seq}`,
      spec,
      createdMs: now,
      untilMs: spec.durationMs !== undefined ? now + spec.durationMs : spec.count !== undefined || spec.kind === 'drop' ? Number.POSITIVE_INFINITY : now + 60_000,
      remaining: spec.count ?? Number.POSITIVE_INFINITY,
    };
    if (spec.kind === 'drop' && spec.durationMs === undefined) f.untilMs = now;
    this.faults.push(f);
    if (this.faults.length > MAX_FAULTS) this.faults.shift();
    if (spec.kind === 'drop') for (const l of this.dropListeners) l(f);
    return f;
  }

  onDrop(fn: (f: ActiveFault) => void): () => void {
    this.dropListeners.add(fn);
    return () => this.dropListeners.delete(fn);
  }

  remove(id: string): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.faults.splice(i, 1);
    return true;
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): ActiveFault[] {
    this.purge();
    return [...this.faults];
  }

  /** First active fault of a kind whose scope matches; `consume` decrements its count (and logs an HTTP route). */
  find(kind: FaultKind, matches: RouteMatcher, consume = true): ActiveFault | undefined {
    this.purge();
    for (const f of this.faults) {
      if (f.spec.kind !== kind || !matches(f.spec.scope)) continue;
      if (consume) {
        f.remaining--;
        if (matches.route) {
          this.answeredLog.push({ faultId: f.id, kind, server: matches.server ?? '', route: matches.route, atMs: this.clock.nowMs() });
          if (this.answeredLog.length > MAX_ANSWERED) this.answeredLog.splice(0, this.answeredLog.length - MAX_ANSWERED);
        }
      }
      return f;
    }
    return undefined;
  }

  /** HTTP requests faults acted on (oldest first), optionally only one kind and/or one `METHOD /path`. */
  answered(filter: { kind?: FaultKind; route?: string; server?: string; faultId?: string } = {}): AnsweredRequest[] {
    return this.answeredLog.filter(
      (a) => (!filter.kind || a.kind === filter.kind) && (!filter.route || a.route === filter.route) && (!filter.server || a.server === filter.server) && (!filter.faultId || a.faultId === filter.faultId),
    );
  }

  private purge(): void {
    const now = this.clock.nowMs();
    for (let i = this.faults.length - 1; i >= 0; i--) {
      const f = this.faults[i]!;
      if (f.remaining <= 0 || f.untilMs <= now) this.faults.splice(i, 1);
    }
  }
}

/** Scope matching for socket streams. */
export const streamScope = (stream: string) => (scope: string) => scope === '*' || scope === stream;

/** Scope matching for an HTTP request on a named server (carries the route, so `find` can log what it answered). */
export const routeScope = (server: string, method: string, path: string): RouteMatcher =>
  Object.assign((scope: string) => scope === '*' || scope === server || scope === `${method} ${path}` || (scope.startsWith('/') && path.startsWith(scope)), { route: `${method} ${path}`, server });
