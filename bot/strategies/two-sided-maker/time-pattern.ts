/**
 * Time patterns learned online (seed 003, issue 14): per time-in-window bucket (equal fractions of the window) and
 * per UTC hour of day, the mean Up-book spread, the traded taker volume and the share of adverse markouts of our
 * fills made in that bucket. A bucket with ≥ minSamples markouts and toxicity ≥ threshold is toxic: the maker widens.
 * Invariants: bounded (fixed bucket arrays; counts halve past MAX_COUNT so the patterns keep adapting); the
 * hour comes from the injected clock's epoch ms, never the wall clock.
 */
const MAX_COUNT = 500;
const HOURS = 24;

interface Bucket {
  spreadSum: number;
  spreadN: number;
  volume: number;
  adverse: number;
  markouts: number;
}

const empty = (): Bucket => ({ spreadSum: 0, spreadN: 0, volume: 0, adverse: 0, markouts: 0 });

export interface TimeKey {
  readonly window: number;
  readonly hour: number;
}

export interface BucketReading {
  readonly meanSpread: number | undefined;
  readonly volume: number;
  readonly toxicity: number;
  readonly markouts: number;
}

export interface TimeReading {
  readonly key: TimeKey;
  readonly window: BucketReading;
  readonly hour: BucketReading;
  readonly toxic: boolean;
}

export function timeKey(windowStartMs: number, windowSec: number, tsMs: number, windowBuckets: number): TimeKey {
  const frac = (tsMs - windowStartMs) / (windowSec * 1000);
  const window = Math.min(windowBuckets - 1, Math.max(0, Math.floor(frac * windowBuckets)));
  const hour = Math.floor((((tsMs / 3_600_000) % HOURS) + HOURS) % HOURS);
  return { window, hour };
}

export class TimePatterns {
  private windowBuckets: Bucket[] = [];
  private readonly hourBuckets: Bucket[] = Array.from({ length: HOURS }, empty);

  constructor(private nWindow = 10) {
    this.windowBuckets = Array.from({ length: nWindow }, empty);
  }

  /** Re-bucket (drops what was learned per window bucket) when the bucket count changes. */
  resize(nWindow: number): void {
    if (nWindow === this.nWindow) return;
    this.nWindow = nWindow;
    this.windowBuckets = Array.from({ length: nWindow }, empty);
  }

  private both(k: TimeKey): Bucket[] {
    const w = this.windowBuckets[k.window];
    const h = this.hourBuckets[k.hour];
    return [w, h].filter((b): b is Bucket => b !== undefined);
  }

  observeSpread(k: TimeKey, spread: number): void {
    for (const b of this.both(k)) {
      b.spreadSum += spread;
      b.spreadN++;
      if (b.spreadN > MAX_COUNT) {
        b.spreadSum /= 2;
        b.spreadN /= 2;
      }
    }
  }

  observeVolume(k: TimeKey, shares: number): void {
    for (const b of this.both(k)) b.volume += shares;
  }

  observeMarkout(k: TimeKey, markout: number): void {
    for (const b of this.both(k)) {
      b.markouts++;
      if (markout < -1e-12) b.adverse++;
      if (b.markouts > MAX_COUNT) {
        b.markouts /= 2;
        b.adverse /= 2;
      }
    }
  }

  read(k: TimeKey, c: { timeToxicThreshold: number; timeMinSamples: number }): TimeReading {
    const r = (b: Bucket | undefined): BucketReading =>
      b ? { meanSpread: b.spreadN > 0 ? b.spreadSum / b.spreadN : undefined, volume: b.volume, toxicity: b.markouts > 0 ? b.adverse / b.markouts : 0, markouts: b.markouts }
        : { meanSpread: undefined, volume: 0, toxicity: 0, markouts: 0 };
    const window = r(this.windowBuckets[k.window]);
    const hour = r(this.hourBuckets[k.hour]);
    const isToxic = (x: BucketReading) => x.markouts >= c.timeMinSamples && x.toxicity >= c.timeToxicThreshold - 1e-12;
    return { key: k, window, hour, toxic: isToxic(window) || isToxic(hour) };
  }
}
