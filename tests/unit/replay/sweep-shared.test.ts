/**
 * Sessions imported once by the sweep's parent (bot/replay/sweep-shared.ts): the real sample's Parquet import is
 * collected, and replaying it through `sharedSource` (what a worker does with it) gives the same ledger hash, events and
 * invalid count as replaying the import itself, at any chunk size; a seed-001 CSV and a recording are left to the
 * workers (they import quickly or stream from disk).
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
    expect(s.frames.length).toBe(s.manifest.frames);
    // What crosses to a worker is a structured clone.
    const copy = structuredClone(shared).sessions[SAMPLE]!;
    const config = defaultRuntimeConfig();
    const direct = await runReplay({ source: await openSession(SAMPLE), config });
    const viaShared = await runReplay({ source: sharedSource(copy), config, chunkSize: 997 });
    expect(viaShared.ledgerHash).toBe(direct.ledgerHash);
    expect(viaShared.events).toBe(direct.events);
    expect(viaShared.invalidFrames).toBe(direct.invalidFrames);
    expect(direct.trades).toBeGreaterThan(0);
  }, 60_000);

  it('leaves seed-001 CSVs and recordings to the workers', async () => {
    const dir = join(tmp, 'rec');
    await generateSynthetic({ hours: 0.05, seed: 'sweep-shared', dir, spotTicksPerSec: 1 });
    const shared = await prepareSweepShared(['tests/fixtures/replay/seed001/sample.csv', dir], { markets: 'tests/fixtures/replay/seed001/markets.json' });
    expect(shared.sessions).toEqual({});
  }, 60_000);
});
