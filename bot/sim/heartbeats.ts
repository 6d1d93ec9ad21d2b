/**
 * Heartbeat-based cancel-on-disconnect (reference §2.6, §9.4). After a key's first accepted heartbeat, if no
 * valid heartbeat arrives within `timeoutMs`, all its live orders are cancelled (checked every 5 s, so up to
 * timeout + 5 s). `/v1/heartbeats` chains ids; a stale id gets 400 with the expected id.
 * Invariant: one state entry per key that ever sent a heartbeat (bounded by the key store).
 */
import type { CancelTimer, Clock } from '../clock';
import type { Exchange } from './exchange';
import type { SimIds } from './ids';
import { everyAligned } from './schedule';

interface HbState {
  expectedId: string;
  lastMs: number;
  armed: boolean;
}

export class Heartbeats {
  private readonly state = new Map<string, HbState>();
  private readonly cancel: CancelTimer;
  /** Keys whose orders were cancelled by the watchdog (for tests and status). */
  readonly expired: string[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly ids: SimIds,
    private readonly exchange: Exchange,
    private readonly timeoutMs: number,
  ) {
    this.cancel = everyAligned(clock, 5000, 0, 'sim.g.heartbeat-check', () => this.check());
  }

  stop(): void {
    this.cancel();
  }

  /** Returns the next id, or `{stale: expected}` for an unknown id. */
  beat(apiKey: string, id: string): { ok: true; next: string } | { ok: false; expected: string } {
    const s = this.state.get(apiKey);
    if (s && s.armed && id !== s.expectedId) return { ok: false, expected: s.expectedId };
    if (!s && id !== '') return { ok: false, expected: '' };
    const next = this.ids.nextHeartbeatId();
    this.state.set(apiKey, { expectedId: next, lastMs: this.clock.nowMs(), armed: true });
    return { ok: true, next };
  }

  /** Legacy `/heartbeats`: refreshes the timer without id chaining. */
  touch(apiKey: string): void {
    const s = this.state.get(apiKey);
    if (s) s.lastMs = this.clock.nowMs();
    else this.state.set(apiKey, { expectedId: '', lastMs: this.clock.nowMs(), armed: false });
  }

  private check(): void {
    const now = this.clock.nowMs();
    for (const [key, s] of this.state) {
      if (!s.armed || now - s.lastMs <= this.timeoutMs) continue;
      s.armed = false;
      this.state.delete(key);
      this.expired.push(key);
      if (this.expired.length > 100) this.expired.shift();
      for (const o of this.exchange.orders.values()) if (o.owner === key && o.status === 'LIVE') this.exchange.cancel(o);
    }
  }
}
