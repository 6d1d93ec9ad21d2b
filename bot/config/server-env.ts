/**
 * Server settings from the environment, parsed once with zod. Secrets (private key, API creds) are read
 * from the environment or from a file named by *_FILE, and are never part of the config, a log or a response.
 * Every reader takes the environment as an argument (bot/ never reads process.env itself): the server passes
 * process.env at its edge (lib/server/runtime-registry.ts), and so do the CLI scripts.
 *
 * Binding rule (console security): the console listens on loopback unless told otherwise; a non-loopback listen
 * address without CONSOLE_TOKEN is refused here, so a runtime is never created behind an open port. The address is
 * the `-H/--hostname` of the `next start|dev` command line when the process is one (Next binds every interface when
 * it has none), else HOST. scripts/lib.mjs makes the same decision before it spawns anything (a test keeps the two
 * in step). CONSOLE_PROTECT_READS=1 (reads need the token or a login session too) needs CONSOLE_TOKEN.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { configProfileNames } from '../../lib/schemas/config';

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Loopback listen addresses: 127.0.0.0/8, ::1 (bracketed or not), ::ffff:127.x, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) && v4.split('.').every((o) => Number(o) <= 255);
}

/**
 * The address a `next start|dev` process listens on, from its command line: the `-H` / `--hostname` value, or
 * `0.0.0.0` when the command has none (Next's default: every interface). Undefined when argv is not a next command.
 */
export function listenHostFromArgv(argv: readonly string[]): string | undefined {
  const cmd = argv.findIndex((a, i) => i > 0 && (a === 'start' || a === 'dev') && /(^|[\\/])next(\.js)?$|next[\\/]dist[\\/]bin[\\/]next$/.test(argv[i - 1] ?? ''));
  if (cmd < 0) return undefined;
  for (let i = cmd + 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-H' || a === '--hostname') return argv[i + 1] ?? '0.0.0.0';
    if (a.startsWith('--hostname=')) return a.slice('--hostname='.length);
    if (a.startsWith('-H') && a.length > 2) return a.slice(2);
  }
  return '0.0.0.0';
}

/** Why the console must not start with this listen address and token (undefined: it may). */
export function bindingRefusal(host: string, consoleToken: string | undefined): string | undefined {
  if (isLoopbackHost(host) || (consoleToken ?? '').length > 0) return undefined;
  return (
    `the console would listen on ${host}, which is not a loopback address, and CONSOLE_TOKEN is not set: anyone who can reach it could stop the bot, ` +
    'change its limits or arm live trading. Set CONSOLE_TOKEN (at least 12 characters; operators then log in at /login or send it as a Bearer token), ' +
    'or listen on 127.0.0.1 (unset HOST).'
  );
}

const envSchema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  TRADING_MODE: z.enum(['paper', 'live']).default('paper'),
  VENUE: z.enum(['sim', 'polymarket']).default('sim'),
  CONSOLE_TOKEN: z.string().min(12, 'CONSOLE_TOKEN must be at least 12 characters').max(512).optional(),
  /** Reads (GET routes, the SSE stream, the pages) need the token or a login session too; needs CONSOLE_TOKEN. */
  CONSOLE_PROTECT_READS: bool.default(false),
  /**
   * Where the console listens (scripts/lib.mjs passes it to `next start -H`; the `-H` of a next command line wins,
   * see readServerEnv). A non-loopback address needs CONSOLE_TOKEN.
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The config file layer; default `<DATA_DIR>/config.json`. */
  CONFIG_FILE: z.string().min(1).optional(),
  /** The profile layer (paper, live, high_vol, low_vol) unless an operator chose one in the console. */
  CONFIG_PROFILE: z.enum(configProfileNames).optional(),
  AUTO_START: bool.default(true),
  /** `npm start -- --arm` (scripts/start.mjs sets it): arm live trading as soon as the start's preflight says GO. */
  ARM_AT_START: bool.default(false),
  SIM_SPEED: z.coerce.number().positive().max(1000).default(1),
  SIM_SEED: z.coerce.number().int().nonnegative().default(42),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UPDOWN_ENABLE_TEST_ROUTES: bool.default(false),
  SSE_CLIENT_MAX_BYTES: z.coerce.number().int().min(16_384).max(64 * 1024 * 1024).default(1024 * 1024),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(1_000).max(120_000).default(15_000),
  /**
   * The simulator's timeline when it runs in another process at a speed other than 1 (`npm run sim` prints it):
   * `startMs:speed:realStartMs`.
   */
  SIM_CLOCK: z
    .string()
    .regex(/^\d+:\d+(\.\d+)?:\d+$/, 'SIM_CLOCK must be startMs:speed:realStartMs (copy it from `npm run sim`)')
    .transform((v) => {
      const [startMs, speed, realStartMs] = v.split(':').map(Number) as [number, number, number];
      return { startMs, speed, realStartMs };
    })
    .refine((c) => c.speed > 0 && c.speed <= 1000, 'SIM_CLOCK speed must be in (0, 1000]')
    .optional(),
  /** `rtds`: use the deprecated legacy reference feed when there are no CLOB API credentials. */
  REFERENCE_FEED: z.enum(['auto', 'rtds']).default('auto'),
});

export type ServerEnv = z.infer<typeof envSchema>;

/**
 * Parse the environment. `argv` is the process's command line (default process.argv): when it is `next start|dev`,
 * its `-H` (or Next's every-interface default) is the HOST. Throws (refusing to run) on a bad variable, on a
 * non-loopback HOST without CONSOLE_TOKEN, and on CONSOLE_PROTECT_READS without CONSOLE_TOKEN.
 */
