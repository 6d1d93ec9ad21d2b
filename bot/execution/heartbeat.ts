/**
 * Order heartbeats for cancel-on-disconnect (POST /v1/heartbeats every ~5 s, echoing the returned id; a stale id
 * is retried once with the id the server supplies). Fail closed: after a failure `ok` is false (new orders are
 * denied via the engine gate, cancels still allowed) until a fresh heartbeat is acknowledged.
 *
 * Publishes `venue.heartbeat` on every state change and on each failure. `answered()` resolves once the venue has
 * answered the first beat (either way), so a check can report the loop without sending a heartbeat of its own.
 */
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';

export interface HeartbeatTransport {
  heartbeat(id: string): Promise<{ ok: true; id: string } | { ok: false; expectedId?: string; reason: string }>;
}

export class HeartbeatLoop {
  ok = false;
  consecutiveFailures = 0;
  private id = '';
  private timer: CancelTimer | undefined;
  private inFlight = false;
  private markAnswered: () => void = () => {};
  private readonly firstAnswer = new Promise<void>((r) => (this.markAnswered = r));

  constructor(
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly transport: HeartbeatTransport,
    private readonly everyMs = 5_000,
  ) {}

  start(): void {
    this.timer ??= this.clock.every(this.everyMs, 'heartbeat', () => void this.beat());
    void this.beat();
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
  }

  /** Resolves when the first beat has been answered (acknowledged or refused). */
  answered(): Promise<void> {
    return this.firstAnswer;
  }

  /** Gate for new orders. */
  denyReason(): string | undefined {
    return this.ok ? undefined : `heartbeat not acknowledged (${this.consecutiveFailures} failures)`;
  }

  async beat(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      let r = await this.transport.heartbeat(this.id).catch((e: unknown) => ({ ok: false as const, reason: e instanceof Error ? e.message : String(e) }));
      if (!r.ok && 'expectedId' in r && r.expectedId !== undefined) {
        this.id = r.expectedId;
        r = await this.transport.heartbeat(this.id).catch((e: unknown) => ({ ok: false as const, reason: e instanceof Error ? e.message : String(e) }));
      }
      if (r.ok) {
        this.id = r.id;
        const was = this.ok;
        this.ok = true;
        this.consecutiveFailures = 0;
        if (!was) this.bus.publish({ type: 'venue.heartbeat', ok: true, consecutiveFailures: 0 });
      } else {
        this.ok = false;
        this.consecutiveFailures++;
        this.bus.publish({ type: 'venue.heartbeat', ok: false, consecutiveFailures: this.consecutiveFailures, reason: r.reason.slice(0, 200) });
      }
    } finally {
      this.inFlight = false;
      this.markAnswered();
    }
  }
}
