/**
 * The what-if body (lib/server/config-what-if.ts) over real recordings, a real config service and the real backtest
 * job machinery (ReplayJobs): a synthetic 20-minute day is split into a closed older recording and a newer one that
 * is still being written (flushed, not closed: an open manifest and a gzip segment without its end), as the recorder
 * leaves them while the bot runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { openConfigService, type ConfigService } from '../../../bot/config';
import { openRecording, readManifest } from '../../../bot/replay/recording-reader';
import { RecordingWriter } from '../../../bot/replay/recording-writer';
import type { RecordedFrame, SessionManifest } from '../../../bot/replay/session';
import { generateSynthetic, SYNTH_DEFAULT_START_MS } from '../../../bot/replay/synth';
import { openStore, type Store } from '../../../bot/store';
import type { RecordingRecord } from '../../../bot/store/recording-store';
import { defaultStrategies } from '../../../lib/schemas/config';
import { backtestJobSchema, headlineReport, type WhatIfResponse } from '../../../lib/schemas/config-what-if';
import type { EventInput } from '../../../lib/schemas/events';
import { ApiProblem } from '../../../lib/server/api';
import { pickLastWindows, recordedSessions, startWhatIf, WARMUP_MS, type WhatIfDeps } from '../../../lib/server/config-what-if';
import { ReplayJobs } from '../../../lib/server/replay-jobs';

const MINUTES = 20;
const SPLIT_MS = SYNTH_DEFAULT_START_MS + 10 * 60_000;
let tmp: string;
let dataDir: string;
let synth: SessionManifest;
let oldManifest: SessionManifest;
let openManifest: SessionManifest;
let flushedFrames: RecordedFrame[];
let records: RecordingRecord[];

function record(id: string, m: SessionManifest): RecordingRecord {
  return { id, dir: join('recordings', id), format: 'recording', sources: [...m.sources], startMs: m.startMs, endMs: m.endMs, frames: m.frames, bytes: m.bytes, markets: m.markets.map((x) => x.slug), configHash: undefined, createdMs: m.createdAtMs, open: m.open };
}

/** Copy the synthetic frames in [from, to) into a `recording` session; `close: false` leaves it as a running recorder does. */
async function copyRecording(id: string, from: number, to: number, close: boolean): Promise<RecordedFrame[]> {
  const writer = new RecordingWriter({ dir: join(dataDir, 'recordings', id), id, format: 'recording', createdAtMs: from, capabilities: synth.capabilities });
  for (const mk of synth.markets) if (mk.endMs > from && mk.startMs < to) writer.market(mk);
  const written: RecordedFrame[] = [];
  for await (const chunk of (await openRecording(join(tmp, 'synth'))).frames()) {
    for (const f of chunk) if (f.tsRecvMs >= from && f.tsRecvMs < to) {
      writer.frame(f);
      written.push(f);
    }
    await writer.drained();
  }
  if (close) await writer.close();
  else await writer.flush();
  return written;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'what-if-test-'));
  dataDir = join(tmp, 'data');
  synth = await generateSynthetic({ hours: MINUTES / 60, seed: 'what-if', dir: join(tmp, 'synth') });
  await copyRecording('rec-old', synth.startMs, SPLIT_MS, true);
  flushedFrames = await copyRecording('rec-new', SPLIT_MS, synth.endMs + 1, false);
  oldManifest = await readManifest(join(dataDir, 'recordings', 'rec-old'));
  openManifest = await readManifest(join(dataDir, 'recordings', 'rec-new'));
  records = [record('rec-new', openManifest), record('rec-old', oldManifest)];
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pickLastWindows', () => {
  it('takes the newest windows of the shortest series, walking back into older sessions, without duplicates', async () => {
    const sessions = await recordedSessions(records, dataDir);
    expect(sessions.map((s) => s.id)).toEqual(['rec-new', 'rec-old']);
    expect(openManifest.open).toBe(true);
    const five = synth.markets.filter((m) => m.kind === '5m' && m.startMs < synth.endMs).sort((a, b) => a.startMs - b.startMs);
    const one = pickLastWindows(sessions, 1)!;
    expect(one.windowSec).toBe(300);
    expect(one.windows.map((w) => w.slug)).toEqual([five.filter((m) => m.startMs < openManifest.endMs).at(-1)!.slug]);
    expect(one.sessions.map((s) => s.session.id)).toEqual(['rec-new']);
    expect(one.sessions[0]!.fromMs).toBe(Math.max(openManifest.startMs, one.windows[0]!.startMs - WARMUP_MS));

    const three = pickLastWindows(sessions, 3)!;
    const starts = three.windows.map((w) => w.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(three.windows.map((w) => w.slug)).size).toBe(3);
    // windows of the old session that the new one also holds (the one spanning the split) are counted once
    const all = pickLastWindows(sessions, 48)!;
    expect(all.windows.length).toBeLessThan(48);
    expect(new Set(all.windows.map((w) => w.slug)).size).toBe(all.windows.length);
    expect(all.sessions.map((s) => s.session.id)).toEqual(['rec-new', 'rec-old']);
    expect(all.sessions[1]!.fromMs).toBe(oldManifest.startMs);
  });

  it('finds nothing in no session', () => {
    expect(pickLastWindows([], 5)).toBeUndefined();
  });
});

