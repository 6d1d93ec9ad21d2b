/**
 * FaultySocket: every server frame goes through here so socket faults (stall, malformed, duplicate,
 * out-of-order, latency, drop) apply uniformly to all streams.
 *
 * Invariants:
 * - Control replies (PONG, auth acks) bypass stall so a stalled socket still looks alive.
 * - At most one frame is held back for out-of-order; it is flushed when the fault ends or the socket closes.
 * - A socket whose send buffer exceeds 8 MiB is closed (slow consumer) instead of growing without bound.
 */
import type { WebSocket } from 'ws';
import type { Clock } from '../clock';
import { type FaultRegistry, streamScope } from './faults';
import type { StreamName } from './hub';

const MAX_BUFFERED = 8 * 1024 * 1024;

const GARBAGE = [
  '{"event_type":"book","asset_id":',
  '{"event_type":"price_change","market":"0x00","price_changes":[{"asset_id":"1","price":"NaN","size":"-1","side":"BUY"}],"timestamp":"x"}',
  '{"event_type":"mystery_event","payload":null}',
  '\u0000\u0001not json',
];

export class FaultySocket {
  private held: string | undefined;
  private garbageIdx = 0;

  constructor(
    readonly ws: WebSocket,
    readonly stream: StreamName,
    private readonly faults: FaultRegistry,
    private readonly clock: Clock,
  ) {}

  get open(): boolean {
    return this.ws.readyState === 1;
  }

  /** A data frame. */
  send(text: string): void {
    if (!this.open) return;
    const match = streamScope(this.stream);
    if (this.faults.find('stall', match, false)) return;
    const lat = this.faults.find('latency', match);
    if (lat && (lat.spec.delayMs ?? 0) > 0) {
      this.clock.after(lat.spec.delayMs!, `sim.ws.latency.${this.stream}`, () => this.deliver(text, match));
      return;
    }
    this.deliver(text, match);
  }

  /** A control frame (PONG, acks): never stalled or mangled. */
  sendControl(text: string): void {
    if (this.open) this.raw(text);
  }

  close(code?: number, reason?: string): void {
    if (this.held !== undefined) this.raw(this.held);
    this.held = undefined;
    if (this.open) this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  private deliver(text: string, match: (s: string) => boolean): void {
    if (!this.open) return;
    if (this.faults.find('malformed', match)) this.raw(GARBAGE[this.garbageIdx++ % GARBAGE.length]!);
    if (this.faults.find('out_of_order', match)) {
      if (this.held === undefined) {
        this.held = text;
        return;
      }
      this.raw(text);
      const h = this.held;
      this.held = undefined;
      this.raw(h);
      return;
    }
    if (this.held !== undefined) {
      this.raw(this.held);
      this.held = undefined;
    }
    this.raw(text);
    if (this.faults.find('duplicate', match)) this.raw(text);
  }

  private raw(text: string): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED) {
      this.ws.close(4002, 'slow consumer');
      return;
    }
    this.ws.send(text);
  }
}
