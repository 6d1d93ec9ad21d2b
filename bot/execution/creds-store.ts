/**
 * Secrets kept in the data directory, readable by the service user only: derived CLOB API credentials per
 * (CLOB host, signer address, nonce) in `credentials.json`, and an optional data-only paper wallet
 * (`paper-wallet.json`: a freshly generated key that holds no funds; it only exists so PolyBolt, which needs
 * CLOB API credentials, can serve the reference price in paper mode).
 *
 * Invariants:
 * - Files are written atomically (temp file + rename) with mode 0600, in a directory created with 0700.
 * - A file that group or others can read is refused with an error naming the file and the fix (`chmod 600`);
 *   secrets are never put in an error message or a log line.
 * - Malformed content is an error (never silently replaced): the operator decides.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Wallet } from '@ethersproject/wallet';
import { z } from 'zod';
import type { ApiCredentials } from '../core/connection';

const StoredCreds = z.object({
  key: z.string().min(1),
  secret: z.string().min(1),
  passphrase: z.string().min(1),
  address: z.string(),
  host: z.string(),
  nonce: z.number().int().nonnegative(),
  how: z.enum(['created', 'derived', 'imported']),
  savedAtMs: z.number(),
});
const CredsFile = z.object({ version: z.literal(1), entries: z.record(z.string(), StoredCreds) });
const PaperWalletFile = z.object({ version: z.literal(1), privateKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/), address: z.string(), createdAtMs: z.number() });

export class SecretFileError extends Error {}

export interface PaperWallet {
  privateKey: string;
  address: string;
}

export class CredsStore {
  readonly credsFile: string;
  readonly walletFile: string;

  constructor(readonly dir: string) {
    this.credsFile = join(dir, 'credentials.json');
    this.walletFile = join(dir, 'paper-wallet.json');
  }

  /** Stored credentials for this venue host and signer (nonce 0 by default). */
  get(host: string, address: string, nonce = 0): ApiCredentials | undefined {
    const e = this.read().entries[entryKey(host, address, nonce)];
    return e ? { key: e.key, secret: e.secret, passphrase: e.passphrase } : undefined;
  }

  put(host: string, address: string, creds: ApiCredentials, how: 'created' | 'derived' | 'imported', nowMs: number, nonce = 0): void {
    const f = this.read();
    f.entries[entryKey(host, address, nonce)] = { ...creds, address: address.toLowerCase(), host: normHost(host), nonce, how, savedAtMs: nowMs };
    writeSecret(this.credsFile, JSON.stringify(f, null, 2));
  }

  /** The data-only paper wallet, if one was generated (`npm run keys -- --new-wallet`). */
  paperWallet(): PaperWallet | undefined {
    if (!existsSync(this.walletFile)) return undefined;
    const w = parseSecret(this.walletFile, PaperWalletFile);
    return { privateKey: w.privateKey, address: w.address };
  }

  /** Generate (once) a data-only paper wallet; returns the existing one when present. */
  ensurePaperWallet(nowMs: number): { wallet: PaperWallet; created: boolean } {
    const have = this.paperWallet();
    if (have) return { wallet: have, created: false };
    const w = Wallet.createRandom();
    writeSecret(this.walletFile, JSON.stringify({ version: 1, privateKey: w.privateKey, address: w.address, createdAtMs: nowMs }, null, 2));
    return { wallet: { privateKey: w.privateKey, address: w.address }, created: true };
  }

  private read(): z.infer<typeof CredsFile> {
    if (!existsSync(this.credsFile)) return { version: 1, entries: {} };
    return parseSecret(this.credsFile, CredsFile);
  }
}

function normHost(host: string): string {
  return host.replace(/\/+$/, '').toLowerCase();
}

function entryKey(host: string, address: string, nonce: number): string {
  return `${normHost(host)}|${address.toLowerCase()}|${nonce}`;
}

/** Refuse a secret file that group/others can read (POSIX); then parse it. */
function parseSecret<S extends z.ZodTypeAny>(file: string, schema: S): z.infer<S> {
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SecretFileError(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new SecretFileError(`${file} is not valid JSON; fix or remove it (it holds secrets: never paste it anywhere)`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new SecretFileError(`${file} has an unexpected shape (${r.error.issues[0]?.path.join('.') || 'root'}); fix or remove it`);
  return r.data;
}

function writeSecret(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