describe('startWhatIf', () => {
  let store: Store;
  let svc: ConfigService;
  let jobs: ReplayJobs;
  const finished = new Map<string, EventInput<'job.finished'>>();
  const waiters: (() => void)[] = [];

  beforeAll(() => {
    store = openStore(':memory:');
    svc = openConfigService({ dataDir: tmp, env: {}, store, nowMs: () => 1_800_000_000_000, guard: { hasLiveCredentials: () => false, host: '127.0.0.1', consoleTokenSet: false }, mode: 'server' });
    jobs = new ReplayJobs({
      publish: (e) => {
        if (e.type === 'job.finished') finished.set(e.jobId, e);
        waiters.splice(0).forEach((w) => w());
      },
      dirs: { root: tmp, dataDir, lookup: () => undefined },
      baseConfig: () => svc.effective(),
      clock: new SimClock(1_800_000_000_000),
    });
  });
  afterAll(() => {
    jobs.dispose();
    store.close();
  });

  const deps = (over: Partial<WhatIfDeps> = {}): WhatIfDeps => ({ config: svc, jobs, recordings: () => records, dataDir, actor: 'test', source: 'local', nowMs: () => 1_800_000_000_000, ...over });
  const until = async (ids: string[]) => {
    while (!ids.every((id) => finished.has(id))) await new Promise<void>((res) => waiters.push(res));
  };

  it('refuses a bad edit with the field path the apply would name, and starts nothing', async () => {
    const err = await startWhatIf({ patch: { risk: { maxUsdPerTrade: -1 } }, windows: 2 }, deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).code).toBe('validation_failed');
    expect((err as ApiProblem).fields?.map((f) => f.path)).toContain('risk.maxUsdPerTrade');
    expect(jobs.list('backtest')).toEqual([]);
  });

  it('says so clearly when there is no recording yet', async () => {
    const err = await startWhatIf({ patch: {}, windows: 2 }, deps({ recordings: () => [] })).catch((e: unknown) => e);
    expect((err as ApiProblem).code).toBe('not_found');
    expect((err as ApiProblem).message).toMatch(/no recorded window/);
  });

  it('runs the current and the edited config over the same last windows and applies nothing', async () => {
    const before = { version: svc.version, hash: svc.hash, history: svc.history(10).length };
    const disabled = defaultStrategies.map((s) => ({ ...s, params: { ...s.params, enabled: false } }));
    const res: WhatIfResponse = await startWhatIf({ patch: { strategies: disabled }, windows: 3 }, deps());
    expect(res.changes.length).toBeGreaterThan(0);
    expect(res.changes.every((c) => c.path.startsWith('strategies.'))).toBe(true);
    expect(res.windows.list).toHaveLength(3);
    // the open recording is always snapshotted (both runs read the same frames); only flushed frames are in it
    const newest = res.sessions.at(-1)!;
    expect(newest).toMatchObject({ id: 'rec-new', sliced: true });
    const expected = flushedFrames.filter((f) => f.tsRecvMs >= newest.fromMs && f.tsRecvMs <= openManifest.endMs).length;
    expect(newest.frames).toBe(expected);
    expect(res.current.sessions).toEqual(res.edited.sessions);
    await until([res.current.id, res.edited.id]);
    expect(finished.get(res.current.id)?.status).toBe('done');
    expect(finished.get(res.edited.id)?.status).toBe('done');
    const current = headlineReport(backtestJobSchema.parse(jobs.get('backtest', res.current.id)).result!)!;
    const edited = headlineReport(backtestJobSchema.parse(jobs.get('backtest', res.edited.id)).result!)!;
    // every strategy disabled: the edited run cannot trade; the current config trades on the simulator's day
    expect(current.totals.trades).toBeGreaterThan(0);
    expect(edited.totals.trades).toBe(0);
    expect(edited.totals.pnlUsd).toBe(0);
    expect({ version: svc.version, hash: svc.hash, history: svc.history(10).length }).toEqual(before);
  });

  it('refuses while a backtest runs (two runs would not fit)', async () => {
    const busy = { startBacktest: () => { throw new Error('must not start'); }, list: () => [{ id: 'backtest-x', kind: 'backtest' as const, status: 'running' as const, progress: { done: 0, total: 1 }, sessions: [], startedAt: 0, finishedAt: null }] };
    const err = await startWhatIf({ patch: {}, windows: 1 }, deps({ jobs: busy })).catch((e: unknown) => e);
    expect((err as ApiProblem).code).toBe('conflict');
  });
});