export function readServerEnv(source: NodeJS.ProcessEnv, argv: readonly string[] = process.argv): ServerEnv {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}`);
  }
  const env = { ...parsed.data, HOST: listenHostFromArgv(argv) ?? parsed.data.HOST, DATA_DIR: resolve(parsed.data.DATA_DIR) };
  const refusal = bindingRefusal(env.HOST, env.CONSOLE_TOKEN);
  if (refusal) throw new Error(`invalid environment:\n  HOST: ${refusal}`);
  if (env.CONSOLE_PROTECT_READS && !env.CONSOLE_TOKEN) throw new Error('invalid environment:\n  CONSOLE_PROTECT_READS: protecting reads needs CONSOLE_TOKEN (the token operators log in with)');
  return env;
}

/** Read a secret from NAME or from the file named by NAME_FILE (trimmed). Undefined when neither is set. */
export function readSecret(name: string, source: NodeJS.ProcessEnv): string | undefined {
  const direct = source[name];
  if (direct) return direct.trim();
  const file = source[`${name}_FILE`];
  if (file) {
    const problem = secretFileProblem(file);
    if (problem) throw new Error(`${name}_FILE: ${problem}`);
    return readFileSync(file, 'utf8').trim();
  }
  return undefined;
}

/**
 * Why a secret file may not be used (undefined when it may): it must be a regular file that only its owner can read
 * or write (mode 0600 or 0400: no group or other bits), like ssh keys. The message names the path and the mode, never
 * the content.
 */
export function secretFileProblem(file: string): string | undefined {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    return `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (!st.isFile()) return `${file} is not a regular file`;
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    return `${file} is readable by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): run \`chmod 600 ${file}\``;
  }
  return undefined;
}

const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, 'expected an http(s):// URL');
const wsUrl = z.string().regex(/^wss?:\/\/[^\s]+$/, 'expected a ws(s):// URL');
const ENDPOINT_SCHEMAS = {
  GAMMA_URL: httpUrl,
  CLOB_URL: httpUrl,
  MARKET_WS_URL: wsUrl,
  USER_WS_URL: wsUrl,
  POLYBOLT_URL: wsUrl,
  RTDS_URL: wsUrl,
  SPOT_URL: wsUrl,
  GEOBLOCK_URL: httpUrl,
} as const;

/**
 * Venue endpoint overrides (GAMMA_URL, CLOB_URL, MARKET_WS_URL, USER_WS_URL, POLYBOLT_URL, RTDS_URL, SPOT_URL,
 * GEOBLOCK_URL): any subset; the rest stay Polymarket's. Trailing slashes are dropped. A malformed URL stops the
 * server with the variable's name.
 */
export function readEndpointOverrides(source: NodeJS.ProcessEnv): Partial<Record<keyof typeof ENDPOINT_SCHEMAS, string>> {
  const out: Partial<Record<keyof typeof ENDPOINT_SCHEMAS, string>> = {};
  const bad: string[] = [];
  for (const [name, schema] of Object.entries(ENDPOINT_SCHEMAS) as [keyof typeof ENDPOINT_SCHEMAS, z.ZodString][]) {
    const v = source[name];
    if (v === undefined || v === '') continue;
    const r = schema.safeParse(v.trim());
    if (r.success) out[name] = r.data.replace(/\/+$/, '');
    else bad.push(`  ${name}: ${r.error.issues[0]?.message}`);
  }
  if (bad.length) throw new Error(`invalid environment:\n${bad.join('\n')}`);
  return out;
}

export interface EnvCredentials {
  /** The signing key (live trading; in paper mode only used to create/derive API credentials). */
  key?: { privateKey: string; signatureType: 0 | 1 | 2 | 3; funder?: string };
  api?: { key: string; secret: string; passphrase: string };
}

/**
 * Trading credentials from the environment or secret files: POLY_PRIVATE_KEY[_FILE], POLY_SIGNATURE_TYPE (0-3,
 * default 0), POLY_FUNDER, POLY_API_KEY / POLY_API_SECRET / POLY_API_PASSPHRASE [_FILE]. Never logged.
 */
export function readCredentials(source: NodeJS.ProcessEnv): EnvCredentials {
  const key = readSecret('POLY_API_KEY', source);
  const secret = readSecret('POLY_API_SECRET', source);
  const passphrase = readSecret('POLY_API_PASSPHRASE', source);
  const parts = [key, secret, passphrase].filter(Boolean).length;
  if (parts !== 0 && parts !== 3) throw new Error('set all three of POLY_API_KEY, POLY_API_SECRET and POLY_API_PASSPHRASE, or none');
  const api = key && secret && passphrase ? { key, secret, passphrase } : undefined;
  const privateKey = readSecret('POLY_PRIVATE_KEY', source);
  if (privateKey !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(privateKey)) throw new Error('POLY_PRIVATE_KEY must be 32 bytes of hex');
  const sigRaw = source.POLY_SIGNATURE_TYPE ?? '0';
  if (!/^[0-3]$/.test(sigRaw)) throw new Error('POLY_SIGNATURE_TYPE must be 0 (EOA), 1 (proxy), 2 (safe) or 3 (deposit wallet)');
  const funder = source.POLY_FUNDER;
  if (funder !== undefined && funder !== '' && !/^0x[0-9a-fA-F]{40}$/.test(funder)) throw new Error('POLY_FUNDER must be a 0x address');
  return {
    ...(privateKey ? { key: { privateKey: privateKey.startsWith('0x') ? privateKey : `0x${privateKey}`, signatureType: Number(sigRaw) as 0 | 1 | 2 | 3, ...(funder ? { funder } : {}) } } : {}),
    ...(api ? { api } : {}),
  };
}
