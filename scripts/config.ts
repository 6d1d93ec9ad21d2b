/**
 * `npm run config -- <verb>`: read and change the runtime configuration from a shell.
 *
 *   get [path]                               the config (or one field: value, hot/restart, source layer, default, range)
 *   set <path> <value> --reason "..."        value is JSON when it parses (20, true, "spot", [300]), else a string
 *   history [--limit N]                      journaled versions, newest first
 *   revert <version> --reason "..."          restore the operator edits of an earlier version
 *
 * Paths are dotted; list items by id or index: risk.maxUsdPerTrade, strategies.hammer.params.dMin, series.btc-300.enabled.
 * When a console answers at http://HOST:PORT (defaults 127.0.0.1:3000; CONSOLE_TOKEN sent as a bearer token) the
 * change goes through its API (hot fields apply at once). Otherwise the config file (DATA_DIR/config.json or
 * CONFIG_FILE) and the journal in DATA_DIR/updown.sqlite are edited directly and the server applies the change at
 * its next start. The output says which. Exit 0 done, 1 refused or failed, 2 bad arguments.
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { formatIssues, getAt, isConfigError, openConfigService, patchForPath, resolvePath, type ConfigService } from '../bot/config';
import { openStore, type Store } from '../bot/store';
import type { ConfigApplyResult, ConfigField, ConfigVersionSummary } from '../lib/schemas/config-api';

const USAGE = `usage: npm run config -- get [path]
       npm run config -- set <path> <value> --reason "why"
       npm run config -- history [--limit N]
       npm run config -- revert <version> --reason "why"`;

class UsageError extends Error {}

interface Args {
  verb: 'get' | 'set' | 'history' | 'revert';
  positional: string[];
  reason?: string;
  limit: number;
}

function parseArgs(argv: string[]): Args | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const positional: string[] = [];
  let reason: string | undefined;
  let limit = 20;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--reason' || a === '--limit') {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      if (a === '--reason') reason = v;
      else limit = Number(v);
    } else if (a.startsWith('--reason=')) reason = a.slice(9);
    else if (a.startsWith('--limit=')) limit = Number(a.slice(8));
    else if (a.startsWith('--')) throw new UsageError(`unknown flag ${a}`);
    else positional.push(a);
  }
  const [verb, ...rest] = positional;
  if (verb !== 'get' && verb !== 'set' && verb !== 'history' && verb !== 'revert') throw new UsageError(verb ? `unknown verb '${verb}'` : 'a verb is needed');
  const want = { get: [0, 1], set: [2, 2], history: [0, 0], revert: [1, 1] }[verb];
  if (rest.length < want[0]! || rest.length > want[1]!) throw new UsageError(`${verb} takes ${want[0] === want[1] ? want[0] : `${want[0]}-${want[1]}`} argument(s), got ${rest.length}`);
  if ((verb === 'set' || verb === 'revert') && (!reason || reason.trim().length < 3)) throw new UsageError(`${verb} needs --reason "..." (at least 3 characters)`);
  if (verb === 'revert' && !/^\d+$/.test(rest[0]!)) throw new UsageError(`revert needs a version number, got '${rest[0]}'`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be an integer in 1..1000');
  return { verb, positional: rest, ...(reason !== undefined ? { reason: reason.trim() } : {}), limit };
}

/** Resolve a dotted path against the config; an unknown list item is a bad argument (exit 2). */
function segsOf(config: unknown, path: string): (string | number)[] {
  try {
    return resolvePath(config, path);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

// ---- the console over HTTP -------------------------------------------------------------------------------------

function consoleUrl(): string {
  const host = process.env.HOST && !['0.0.0.0', '::', '[::]'].includes(process.env.HOST) ? process.env.HOST : '127.0.0.1';
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${process.env.PORT ?? '3000'}`;
}

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (process.env.CONSOLE_TOKEN) headers.authorization = `Bearer ${process.env.CONSOLE_TOKEN}`;
  const res = await fetch(`${consoleUrl()}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(15_000) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The console's GET /api/config, or undefined when nothing answers. */
async function probe(): Promise<Record<string, unknown> | undefined> {
  let res: Response;
  try {
    res = await fetch(`${consoleUrl()}/api/config`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return undefined;
  }
  const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok || !json || typeof json.version !== 'number') {
    throw new Error(`something answers at ${consoleUrl()} but not with a config (HTTP ${res.status}); not editing offline while it runs`);
  }
  return json;
}

// ---- output ------------------------------------------------------------------------------------------------------

function printField(f: ConfigField): void {
  const range = [
    f.exclusiveMinimum !== undefined ? `> ${f.exclusiveMinimum}` : f.minimum !== undefined ? `≥ ${f.minimum}` : '',
    f.exclusiveMaximum !== undefined ? `< ${f.exclusiveMaximum}` : f.maximum !== undefined ? `≤ ${f.maximum}` : '',
  ].filter(Boolean);
  console.log(`${f.path} = ${JSON.stringify(f.value)}`);
  console.log(`  ${f.hot ? 'hot (applies while running)' : 'restart required'}; from the ${f.source} layer; default ${JSON.stringify(f.default)}`);
  if (range.length) console.log(`  range ${range.join(', ')}`);
  if (f.enum) console.log(`  one of ${f.enum.map((x) => JSON.stringify(x)).join(', ')}`);
  if (f.description) console.log(`  ${f.description}`);
}

function printGet(view: { version: number; hash: string; config: unknown; fields: ConfigField[]; pending: unknown[] }, path: string | undefined): void {
  if (path === undefined) {
    console.log(`version ${view.version}  hash ${view.hash.slice(0, 16)}…  pending ${view.pending.length}`);
    console.log(JSON.stringify(view.config, null, 2));
    return;
  }
  const segs = segsOf(view.config, path);
  const field = view.fields.find((f) => f.path === segs.join('.'));
  if (field) return printField(field);
  const v = getAt(view.config, segs);
  if (v === undefined) throw new UsageError(`no field '${path}'`);
  console.log(JSON.stringify(v, null, 2));
}

function printResult(r: ConfigApplyResult): void {
  console.log(`version ${r.version}${r.changed ? '' : ' (no change)'}  hash ${r.hash.slice(0, 16)}…`);
  for (const c of r.diff) console.log(`  ${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}  ${c.hot ? '[hot]' : '[restart]'}`);
  if (r.hot.length) console.log(`  applied now: ${r.hot.join(', ')}`);
  if (r.pending.length) console.log(`  pending until restart: ${r.pending.map((c) => c.path).join(', ')}`);
  if (r.shadowed?.length) console.log(`  still overridden by a higher layer: ${r.shadowed.join(', ')}`);
  if (r.note) console.log(`  note: ${r.note}`);
}

function printHistory(versions: ConfigVersionSummary[]): void {
  for (const v of versions) {
    const paths = v.diff.map((d) => d.path);
    console.log(
      `v${v.version}  ${new Date(v.tsMs).toISOString()}  ${v.status.padEnd(10)}  ${v.actor}  ${v.source}  "${v.reason}"` +
        (paths.length ? `  (${paths.length} change${paths.length === 1 ? '' : 's'}: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''})` : ''),
    );
  }
}

function printRefusal(json: Record<string, unknown>): void {
  const err = (json.error ?? {}) as { code?: string; message?: string; fields?: { path: string; rule?: string; message: string }[] };
  console.error(`refused (${err.code ?? 'error'}): ${err.message ?? ''}`);
  for (const f of err.fields ?? []) console.error(`  ${f.path}: ${f.message}${f.rule ? ` [${f.rule}]` : ''}`);
}

// ---- the two paths -----------------------------------------------------------------------------------------------

async function online(args: Args, view: Record<string, unknown>): Promise<number> {
  console.log(`via the running console at ${consoleUrl()}`);
  const version = view.version as number;
  if (args.verb === 'get') {
    printGet(view as never, args.positional[0]);
    return 0;
  }
  if (args.verb === 'history') {
    const r = await http('GET', `/api/config/history?limit=${args.limit}`);
    printHistory((r.json.versions ?? []) as ConfigVersionSummary[]);
    return 0;
  }
  const r =
    args.verb === 'set'
      ? await http('PATCH', '/api/config', {
          patch: patchForPath(view.config, segsOf(view.config, args.positional[0]!), parseValue(args.positional[1]!)),
          reason: args.reason,
          expectVersion: version,
        })
      : await http('POST', '/api/config/revert', { version: Number(args.positional[0]), reason: args.reason, expectVersion: version });
  if (r.status !== 200) {
    printRefusal(r.json);
    return 1;
  }
  printResult(r.json as unknown as ConfigApplyResult);
  return 0;
}

function offline(args: Args): number {
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const dbFile = join(dataDir, 'updown.sqlite');
  let store: Store | undefined;
  try {
    store = openStore(dbFile);
    if (args.verb === 'history') {
      console.log(`offline (no console answered at ${consoleUrl()}): reading ${dbFile}`);
      printHistory(store.config.history(args.limit).map((r) => ({ ...r, profile: r.layers.profile })));
      return 0;
    }
    const svc: ConfigService = openConfigService({
      dataDir,
      ...(process.env.CONFIG_FILE ? { configFile: process.env.CONFIG_FILE } : {}),
      env: process.env,
      store,
      nowMs: () => Date.now(),
      guard: {
        hasLiveCredentials: () => Boolean(process.env.POLY_PRIVATE_KEY || process.env.POLY_PRIVATE_KEY_FILE),
        host: process.env.HOST || '127.0.0.1',
        consoleTokenSet: Boolean(process.env.CONSOLE_TOKEN),
        tradingModeEnv: process.env.TRADING_MODE ?? '',
      },
      mode: 'offline',
    });
    const file = svc.sources().file.path;
    if (args.verb === 'get') {
      console.log(`offline (no console answered at ${consoleUrl()}): composed from ${file}, the environment and ${dbFile}`);
      printGet({ version: svc.version, hash: svc.hash, config: svc.desired(), fields: svc.describe(), pending: svc.pending() }, args.positional[0]);
      return 0;
    }
    const actor = `cli(${userInfo().username})`;
    const r =
      args.verb === 'set'
        ? svc.applyToFile(patchForPath(svc.desired(), segsOf(svc.desired(), args.positional[0]!), parseValue(args.positional[1]!)), actor, args.reason!, 'cli (offline)')
        : svc.revert(Number(args.positional[0]), actor, args.reason!, 'cli (offline)');
    console.log(
      `offline (no console answered at ${consoleUrl()}): ${args.verb === 'set' ? `edited ${file} and ` : ''}journaled version ${r.version} in ${dbFile}; the server applies it at its next start`,
    );
    printResult(r);
    return 0;
  } catch (err) {
    if (isConfigError(err)) {
      console.error(`refused (${err.kind}): ${err.issues.length ? `\n${formatIssues(err.issues)}` : err.message}`);
      return 1;
    }
    throw err;
  } finally {
    store?.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`npm run config: ${err.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  const run = args;
  try {
    const view = await probe();
    return view ? await online(run, view) : offline(run);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`npm run config: ${err.message}\n${USAGE}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`npm run config: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
