/**
 * The console's replay API over the real route handlers (withApi: origin checks, zod bodies, the closed error list),
 * on a bare runtime whose bus receives the replay and job events:
 * - GET /api/sessions: the store's recordings newest first, then the bundled real sample with its attribution;
 * - POST /api/replay start on the real sample (samples/polymarket-btc-5m-books, CC BY 4.0, CronosVirus00), polled
 *   until ready; a seek and GET /api/replay/frame give the top of book the Parquet rows say (read here with
 *   readBookParquetDir, independently of the replay), `replay.state` events go out on the bus;
 * - POST /api/backtests: a job that completes with the report, `job.progress` and `job.finished` on the bus;
 * - bad bodies (empty session list, a config patch the schema refuses, an unknown session, a bad grid) are refused
 *   with field errors and start nothing; cross-origin is refused;
 * - POST /api/sweeps over the seed-001 fixture with a 2-point grid runs the sweep CLI as a child process and
 *   finishes; a second, longer sweep is cancelled with DELETE while it runs (and a third is refused meanwhile).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { readBookParquetDir, type ParquetBookRow } from '../../../bot/replay/parquet-books';
import { importCacheStats } from '../../../bot/replay/import-cache';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import { botEventSchema, type BotEvent } from '../../../lib/schemas/events';
import { jobViewSchema, sessionEntrySchema } from '../../../lib/schemas/replay-api';
import {
  backtestGetRoute, backtestListRoute, backtestPostRoute, replayFrameRoute, replayGetRoute, replayJobsFor, replayPostRoute, sessionsRoute,
  sweepCancelRoute, sweepGetRoute, sweepPostRoute,
} from '../../../lib/server/replay-routes';
import type { RuntimeHolder } from '../../../lib/server/runtime-registry';

const KEY = Symbol.for('updown.runtime.v1');
const ORIGIN = 'http://127.0.0.1:3000';
const SAMPLE = 'samples/polymarket-btc-5m-books';
const CSV = 'tests/fixtures/replay/seed001/sample.csv';
const MARKETS = 'tests/fixtures/replay/seed001/markets.json';

type Route = (req: Request) => Promise<Response>;
interface Reply {
  status: number;
  json: Record<string, unknown> & { error?: { code: string; message: string; fields?: { path: string; message: string }[] } };
}

async function call(route: Route, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const h: Record<string, string> = { host: '127.0.0.1:3000', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers };
  const res = await route(new Request(`${ORIGIN}${path}`, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
  return { status: res.status, json: (await res.json()) as Reply['json'] };
}

const tick = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `read` until `done` holds, at most `deadlineMs`; returns the last value read. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, deadlineMs: number): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${deadlineMs} ms: ${JSON.stringify(v).slice(0, 500)}`);
    await tick(50);
  }
}

const fieldPaths = (r: Reply) => (r.json.error?.fields ?? []).map((f) => f.path);

let runtime: Runtime;
let holder: RuntimeHolder;
let restore: () => void;
let dataDir: string;
const events: BotEvent[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'replay-api-'));
  runtime = createRuntime({ instanceId: 'replay-api', version: 't', config: runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim' }), clock: new SimClock(1791158400_000), store: openStore(':memory:'), bare: true });
  runtime.bus.onAny((e) => events.push(e));
  const g = globalThis as Record<symbol, unknown>;
  const prev = g[KEY];
  holder = { runtime, env: { DATA_DIR: dataDir }, shuttingDown: false, disposers: [] } as unknown as RuntimeHolder;
  g[KEY] = holder;
  restore = () => {
    g[KEY] = prev;
  };
});

afterAll(async () => {
  // The jobs registered one disposer with the holder: shutdown stops the playback and cancels running jobs.
  expect(holder.disposers).toHaveLength(1);
  await holder.disposers[0]!();
  restore();
  await runtime.dispose('test done');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/sessions', () => {
  it('lists the recordings newest first, then the bundled sample with its attribution', async () => {
    const rec = (id: string, createdAtMs: number) => ({
      id, format: 'recording', createdAtMs, startMs: createdAtMs - 60_000, endMs: createdAtMs, frames: 10, bytes: 100, sources: ['clob-market'], markets: [{ slug: 'btc-updown-5m-1' }], open: false,
    });
    runtime.store.recordings.upsert(rec('older', 1_000_000), join(dataDir, 'recordings', 'older'));
    runtime.store.recordings.upsert(rec('newer', 2_000_000), join(dataDir, 'recordings', 'newer'));
    const r = await call(sessionsRoute, 'GET', '/api/sessions');
    expect(r.status).toBe(200);
    const list = (r.json.sessions as unknown[]).map((x) => sessionEntrySchema.parse(x));
    expect(list.map((s) => s.id).slice(0, 2)).toEqual(['newer', 'older']);
    const sample = list.at(-1)!;
    expect(sample).toMatchObject({ kind: 'sample', ref: SAMPLE, format: 'parquet', open: false });
    expect(sample.attribution).toMatch(/CronosVirus00.*CC BY 4\.0/);
    expect(sample.licence).toMatch(/CC BY 4\.0/);
    expect(sample.markets).toEqual(['btc-updown-5m-1776327600', 'btc-updown-5m-1776327900', 'btc-updown-5m-1776328200']);
  }, 60_000);
});

describe('replay of the real sample', () => {
  let rows: ParquetBookRow[];
  beforeAll(async () => {
    rows = (await readBookParquetDir(join(SAMPLE, 'market_data'))).rows;
  });

  /** The top of book of `token` as of `asOfMs`, from the Parquet rows (null when a side is empty). */
  function parquetTop(token: string, asOfMs: number) {
    const row = rows.filter((x) => x.assetId === token && x.tsRecvMs <= asOfMs).at(-1);
    if (!row) return undefined;
    const bid = row.bids.reduce<{ price: number; size: number } | null>((a, l) => (a && a.price >= Number(l.price) ? a : { price: Number(l.price), size: Number(l.size) }), null);
    const ask = row.asks.reduce<{ price: number; size: number } | null>((a, l) => (a && a.price <= Number(l.price) ? a : { price: Number(l.price), size: Number(l.size) }), null);
    return { bestBid: bid?.price ?? null, bidSize: bid?.size ?? null, bestAsk: ask?.price ?? null, askSize: ask?.size ?? null };
  }

  it('starts (the sample through the import cache in the data directory), computes to ready, seeks, and the frame at t has the Parquet book tops of that second', async () => {
    const from = events.length;
    const cacheUses = importCacheStats.hits + importCacheStats.misses;
    const start = await call(replayPostRoute, 'POST', '/api/replay', { action: 'start', session: SAMPLE, speed: 10 });
    expect(start.status).toBe(200);
    expect(start.json.state).toMatchObject({ status: 'computing', speed: 10, sessionId: 'parquet-btc-updown-5m-1776327600-n3' });
    const ready = await until(async () => (await call(replayGetRoute, 'GET', '/api/replay')).json, (s) => s.status === 'ready' || s.status === 'failed', 60_000);
    expect(ready).toMatchObject({ status: 'ready', frames: 11_260 });
    expect(importCacheStats.hits + importCacheStats.misses).toBeGreaterThan(cacheUses);
    expect(readdirSync(join(dataDir, 'cache', 'imports')).filter((f) => f.endsWith('.pack'))).toHaveLength(1);
    expect(ready.keyframes).toBeGreaterThan(900);

    // Both tokens of the second market are recorded: compare them at a time inside it, off the whole second.
    const t = 1776328000_000 + 61_437;
    const seek = await call(replayPostRoute, 'POST', '/api/replay', { action: 'seek', tsMs: t });
    expect(seek.json.seek).toEqual({ requestedMs: t, cursorMs: t, clamped: false });
    expect(seek.json.state).toMatchObject({ cursorMs: t });
    const frame = await call(replayFrameRoute, 'GET', `/api/replay/frame?t=${t}`);
    expect(frame.status).toBe(200);
    const sec = Math.floor(t / 1000) * 1000;
    expect(frame.json).toMatchObject({ tsMs: t, keyframeMs: sec, final: true });
    const books = frame.json.books as { tokenId: string; slug: string; bestBid: number | null; bestAsk: number | null; bidSize: number | null; askSize: number | null }[];
    const recorded = books.filter((b) => rows.some((x) => x.assetId === b.tokenId && x.slug === 'btc-updown-5m-1776327900'));
    expect(recorded.length).toBe(2);
    for (const b of recorded) {
      expect(b.slug).toBe('btc-updown-5m-1776327900');
      expect({ bestBid: b.bestBid, bidSize: b.bidSize, bestAsk: b.bestAsk, askSize: b.askSize }).toEqual(parquetTop(b.tokenId, sec));
    }

    // The end of the timeline carries the replay's realised PnL.
    const end = await call(replayFrameRoute, 'GET', `/api/replay/frame?t=${String(ready.endMs)}`);
    expect(end.json.pnlUsd).toBeCloseTo(Number((ready.result as { pnlUsd: number }).pnlUsd), 6);

    const states = events.slice(from).filter((e) => e.type === 'replay.state').map((e) => (e as { state: { status: string } }).state.status);
    expect(states[0]).toBe('computing');
    expect(states).toContain('ready');
    for (const e of events.slice(from)) expect(botEventSchema.safeParse(e).success).toBe(true);

    expect((await call(replayPostRoute, 'POST', '/api/replay', { action: 'speed', speed: 61 })).json.error?.fields?.[0]?.path).toBe('speed');
    expect((await call(replayFrameRoute, 'GET', '/api/replay/frame?t=abc')).status).toBe(400);
    const stop = await call(replayPostRoute, 'POST', '/api/replay', { action: 'stop' });
    expect(stop.json.state).toMatchObject({ status: 'stopped', playing: false });
    expect((await call(replayGetRoute, 'GET', '/api/replay')).json).toEqual({ status: 'idle' });
    expect((await call(replayPostRoute, 'POST', '/api/replay', { action: 'play' })).status).toBe(409);
  }, 90_000);
});

