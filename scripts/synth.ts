/**
 * `npm run synth -- [--hours 24] [--seed 7] [--rate N] [--ref-rate N] [--start ISO|ms] [--out dir] [--id id] [--force]`
 *
 * Generates a synthetic session from the built-in simulator (bot/replay/synth.ts): every market-socket, PolyBolt and
 * spot frame a subscribed bot would have received over `--hours` of simulated time, written as a recording into
 * `<DATA_DIR>/recordings/<id>` (or --out) and indexed in the data directory's store, ready for `npm run replay`.
 * --rate is spot trades per second (default 50: a 24 h session then holds over 5 million frames; 4 is the
 * simulator's own rate), --ref-rate the reference reports per second (default 1, the simulator's). Same flags ->
 * byte-identical frames. Exit 0 done, 1 failed, 2 bad flags.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSynthetic, synthSessionId, SYNTH_DEFAULT_START_MS, type SynthOptions } from '../bot/replay/synth';
import { openStore } from '../bot/store';
import { DATA_DIR, parseFlags, runMain, UsageError } from './replay-common';

const USAGE = 'usage: npm run synth -- [--hours 24] [--seed 7] [--rate N] [--ref-rate N] [--start ISO|ms] [--out dir] [--id id] [--force]';
const DEFAULT_SPOT_RATE = 50;

function numberFlag(name: string, v: string | undefined, fallback: number, ok: (n: number) => boolean, rule: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name} ${rule} (got "${v}")\n${USAGE}`);
  return n;
}

function startFlag(v: string | undefined): number {
  if (v === undefined) return SYNTH_DEFAULT_START_MS;
  const ms = /^[0-9]+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`--start must be an ISO time or epoch ms (got "${v}")\n${USAGE}`);
  return ms;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

runMain(async () => {
  const { values, positionals } = parseFlags(process.argv.slice(2), {
    hours: { type: 'string' }, seed: { type: 'string' }, rate: { type: 'string' }, 'ref-rate': { type: 'string' },
    start: { type: 'string' }, out: { type: 'string' }, id: { type: 'string' }, force: { type: 'boolean' },
  }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  const hours = numberFlag('hours', values.hours, 24, (n) => n > 0 && n <= 744, 'must be a number of hours in (0, 744]');
  const spotTicksPerSec = numberFlag('rate', values.rate, DEFAULT_SPOT_RATE, (n) => n > 0 && Number.isInteger(1000 / n), 'must divide 1000 ms into whole ms (e.g. 4, 10, 20, 40, 50, 100)');
  const referenceTicksPerSec = numberFlag('ref-rate', values['ref-rate'], 1, (n) => [1, 2, 4, 5, 8, 10].includes(n), 'must be 1, 2, 4, 5, 8 or 10');
  const seed = values.seed ?? '7';
  if (seed.length === 0 || seed.length > 100) throw new UsageError(`--seed must be 1..100 characters\n${USAGE}`);
  const startMs = startFlag(values.start);
  const id = values.id ?? synthSessionId({ hours, seed, startMs, referenceTicksPerSec, spotTicksPerSec });
  if (!/^[A-Za-z0-9._-]{1,120}$/.test(id)) throw new UsageError(`--id must match [A-Za-z0-9._-]{1,120} (got "${id}")\n${USAGE}`);
  const dir = resolve(values.out ?? join(DATA_DIR, 'recordings', id));
  if (existsSync(join(dir, 'manifest.json'))) {
    if (!values.force) throw new Error(`${dir} already holds a session: pass --force to replace it, or choose --id / --out`);
    rmSync(dir, { recursive: true, force: true });
  }

  const t0 = performance.now();
  const tty = process.stderr.isTTY === true;
  const opts: SynthOptions = {
    hours, seed, startMs, dir, id, referenceTicksPerSec, spotTicksPerSec, createdAtMs: Date.now(),
    progressEveryMs: tty ? 60_000 : 3_600_000,
    onProgress: (p) => {
      const pct = ((100 * (p.simMs - p.startMs)) / (p.endMs - p.startMs)).toFixed(1).padStart(5);
      const wall = (performance.now() - t0) / 1000;
      const line = `synth ${pct}%  ${iso(p.simMs)}  ${p.frames.toLocaleString('en-US')} frames  ${mb(p.bytes)}  ${wall.toFixed(1)} s`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
  };
  const manifest = await generateSynthetic(opts);
  if (tty) process.stderr.write('\n');
  const wallS = (performance.now() - t0) / 1000;

  mkdirSync(DATA_DIR, { recursive: true });
  const store = openStore(join(DATA_DIR, 'updown.sqlite'));
  try {
    store.recordings.upsert(manifest, dir);
  } finally {
    store.close();
  }
  const perSource = manifest.sources.join(', ');
  console.log(`session   ${manifest.id} (synthetic, seed ${seed}, spot ${spotTicksPerSec}/s, reference ${referenceTicksPerSec}/s)`);
  console.log(`frames    ${manifest.frames.toLocaleString('en-US')} (${perSource}), ${manifest.markets.length} markets, ${manifest.segments.length} segment(s), ${mb(manifest.bytes)}`);
  console.log(`range     ${iso(manifest.startMs)} .. ${iso(manifest.endMs)}`);
  console.log(`generated in ${wallS.toFixed(1)} s (${Math.round(manifest.frames / wallS).toLocaleString('en-US')} frames/s)`);
  console.log(`dir       ${dir}`);
  console.log(`replay    npm run replay -- ${manifest.id}`);
  return 0;
});
