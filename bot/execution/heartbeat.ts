/**
 * Order heartbeats for cancel-on-disconnect (POST /v1/heartbeats every ~5 s, echoing the returned id; a stale id
 * is retried once with the id the server supplies). Fail closed: after a failure `ok` is false (new orders are
 * denied via the engine gate, cancels still allowed) until a fresh heartbeat is acknowledged.
 *
 * Publishes `venue.heartbeat` on every state change and on each failure. `answered()` resolves once the venue has
 * answered the first beat (either way), so a check can report the loop without sending a heartbeat of its own.
 *
 * Engine restarts (B6): while `skip()` says so (the venue is restarting) the periodic beats are not sent – the venue
 * status probes with `beat()` on its own backoff instead – and a 425 answer is not counted as a heartbeat failure
 * (`consecutiveFailures`, which the risk layer halts on, is about a venue that stopped hearing us, not one that is
 * restarting); orders stay refused meanwhile (`ok` is false).
 */
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';

export interface HeartbeatTransport {
  /** `status`: the HTTP status of a refusal (425 = engine restarting). */
  heartbeat(id: string): Promise<{ ok: true; id: string } | { ok: false; expectedId?: string; reason: string; status?: number }>;
}

export interface HeartbeatLoopOptions {
  /** Skip the periodic beat while this holds (the venue is restarting and probed elsewhere). */
  skip?: () => boolean;
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
    private readonly opts: HeartbeatLoopOptions = {},
  ) {}

  start(): void {
    this.timer ??= this.clock.every(this.everyMs, 'heartbeat', () => {
      if (!this.opts.skip?.()) void this.beat();
    });
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
        if (!('status' in r && r.status === 425)) this.consecutiveFailures++;
        this.bus.publish({ type: 'venue.heartbeat', ok: false, consecutiveFailures: this.consecutiveFailures, reason: r.reason.slice(0, 200) });
      }
    } finally {
      this.inFlight = false;
      this.markAnswered();
    }
  }
}
