/** Test helpers for driving the simulator with a SimClock and observing it through real sockets. */
import WebSocket from 'ws';
import type { SimClock } from '../../../bot/clock';

/** Let pending socket / HTTP I/O run (no simulated time passes). */
export async function flushIo(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 5));
}

/** Advance simulated time in steps, letting I/O run between steps. */
export async function advance(clock: SimClock, ms: number, stepMs = 250): Promise<void> {
  const target = clock.nowMs() + ms;
  while (clock.nowMs() < target) {
    clock.advanceTo(Math.min(target, clock.nowMs() + stepMs));
    await flushIo(2);
  }
}

/** Await a promise while advancing simulated time until it settles (for delayed responses). */
export async function driveUntil<T>(clock: SimClock, p: Promise<T>, stepMs = 250, maxMs = 120_000): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  const start = clock.nowMs();
  while (!done && clock.nowMs() - start < maxMs) {
    await flushIo(2);
    if (!done) clock.advanceBy(stepMs);
  }
  return p;
}

export class WsProbe {
  readonly frames: string[] = [];
  readonly ws: WebSocket;
  closeCode: number | undefined;
  opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (d) => {
      this.frames.push(d.toString());
      if (this.frames.length > 50_000) this.frames.shift();
    });
    this.ws.on('close', (code) => (this.closeCode = code));
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(v: unknown): void {
    this.ws.send(typeof v === 'string' ? v : JSON.stringify(v));
  }

  json(): unknown[] {
    return this.frames.filter((f) => f !== 'PONG').map((f) => JSON.parse(f));
  }

  /** Wait (real time, while advancing sim time) until a predicate over the frames holds. */
  async waitFor(clock: SimClock, pred: (frames: string[]) => boolean, advanceStepMs = 0, maxRounds = 400): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      if (pred(this.frames)) return;
      await flushIo(2);
      if (advanceStepMs > 0) clock.advanceBy(advanceStepMs);
    }
    throw new Error(`condition not met; last frames: ${this.frames.slice(-3).join('\n')}`);
  }

  close(): void {
    this.ws.terminate();
  }
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined, headers: r.headers };
}
