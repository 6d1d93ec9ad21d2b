/**
 * `npm run kill -- --reason "..." [--state halted|reducing] [--offline]`: the operator's kill switch from a shell.
 *
 * - A console answers on HOST:PORT (default 127.0.0.1:3000, like `npm start`): the halt goes to it over HTTP
 *   (`POST /api/kill-switch`, `Authorization: Bearer $CONSOLE_TOKEN` when set), so it takes effect now (the running
 *   bot cancels its orders in the same turn).
 * - No console answers: the state and an audit entry are written straight into the store at
 *   `<DATA_DIR>/updown.sqlite` (DATA_DIR default ./data/live, like `npm start`); the console restores it at its next
 *   start and comes up halted. `--offline` forces this path.
 *
 * It says which it did. Exit 0 done, 1 refused or failed (nothing written), 2 bad flags (a missing reason is refused).
 * Re-activating is not a CLI verb: it needs an operator with a reason in the console. No secret is ever printed.
 */
import { join, resolve } from 'node:path';
import { EventBus } from '../bot/bus';
import { LiveClock } from '../bot/clock';
import { KillSwitch } from '../bot/risk';
import { openStore } from '../bot/store';

const USAGE = 'usage: npm run kill -- --reason "why" [--state halted|reducing] [--offline]';
const ACTOR = 'operator(cli)';
const PROBE_TIMEOUT_MS = 1_500;
const REQUEST_TIMEOUT_MS = 10_000;

type KillState = 'halted' | 'reducing';
interface Args {
  reason: string;
  state: KillState;
  offline: boolean;
}

/** Parse the flags; a string is the usage error. */
function parseArgs(argv: readonly string[]): Args | 'help' | string {
  let reason: string | undefined;
  let state: string = 'halted';
  let offline = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[++i] : undefined);
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--offline' && inline === undefined) offline = true;
    else if (flag === '--reason') {
      const v = value();
      if (v === undefined) return '--reason needs a value: --reason "why you halt"';
      reason = v;
    } else if (flag === '--state') {
      const v = value();
      if (v === undefined) return '--state needs a value: halted or reducing';
      state = v;
    } else return `unknown argument ${a} (known: --reason, --state, --offline, --help)`;
  }
  if (state === 'active') return '--state active is refused: re-activating needs an operator with a reason in the console';
  if (state !== 'halted' && state !== 'reducing') return `--state must be halted or reducing (got ${state})`;
  if (reason === undefined) return 'a reason is required: --reason "why you halt" (it goes into the audit trail)';
  const r = reason.trim();
  if (r.length < 3) return 'the reason must say why (at least 3 characters)';
  if (r.length > 500) return 'the reason is too long (at most 500 characters)';
  return { reason: r, state, offline };
}

function consoleBase(): string {
  const raw = process.env.HOST?.trim() || '127.0.0.1';
  const host = raw === '0.0.0.0' || raw === '::' ? '127.0.0.1' : raw;
  const port = Number(process.env.PORT ?? 3000);
  return `http://${host.includes(':') ? `[${host}]` : host}:${Number.isInteger(port) && port > 0 ? port : 3000}`;
}

/** True when an Up/Down console answers GET /api/kill-switch at `base`. */
async function consoleAnswers(base: string): Promise<boolean> {
  try {
    const r = await fetch(`${base}/api/kill-switch`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await r.json().catch(() => undefined)) as { state?: unknown } | undefined;
    return r.ok && typeof body?.state === 'string';
  } catch {
    return false;
  }
}

async function viaConsole(base: string, a: Args): Promise<number> {
  const token = process.env.CONSOLE_TOKEN?.trim();
  let r: Response;
  try {
    r = await fetch(`${base}/api/kill-switch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ state: a.state, reason: a.reason }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    console.error(`npm run kill: the console at ${base} did not answer the request (${err instanceof Error ? err.message : String(err)}); nothing changed`);
    console.error('  retry, or record it for the next start with --offline');
    return 1;
  }
  const body = (await r.json().catch(() => ({}))) as { state?: string; reason?: string; actor?: string; error?: { code?: string; message?: string } };
  if (!r.ok) {
    console.error(`npm run kill: the console at ${base} refused: HTTP ${r.status} ${body.error?.message ?? ''}`.trimEnd());
    if (r.status === 401) console.error('  set CONSOLE_TOKEN to the console\'s operator token and retry');
    console.error('  (--offline records it in the store instead; it then takes effect at the next start only)');
    return 1;
  }
  console.log(`kill: ${body.state ?? a.state} now, via the running console at ${base} (actor ${body.actor ?? '?'}, reason "${body.reason ?? a.reason}")`);
  return 0;
}

function viaStore(a: Args, why: string): number {
  const dataDir = resolve(process.env.DATA_DIR?.trim() || './data/live');
  const file = join(dataDir, 'updown.sqlite');
  const store = openStore(file);
  try {
    const clock = new LiveClock();
    const killSwitch = new KillSwitch({ clock, bus: new EventBus({ clock }), store: store.killSwitch, audit: store.audit });
    const before = killSwitch.snapshot();
    store.audit.record(clock.nowMs(), ACTOR, 'killswitch.cli', { state: a.state, reason: a.reason, via: 'store', why });
    const after = killSwitch.set({ state: a.state, reason: a.reason, actor: ACTOR });
    if (before.state === after.state) {
      console.log(`kill: already ${after.state} in ${file} (since ${new Date(after.sinceMs).toISOString()}, reason "${after.reason}"); request recorded in the audit trail`);
    } else {
      console.log(`kill: ${after.state} written to ${file} (${why}); the console comes up ${after.state} at its next start (reason "${after.reason}")`);
    }
    return 0;
  } finally {
    store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (a === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (typeof a === 'string') {
    console.error(`npm run kill: ${a}\n${USAGE}`);
    return 2;
  }
  if (a.offline) return viaStore(a, '--offline');
  const base = consoleBase();
  if (await consoleAnswers(base)) return viaConsole(base, a);
  return viaStore(a, `no console answers on ${base}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`npm run kill: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
