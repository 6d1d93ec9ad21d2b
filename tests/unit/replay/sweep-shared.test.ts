/**
 * Sessions imported once by the sweep's parent (bot/replay/sweep-shared.ts): the real sample's Parquet import and a
 * seed-001 CSV's frames are packed into shared memory, and replaying them through `sharedSource` (what a worker does
 * with them) gives the same ledger hash, events and invalid count as replaying the import itself, at any chunk size;
 * a recording is left to the workers (it streams from disk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSession } from '../../../bot/replay/open-session';
import { generateSynthetic } from '../../../bot/replay/synth';
import { prepareSweepShared, sharedSource } from '../../../bot/replay/sweep-shared';
import { runReplay } from '../../../bot/replay-run';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';

const SAMPLE = resolve('samples/polymarket-btc-5m-books');
const tmp = mkdtempSync(join(tmpdir(), 'sweep-shared-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prepareSweepShared', () => {
  it('collects the Parquet sample once; a worker replaying the shared copy gets the import’s ledger', async () => {
    const shared = await prepareSweepShared([SAMPLE], {});
    const s = shared.sessions[SAMPLE]!;
    expect(s.manifest.format).toBe('parquet');
    expect(s.frames.frames).toBe(s.manifest.frames);
    // What crosses to a worker is a structured clone (its buffers shared, not copied).
    const copy = structuredClone(shared).sessions[SAMPLE]!;
    const config = defaultRuntimeConfig();
    const direct = await runReplay({ source: await openSession(SAMPLE), config });
    const viaShared = await runReplay({ source: sharedSource(copy), config, chunkSize: 997 });
    expect(viaShared.ledgerHash).toBe(direct.ledgerHash);
    expect(viaShared.events).toBe(direct.events);
    expect(viaShared.invalidFrames).toBe(direct.invalidFrames);
    expect(direct.trades).toBeGreaterThan(0);
  }, 60_000);

  it('shares a seed-001 CSV import the same way (same ledger, events and bad-row count), and leaves recordings to the workers', async () => {
    const csv = 'tests/fixtures/replay/seed001/sample.csv';
    const markets = 'tests/fixtures/replay/seed001/markets.json';
    const dir = join(tmp, 'rec');
    await generateSynthetic({ hours: 0.05, seed: 'sweep-shared', dir, spotTicksPerSec: 1 });
    const shared = await prepareSweepShared([csv, dir], { markets });
    expect(Object.keys(shared.sessions)).toEqual([csv]);
    const s = structuredClone(shared).sessions[csv]!;
    expect(s.manifest.format).toBe('seed001-csv');
    expect(s.invalid.count).toBe(6);
    const config = defaultRuntimeConfig();
    const direct = await runReplay({ source: await openSession(csv, { markets }), config });
    const viaShared = await runReplay({ source: sharedSource(s), config, chunkSize: 5 });
    expect(viaShared.ledgerHash).toBe(direct.ledgerHash);
    expect(viaShared.events).toBe(direct.events);
    expect(viaShared.events).toBe(24);
    expect(viaShared.invalidFrames).toBe(6);
  }, 60_000);
});
