/**
 * openSession: each kind of reference (recording directory or its manifest.json, Parquet directory or its parent
 * with market_data/, seed-001 CSV, relative path under dataDir, session id through the index) opens with the right
 * reader, and every failure says what was tried.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../../bot/replay/open-session';
import { RecordingWriter } from '../../../bot/replay/recording-writer';
import type { RecordedFrame, SessionSource } from '../../../bot/replay/session';

const SAMPLE = join(__dirname, '../../../samples/polymarket-btc-5m-books');
const FIXTURES = join(__dirname, '../../fixtures/replay');
const CSV = join(FIXTURES, 'seed001/sample.csv');
const MARKETS = join(FIXTURES, 'seed001/markets.json');
const T0 = 1776327600_000;

let tmp: string;
let recDir: string;
const recFrames: RecordedFrame[] = [
  { source: 'polybolt', tsRecvMs: T0, raw: '{"v":1,"channel":"price.crypto","seq":0,"ts":1776327600000,"payload":{"symbol":"btcusd","value":84000,"timestamp":1776327600000}}' },
  { source: 'clob-market', tsRecvMs: T0 + 10, raw: 'PONG' },
];

async function collect(src: SessionSource): Promise<RecordedFrame[]> {
  const out: RecordedFrame[] = [];
  for await (const c of src.frames()) out.push(...c);
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'open-session-'));
  recDir = join(tmp, 'rec-1');
  const w = new RecordingWriter({ dir: recDir, id: 'rec-1', format: 'recording', createdAtMs: T0 });
  for (const f of recFrames) w.frame(f);
  await w.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('openSession by path', () => {
  it('opens a recording directory, or its manifest.json, with the recording reader', async () => {
    for (const ref of [recDir, join(recDir, 'manifest.json')]) {
      const s = await openSession(ref);
      expect(s.manifest.format).toBe('recording');
      expect(s.manifest.id).toBe('rec-1');
      expect(await collect(s)).toEqual(recFrames);
    }
  });

  it('opens a Parquet directory and a folder holding market_data/ with the Parquet importer', async () => {
    for (const ref of [join(SAMPLE, 'market_data'), SAMPLE]) {
      const s = await openSession(ref, { maxRows: 20 });
      expect(s.manifest.format).toBe('parquet');
      expect(s.manifest.attribution).toContain('CronosVirus00');
      // 20 rows of the one-token first market + their 20 mirrors (maxRows is passed through).
      expect(await collect(s)).toHaveLength(40);
    }
  });

  it('opens a seed-001 CSV with its markets JSON, and refuses one without', async () => {
    const s = await openSession(CSV, { markets: MARKETS });
    expect(s.manifest.format).toBe('seed001-csv');
    expect(s.manifest.markets).toHaveLength(3);
    await expect(openSession(CSV)).rejects.toThrow('a seed-001 CSV needs --markets <json>');
  });

  it('tries a relative path under dataDir', async () => {
    const s = await openSession('seed001/sample.csv', { dataDir: FIXTURES, markets: MARKETS });
    expect(s.manifest.format).toBe('seed001-csv');
  });

  it('rejects a directory or file that holds no session, saying why', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    await expect(openSession(empty)).rejects.toThrow(`${empty}: not a session directory (no manifest.json, no *.parquet files`);
    const txt = join(tmp, 'notes.txt');
    writeFileSync(txt, 'hello');
    await expect(openSession(txt)).rejects.toThrow(`${txt}: not a session`);
  });
});

describe('openSession by id', () => {
  it('resolves an id through the session index (absolute, or relative to dataDir)', async () => {
    const asked: string[] = [];
    const s = await openSession('rec-1', { lookupId: (id) => (asked.push(id), id === 'rec-1' ? recDir : undefined) });
    expect(asked).toEqual(['rec-1']);
    expect(s.manifest.id).toBe('rec-1');
    const r = await openSession('rec-1', { dataDir: join(tmp, 'elsewhere'), lookupId: () => join('..', 'rec-1') });
    expect(r.manifest.id).toBe('rec-1');
  });

  it('prefers an existing path over an id lookup', async () => {
    let looked = false;
    const s = await openSession(recDir, { lookupId: () => ((looked = true), undefined) });
    expect(s.manifest.id).toBe('rec-1');
    expect(looked).toBe(false);
  });

  it('says what was tried for an unknown id, a missing index, a dangling index entry and a non-id', async () => {
    await expect(openSession('no-such-session', { lookupId: () => undefined })).rejects.toThrow(
      /session "no-such-session" not found: tried the path .*no-such-session, and the session index has no id "no-such-session"/,
    );
    await expect(openSession('no-such-session', { dataDir: tmp })).rejects.toThrow(
      new RegExp(`tried the paths .*no-such-session, ${tmp}/no-such-session; no session index to look the id up in`),
    );
    const gone = join(tmp, 'gone');
    await expect(openSession('s-9', { lookupId: () => gone })).rejects.toThrow(`session "s-9": the session index points at ${gone}, which does not exist`);
    await expect(openSession(join(tmp, 'a b', 'c'))).rejects.toThrow(/not found: tried the path .*, and it is not a session id/);
    await expect(openSession('  ')).rejects.toThrow('no session given');
  });
});
