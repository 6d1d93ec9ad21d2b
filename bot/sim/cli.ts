/**
 * `npm run sim`: start the simulator alone on 127.0.0.1 and print its URLs.
 * Env: SIM_SEED (default 'updown-sim'), SIM_SPEED (time multiplier, default 1), SIM_PORT_BASE (fixed ports
 * base..base+6 instead of free ports). Ctrl-C closes every server.
 */
import { LiveClock, ScaledClock } from '../clock';
import type { SimServerName } from './options';
import { startSim } from './start-sim';

async function main(): Promise<void> {
  const speed = Number(process.env.SIM_SPEED ?? '1');
  const clock = speed === 1 ? new LiveClock() : new ScaledClock(Date.now(), speed);
  const base = process.env.SIM_PORT_BASE ? Number(process.env.SIM_PORT_BASE) : undefined;
  const names: SimServerName[] = ['gamma', 'clob', 'ws', 'polybolt', 'rtds', 'spot', 'control'];
  const ports = base ? Object.fromEntries(names.map((n, i) => [n, base + i])) : undefined;
  const sim = await startSim({ clock, seed: process.env.SIM_SEED ?? 'updown-sim', ports });
  console.log(JSON.stringify({ simulator: 'up/down console', speed, urls: sim.urls }, null, 2));
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Keep the process alive: the clocks' timers are unref'd.
  setInterval(() => {}, 1 << 30);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
