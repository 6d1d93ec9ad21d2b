/**
 * Jittered exponential backoff ("full jitter"): delay = uniform(0, min(cap, base·2^attempt)), with a floor.
 * A Retry-After from the server overrides the computed delay (never shortened).
 *
 * Invariants: delays are within [floorMs, capMs] (or exactly the server's Retry-After when larger);
 * randomness comes from the injected Prng, so tests are deterministic.
 */
import type { Prng } from '../util/prng';

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  floorMs?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly floorMs: number;

  constructor(
    private readonly prng: Prng,
    opts: BackoffOptions = {},
  ) {
    this.baseMs = opts.baseMs ?? 500;
    this.capMs = opts.capMs ?? 30_000;
    this.floorMs = opts.floorMs ?? 100;
  }

  /** Next delay; increments the attempt counter. */
  next(retryAfterMs?: number): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const d = Math.max(this.floorMs, Math.floor(this.prng.next() * ceiling));
    return retryAfterMs !== undefined && retryAfterMs > d ? retryAfterMs : d;
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
