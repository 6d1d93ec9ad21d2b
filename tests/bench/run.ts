/**
 * `npm run bench`: runs every tests/bench/*.bench.ts, prints one table (figure, value, baseline, ratio, target)
 * and writes the same rows as JSON to bench-results/latest.json. Filter with `npm run bench -- <id-substring>`;
 * `npm run bench -- --list` loads every benchmark module and lists the ids without running or writing anything.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchRow } from './types';

function fmt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const dir = join(process.cwd(), 'tests', 'bench');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows: BenchRow[] = [];
  const list = filter === '--list';
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { benchmarks?: Benchmark[] };
    for (const b of mod.benchmarks ?? []) {
      if (list) {
        console.log(`${b.id}\t${b.title}\t(${f})`);
        continue;
      }
      if (filter && !b.id.includes(filter) && !b.title.includes(filter)) continue;
      process.stderr.write(`running ${b.id}: ${b.title} ...\n`);
      try {
        rows.push(...(await b.run()));
      } catch (err) {
        rows.push({ id: b.id, figure: b.title, value: NaN, unit: '', target: 'runs', pass: false, notes: String(err) });
      }
    }
  }
  if (list) return;
  const header = ['id', 'figure', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass'];
  const table = rows.map((r) => [
    r.id,
    r.figure,
    fmt(r.value),
    r.unit,
    r.baseline === undefined ? '-' : `${fmt(r.baseline)} (${r.baselineLabel ?? 'baseline'})`,
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
    r.target,
    r.pass === undefined ? '-' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) console.log(line(t));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
  console.log(`\n${rows.length} rows; JSON in bench-results/latest.json`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
