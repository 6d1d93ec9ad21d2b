/**
 * RingBuffer: fixed-capacity FIFO that overwrites the oldest item when full.
 * Used for SSE resume (events by seq) and every bounded history in the runtime.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const idx = (this.start + this.count) % this.capacity;
    this.items[idx] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Item i positions from the oldest (0 = oldest). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  oldest(): T | undefined {
    return this.at(0);
  }

  newest(): T | undefined {
    return this.at(this.count - 1);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i)!);
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}

/**
 * EventHistory: ring buffer of seq-numbered items with "everything after seq N" lookup.
 * since() returns null when N is older than the buffer holds (the caller must resync).
 */
export class SeqHistory<T extends { seq: number }> {
  private readonly ring: RingBuffer<T>;

  constructor(capacity: number) {
    this.ring = new RingBuffer<T>(capacity);
  }

  get size(): number {
    return this.ring.size;
  }

  push(item: T): void {
    this.ring.push(item);
  }

  lastSeq(): number | undefined {
    return this.ring.newest()?.seq;
  }

  /** Items with seq > afterSeq, oldest first; null if some of them were already overwritten. */
  since(afterSeq: number): T[] | null {
    const n = this.ring.size;
    if (n === 0) return [];
    const oldest = this.ring.oldest()!.seq;
    if (afterSeq < oldest - 1) return null;
    // seqs are strictly increasing: binary search the first index with seq > afterSeq.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ring.at(mid)!.seq > afterSeq) hi = mid;
      else lo = mid + 1;
    }
    const out: T[] = [];
    for (let i = lo; i < n; i++) out.push(this.ring.at(i)!);
    return out;
  }

  recent(limit: number): T[] {
    const n = this.ring.size;
    const out: T[] = [];
    for (let i = Math.max(0, n - limit); i < n; i++) out.push(this.ring.at(i)!);
    return out;
  }
}
