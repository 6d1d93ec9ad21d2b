/**
 * Preflight test helpers: a port with nothing listening, the simulator's control API, and a driver that advances a
 * SimClock while a preflight runs (its network calls finish in real time between steps; its waits and timeouts are
 * on the SimClock, so nothing races the wall clock).
 */
import { createServer } from 'node:net';
import type { SimClock } from '../../../bot/clock';
import { runDoctor, type DoctorOptions, type DoctorResult } from '../../../bot/doctor';
import { driveUntil } from '../sim/helpers';

/** A loopback port that was free a moment ago and has nothing listening on it now. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** POST to the simulator's control API; throws on a non-2xx answer. */
export async function control(base: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Run the doctor in-process on a SimClock-driven simulator (100 ms of simulated time per I/O turn). */
export function doctorOn(clock: SimClock, o: Omit<DoctorOptions, 'clock'>): Promise<DoctorResult> {
  return driveUntil(clock, runDoctor({ stageTimeoutMs: 60_000, dataWaitMs: 20_000, ...o, clock }), 100, 600_000);
}