describe('backtest jobs', () => {
  it('a backtest of the sample completes with the report and publishes progress and the finish on the bus', async () => {
    const from = events.length;
    const post = await call(backtestPostRoute, 'POST', '/api/backtests', { sessions: [SAMPLE] });
    expect(post.status).toBe(202);
    const job = jobViewSchema.parse(post.json);
    expect(job).toMatchObject({ kind: 'backtest', status: 'running', sessions: [SAMPLE] });
    const done = await until(async () => (await call(backtestGetRoute, 'GET', `/api/backtests/${job.id}`)).json, (j) => j.status !== 'running', 60_000);
    expect(done).toMatchObject({ status: 'done', progress: { done: 1000, total: 1000 } });
    const result = done.result as { sessions: { ledgerHash: string; report: { totals: { trades: number; pnl_usd?: number; pnlUsd?: number } } }[] };
    expect(result.sessions).toHaveLength(1);
    expect(result.sessions[0]!.ledgerHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.sessions[0]!.report.totals.trades).toBeGreaterThan(0);

    const mine = events.slice(from).filter((e) => 'jobId' in e && e.jobId === job.id);
    const progress = mine.filter((e) => e.type === 'job.progress') as { done: number; total: number }[];
    expect(progress[0]).toMatchObject({ done: 0, total: 1000 });
    expect(progress.at(-1)).toMatchObject({ done: 1000, total: 1000 });
    const finished = mine.filter((e) => e.type === 'job.finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ status: 'done', summary: { sessions: 1, trades: result.sessions[0]!.report.totals.trades } });
    expect(JSON.stringify(finished[0]).length).toBeLessThan(2_000);

    const list = await call(backtestListRoute, 'GET', '/api/backtests');
    expect((list.json.jobs as { id: string }[])[0]?.id).toBe(job.id);
    expect((list.json.jobs as Record<string, unknown>[])[0]).not.toHaveProperty('result');
  }, 90_000);

  it('bad bodies are refused with field errors and start nothing; cross-origin is refused', async () => {
    const before = replayJobsFor(holder).list('backtest').length;
    const empty = await call(backtestPostRoute, 'POST', '/api/backtests', { sessions: [] });
    expect(empty.status).toBe(422);
    expect(fieldPaths(empty)).toEqual(['sessions']);
    const badConfig = await call(backtestPostRoute, 'POST', '/api/backtests', { sessions: [SAMPLE], config: { risk: { maxUsdPerTrade: -5 } } });
    expect(badConfig.status).toBe(422);
    expect(fieldPaths(badConfig)).toEqual(['config.risk.maxUsdPerTrade']);
    const unknown = await call(backtestPostRoute, 'POST', '/api/backtests', { sessions: [SAMPLE, 'no-such-session'] });
    expect(unknown.status).toBe(422);
    expect(fieldPaths(unknown)).toEqual(['sessions.1']);
    const outside = await call(backtestPostRoute, 'POST', '/api/backtests', { sessions: ['/etc'] });
    expect(outside.status).toBe(422);
    expect(outside.json.error?.fields?.[0]?.message).toMatch(/inside the project or the data directory/);
    const badGrid = await call(sweepPostRoute, 'POST', '/api/sweeps', { sessions: [CSV], markets: MARKETS, grid: { d_min: [-1] } });
    expect(badGrid.status).toBe(422);
    expect(fieldPaths(badGrid)).toEqual(['grid']);
    const cross = await call(backtestPostRoute, 'POST', '/api/backtests', { sessions: [SAMPLE] }, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect(replayJobsFor(holder).list('backtest').length).toBe(before);
    expect(replayJobsFor(holder).list('sweep').length).toBe(0);
  });
});

describe('sweep jobs (the sweep CLI as a child process)', () => {
  it('a 2-point sweep over the seed-001 fixture finishes; a longer one is cancelled while it runs', async () => {
    const from = events.length;
    const post = await call(sweepPostRoute, 'POST', '/api/sweeps', { sessions: [CSV], markets: MARKETS, grid: { d_min: [3, 5] }, metric: 'pnl_usd' });
    expect(post.status).toBe(202);
    const job = jobViewSchema.parse(post.json);
    expect(job.progress).toEqual({ done: 0, total: 2 });
    const done = await until(async () => (await call(sweepGetRoute, 'GET', `/api/sweeps/${job.id}`)).json, (j) => j.status !== 'running', 60_000);
    expect(done).toMatchObject({ status: 'done', progress: { done: 2, total: 2 }, summary: { points: 2, failed: 0, metric: 'pnl_usd' } });
    const runs = (done.result as { runs: { params: Record<string, number>; metrics: Record<string, unknown> }[] }).runs;
    expect(runs.map((r) => r.params['hammer.dMin'])).toEqual([3, 5]);
    for (const r of runs) expect(r.metrics.events).toBe(24);
    const mine = events.slice(from).filter((e) => 'jobId' in e && e.jobId === job.id);
    expect(mine.filter((e) => e.type === 'job.progress').at(-1)).toMatchObject({ done: 2, total: 2 });
    expect(mine.filter((e) => e.type === 'job.finished')).toMatchObject([{ status: 'done', kind: 'sweep' }]);

    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    const long = jobViewSchema.parse((await call(sweepPostRoute, 'POST', '/api/sweeps', { sessions: [CSV], markets: MARKETS, grid: { d_min: values } })).json);
    const busy = await call(sweepPostRoute, 'POST', '/api/sweeps', { sessions: [CSV], markets: MARKETS, grid: { d_min: [3] } });
    expect(busy.status).toBe(409);
    // Cancel once the child is really sweeping (its first point is done).
    await until(async () => (await call(sweepGetRoute, 'GET', `/api/sweeps/${long.id}`)).json, (j) => (j.progress as { done: number }).done >= 1 || j.status !== 'running', 60_000);
    const del = await call(sweepCancelRoute, 'DELETE', `/api/sweeps/${long.id}`);
    expect(del.status).toBe(200);
    const canceled = await until(async () => (await call(sweepGetRoute, 'GET', `/api/sweeps/${long.id}`)).json, (j) => j.status !== 'running', 30_000);
    expect(canceled.status).toBe('canceled');
    expect((canceled.progress as { done: number }).done).toBeLessThan(200);
    expect(events.filter((e) => e.type === 'job.finished' && e.jobId === long.id)).toMatchObject([{ status: 'canceled' }]);
    expect((await call(sweepCancelRoute, 'DELETE', `/api/sweeps/${long.id}`)).status).toBe(409);
  }, 120_000);
});
