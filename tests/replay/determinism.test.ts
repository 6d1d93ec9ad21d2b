/**
 * Determinism (batteries P2): the same recorded session replayed twice, in different chunk sizes and at different
 * speeds, gives byte-identical ledgers. Uses the real sample in the repository (three BTC 5m markets, CC BY 4.0,
 * CronosVirus00 — see samples/polymarket-btc-5m-books/README.md), with the strategies that can run on books only.
 */
import { describe, expect, it } from 'vitest';
import { importParquetBooks } from '../../bot/replay/import-parquet';
import { runReplay, type ReplayRunResult } from '../../bot/replay-run';
import { defaultRuntimeConfig } from '../../lib/schemas/config';

const SAMPLE = 'samples/polymarket-btc-5m-books/market_data';

async function replay(opts: { chunkSize?: number; speed?: number }): Promise<ReplayRunResult> {
  const source = await importParquetBooks(SAMPLE);
  return runReplay({ source, config: defaultRuntimeConfig(), ...opts });
}

describe('replay determinism on the real sample', () => {
  it('the same session twice, chunked 4096 / 1 / 997 and paced at 20,000x, gives one ledger hash', async () => {
    const a = await replay({});
    const b = await replay({});
    const c = await replay({ chunkSize: 1 });
    const d = await replay({ chunkSize: 997, speed: 20_000 });
    // The run must be non-trivial for the hash to mean anything: orders, fills and settlements happened.
    const kinds = new Set(a.ledger.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['decision', 'fill', 'order', 'settle']);
    expect(a.trades).toBeGreaterThan(0);
    for (const r of [b, c, d]) {
      expect(r.ledgerHash).toBe(a.ledgerHash);
      expect(r.ledger).toEqual(a.ledger);
      expect(r.events).toBe(a.events);
    }
  }, 120_000);

  it('a different config gives a different ledger (the hash covers the decisions)', async () => {
    const source = await importParquetBooks(SAMPLE);
    const base = defaultRuntimeConfig();
    const a = await runReplay({ source, config: base });
    const cfg = defaultRuntimeConfig();
    const tb = cfg.strategies.find((s) => s.type === 'time-bucket')!;
    tb.params = { ...tb.params, entryBidThreshold: 0.8 };
    const b = await runReplay({ source: await importParquetBooks(SAMPLE), config: cfg });
    expect(b.ledgerHash).not.toBe(a.ledgerHash);
  }, 120_000);
});
