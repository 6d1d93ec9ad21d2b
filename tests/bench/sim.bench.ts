/**
 * Simulator benchmarks (part of `npm run bench`):
 * - sim-ws-rate: sustained market-socket message rate of the simulator (clock driven as fast as the process allows,
 *   one client subscribed to every active token) vs a bare `ws` server pushing pre-built frames of the same kind,
 *   measured in the same run; plus CPU per 1k messages for both.
 * - sim-speed: how many times faster than real time the simulator runs with a client attached; a figure >= 10 means
 *   tests at 10x real traffic are possible.
 */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { SimClock } from '../../bot/clock';
import { startSim } from '../../bot/sim';
import type { Benchmark, BenchRow } from './types';

const RUN_MS = 3000;
const tick = () => new Promise<void>((r) => setImmediate(r));

interface Measure {
  msgs: number;
  realMs: number;
  cpuUs: number;
  simMs?: number;
  sample?: string[];
}

async function measureSim(): Promise<Measure> {
  const clock = new SimClock(1791241200000 + 10_000);
  const sim = await startSim({ clock, seed: 'bench', crowd: { makerRequoteMs: 250, takerMeanIntervalMs: 500 } });
  const ws = new WebSocket(sim.urls.marketWs);
  await new Promise((r) => ws.once('open', r));
  let msgs = 0;
  const sample: string[] = [];
  ws.on('message', (d) => {
    msgs++;
    if (sample.length < 2000) sample.push(d.toString());
  });
  const subscribed = new Set<string>();
  const subscribe = () => {
    const ids = sim.model.activeMarkets().flatMap((m) => [m.upTokenId, m.downTokenId]).filter((id) => !subscribed.has(id));
    if (ids.length === 0) return;
    for (const id of ids) subscribed.add(id);
    ws.send(JSON.stringify(subscribed.size === ids.length ? { assets_ids: ids, type: 'market', custom_feature_enabled: true } : { operation: 'subscribe', assets_ids: ids }));
  };
  subscribe();
  await tick();
  const simStart = clock.nowMs();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let i = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e6 < RUN_MS) {
    clock.advanceBy(100);
    if (++i % 50 === 0) subscribe();
    await tick();
  }
  const realMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const simMs = clock.nowMs() - simStart;
  ws.terminate();
  await sim.close();
  return { msgs, realMs, cpuUs: cpu.user + cpu.system, simMs, sample };
}

async function measureBare(frames: string[]): Promise<Measure> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  let msgs = 0;
  ws.on('message', () => msgs++);
  await new Promise((r) => ws.once('open', r));
  const sock = await serverSide;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let k = 0;
  while (Number(process.hrtime.bigint() - t0) / 1e6 < RUN_MS) {
    if (sock.bufferedAmount < 1 << 20) for (let j = 0; j < 50; j++) sock.send(frames[k++ % frames.length]!);
    await tick();
  }
  const realMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  ws.terminate();
  wss.close();
  server.close();
  return { msgs, realMs, cpuUs: cpu.user + cpu.system };
}

export const benchmarks: Benchmark[] = [
  {
    id: 'sim-ws',
    title: 'simulator market-socket throughput',
    async run(): Promise<BenchRow[]> {
      const sim = await measureSim();
      const frames = sim.sample && sim.sample.length > 0 ? sim.sample : ['{"event_type":"price_change"}'];
      const bare = await measureBare(frames);
      const simRate = (sim.msgs / sim.realMs) * 1000;
      const bareRate = (bare.msgs / bare.realMs) * 1000;
      const simCpu = (sim.cpuUs / 1000 / Math.max(1, sim.msgs)) * 1000;
      const bareCpu = (bare.cpuUs / 1000 / Math.max(1, bare.msgs)) * 1000;
      const perSimSecond = (sim.msgs / (sim.simMs ?? 1)) * 1000;
      const speed = (sim.simMs ?? 0) / sim.realMs;
      return [
        { id: 'sim-ws-rate', figure: 'sim market-socket msgs/s (sustained, 1 client)', value: simRate, unit: 'msg/s', baseline: bareRate, baselineLabel: 'bare ws, pre-built frames', ratio: simRate / bareRate, target: 'report (model cost vs transport)' },
        { id: 'sim-ws-cpu', figure: 'CPU per 1k market msgs (sim + client, one process)', value: simCpu, unit: 'ms', baseline: bareCpu, baselineLabel: 'bare ws', ratio: bareCpu / simCpu, target: 'report' },
        {
          id: 'sim-speed',
          figure: 'simulated time per real time with a client attached',
          value: speed,
          unit: 'x',
          baseline: perSimSecond,
          baselineLabel: 'msgs per simulated second (1x traffic)',
          ratio: simRate / perSimSecond,
          target: '>= 10x real traffic',
          pass: simRate / perSimSecond >= 10,
          notes: 'ratio = sustained msgs/s divided by the msgs/s the sim emits at 1x speed',
        },
      ];
    },
  },
];
