/**
 * `npm run sim` world flags: `--assets btc,eth`, `--series btc:5m,btc:15m,eth:5m,btc:1h` and `--correlation 0.8`
 * (or a JSON matrix `[[1,0.8],[0.8,1]]` in --assets order), also as SIM_ASSETS / SIM_SERIES / SIM_CORRELATION.
 *
 * Invariants:
 * - Pure parsing: every bad value throws a CliError whose message names the flag, the value and the expected form;
 *   the correlation matrix itself is checked by startSim (symmetric, unit diagonal, positive semi-definite).
 * - A series is `<asset>:<length>` (5m, 15m, 1h, 4h, <n>m|h|d) or the runtime's key `<asset>-<seconds>`.
 * - --assets without --series simulates each asset's 5m and 15m series.
 */
import type { CorrelationInput } from './correlation';
import { simSeriesFor, type SeriesSpec } from './series';
import { simAssetsFor, type SimAsset } from './sim-assets';

export class CliError extends Error {}

export interface WorldFlags {
  series?: SeriesSpec[];
  assets?: SimAsset[];
  correlation?: CorrelationInput;
}

const UNIT: Record<string, number> = { m: 60, h: 3_600, d: 86_400 };

function parseSeriesItem(item: string): { asset: string; windowSec: number } {
  const m = /^([a-z0-9]{2,10})(?::([1-9][0-9]{0,3})([mhd])|-([1-9][0-9]{1,6}))$/.exec(item);
  if (!m) throw new CliError(`--series: "${item}" is not <asset>:<length> (e.g. btc:5m, eth:15m, btc:1h, sol:4h) or <asset>-<seconds> (btc-300)`);
  const windowSec = m[4] !== undefined ? Number(m[4]) : Number(m[2]) * UNIT[m[3]!]!;
  if (windowSec % 60 !== 0) throw new CliError(`--series: "${item}": the window length must be a whole number of minutes`);
  return { asset: m[1]!, windowSec };
}

const items = (flag: string, text: string) => {
  const list = text.split(',').map((x) => x.trim()).filter(Boolean);
  if (list.length === 0) throw new CliError(`${flag}: empty list`);
  return list;
};

export function parseSeriesFlag(text: string): { asset: string; windowSec: number }[] {
  const out = items('--series', text).map(parseSeriesItem);
  const seen = new Set<string>();
  for (const s of out) {
    const k = `${s.asset}-${s.windowSec}`;
    if (seen.has(k)) throw new CliError(`--series: ${s.asset} with a ${s.windowSec} s window is listed twice`);
    seen.add(k);
  }
  return out;
}

export function parseAssetsFlag(text: string): string[] {
  const out = items('--assets', text);
  for (const a of out) if (!/^[a-z0-9]{2,10}$/.test(a)) throw new CliError(`--assets: "${a}" is not an asset code (2-10 lower-case letters or digits, e.g. eth)`);
  if (new Set(out).size !== out.length) throw new CliError('--assets: an asset is listed twice');
  return out;
}

export function parseCorrelationFlag(text: string): CorrelationInput {
  const t = text.trim();
  if (t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      throw new CliError(`--correlation: "${t}" is not valid JSON`);
    }
    if (!Array.isArray(v) || !v.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'))) throw new CliError('--correlation: a matrix must be a JSON array of arrays of numbers, e.g. [[1,0.8],[0.8,1]]');
    return v as number[][];
  }
  const n = Number(t);
  if (t === '' || !Number.isFinite(n) || n < -1 || n > 1) throw new CliError(`--correlation: "${t}" is not a number in [-1, 1] or a JSON matrix`);
  return n;
}

/** Read `--name value` / `--name=value` flags (and SIM_* env fallbacks) into world options. */
export function parseWorldFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): WorldFlags {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--(assets|series|correlation)(?:=(.*))?$/.exec(a);
    if (!m) throw new CliError(`unknown argument "${a}" (flags: --assets, --series, --correlation)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new CliError(`--${m[1]} needs a value`);
    flags.set(m[1]!, value);
  }
  const get = (name: string, envName: string) => flags.get(name) ?? env[envName];
  const seriesText = get('series', 'SIM_SERIES');
  const assetsText = get('assets', 'SIM_ASSETS');
  const corrText = get('correlation', 'SIM_CORRELATION');
  const out: WorldFlags = {};
  const assets = assetsText !== undefined ? parseAssetsFlag(assetsText) : undefined;
  if (assets) out.assets = simAssetsFor(assets);
  if (seriesText !== undefined) out.series = simSeriesFor(parseSeriesFlag(seriesText));
  else if (assets) out.series = simSeriesFor(assets.flatMap((asset) => [{ asset, windowSec: 300 }, { asset, windowSec: 900 }]));
  if (corrText !== undefined) out.correlation = parseCorrelationFlag(corrText);
  if (assets && out.series) {
    const missing = out.series.find((s) => !assets.includes(s.asset));
    if (missing) throw new CliError(`--series: ${missing.asset} is not in --assets (${assets.join(', ')})`);
  }
  return out;
}
