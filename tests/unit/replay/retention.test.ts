/**
 * Retention over the recordings index: oldest closed sessions go first until the indexed total is under the byte
 * budget, sessions older than the age limit go regardless, and an open session, a protected id, an imported format
 * or a directory outside the root is never removed. Also the index itself (upsert/get/list/delete/totalBytes).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention } from '../../../bot/replay/retention';
import { openStore, type Store } from '../../../bot/store';

let tmp: string;
let root: string;
let store: Store;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'retention-'));
  root = join(tmp, 'recordings');
  store = openStore(':memory:');
});
afterEach(() => {
  store.close();
  rmSync(tmp, { recursive: true, force: true });
});

const DAY = 86_400_000;
const NOW = 1_776_327_600_000;

/** A session directory with one file, indexed with `bytes` and a creation time `ageMs` before NOW. */
function session(id: string, bytes: number, ageMs: number, extra: { open?: boolean; format?: string; dir?: string } = {}): string {
  const dir = extra.dir ?? join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'seg-000001.ndjson.gz'), Buffer.alloc(bytes));
  store.recordings.upsert(
    {
      id,
      format: extra.format ?? 'recording',
      createdAtMs: NOW - ageMs,
      startMs: NOW - ageMs,
      endMs: NOW - ageMs + 1000,
      frames: 10,
      bytes,
      sources: ['clob-market'],
      markets: [{ slug: `m-${id}` }],
      configHash: 'h',
      open: extra.open ?? false,
    },
    dir,
  );
  return dir;
}

describe('recording index', () => {
  it('upserts, lists newest first, deletes and sums bytes', () => {
    session('a', 100, 3 * DAY);
    session('b', 200, 2 * DAY);
    session('c', 300, 1 * DAY, { open: true });
    const r = store.recordings;
    expect(r.list().map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(r.list({ oldestFirst: true, limit: 2 }).map((x) => x.id)).toEqual(['a', 'b']);
    expect(r.totalBytes()).toBe(600);
    expect(r.get('c')).toEqual({
      id: 'c',
      dir: join(root, 'c'),
      format: 'recording',
      sources: ['clob-market'],
      startMs: NOW - DAY,
      endMs: NOW - DAY + 1000,
      frames: 10,
      bytes: 300,
      markets: ['m-c'],
      configHash: 'h',
      createdMs: NOW - DAY,
      open: true,
    });
    r.upsert({ ...r.get('c')!, createdAtMs: NOW - DAY, markets: [], bytes: 50, open: false }, join(root, 'c'));
    expect(r.get('c')?.open).toBe(false);
    expect(r.totalBytes()).toBe(350);
    expect(r.delete('a')).toBe(true);
    expect(r.delete('a')).toBe(false);
    expect(r.get('a')).toBeUndefined();
  });
});

describe('applyRetention', () => {
  it('deletes oldest first until under the byte budget', async () => {
    const dirs = ['s1', 's2', 's3', 's4', 's5'].map((id, i) => session(id, 100, (10 - i) * 1000));
    const res = await applyRetention({ store: store.recordings, maxBytes: 250, maxAgeMs: 30 * DAY, nowMs: NOW, root });
    expect(res.deleted.map((d) => [d.id, d.reason])).toEqual([
      ['s1', 'bytes'],
      ['s2', 'bytes'],
      ['s3', 'bytes'],
    ]);
    expect(dirs.map((d) => existsSync(d))).toEqual([false, false, false, true, true]);
    expect(store.recordings.list().map((r) => r.id)).toEqual(['s5', 's4']);
    expect(res.totalBytes).toBe(200);
    expect(res.overLimit).toBe(false);
    expect(res.errors).toEqual([]);
  });

  it('never deletes an open or protected session, even when that leaves the budget exceeded', async () => {
    const open = session('old-open', 100, 9000, { open: true });
    const kept = session('old-protected', 100, 8000);
    const gone = session('middle', 100, 7000);
    const young = session('young', 100, 6000);
    const res = await applyRetention({ store: store.recordings, maxBytes: 150, maxAgeMs: 30 * DAY, nowMs: NOW, protect: ['old-protected'], root });
    expect(res.deleted.map((d) => d.id)).toEqual(['middle', 'young']);
    expect([open, kept, gone, young].map((d) => existsSync(d))).toEqual([true, true, false, false]);
    expect(res.totalBytes).toBe(200);
    expect(res.overLimit).toBe(true);
  });

  it('removes sessions older than maxAgeMs even under the budget', async () => {
    session('ancient', 10, 40 * DAY);
    session('old-open', 10, 40 * DAY, { open: true });
    session('recent', 10, 2 * DAY);
    const res = await applyRetention({ store: store.recordings, maxBytes: 1e12, maxAgeMs: 30 * DAY, nowMs: NOW, root });
    expect(res.deleted.map((d) => [d.id, d.reason])).toEqual([['ancient', 'age']]);
    expect(store.recordings.list().map((r) => r.id).sort()).toEqual(['old-open', 'recent']);
  });

  it('leaves imported formats and directories outside the root alone', async () => {
    const imported = session('parquet-sample', 100, 40 * DAY, { format: 'parquet' });
    const outside = session('elsewhere', 100, 40 * DAY, { dir: join(tmp, 'elsewhere') });
    const rootItself = session('root-itself', 100, 40 * DAY, { dir: root });
    const ours = session('ours', 100, 40 * DAY);
    const res = await applyRetention({ store: store.recordings, maxBytes: 0, maxAgeMs: DAY, nowMs: NOW, root });
    expect(res.deleted.map((d) => d.id)).toEqual(['ours']);
    expect([imported, outside, rootItself].every((d) => existsSync(d))).toBe(true);
    expect(existsSync(ours)).toBe(false);
  });

  it('drops the row of a session whose directory is already gone', async () => {
    const dir = session('vanished', 100, 40 * DAY);
    rmSync(dir, { recursive: true });
    const res = await applyRetention({ store: store.recordings, maxBytes: 1e12, maxAgeMs: DAY, nowMs: NOW, root });
    expect(res.deleted.map((d) => d.id)).toEqual(['vanished']);
    expect(store.recordings.get('vanished')).toBeUndefined();
  });
});
