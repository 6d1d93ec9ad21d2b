/**
 * `npm run keys`: CLOB API credentials for a wallet, stored where the console finds them.
 *
 *   npm run keys                      create-or-derive credentials for POLY_PRIVATE_KEY (or POLY_PRIVATE_KEY_FILE)
 *   npm run keys -- --new-wallet      make a data-only paper wallet (no funds; paper mode only needs it so PolyBolt,
 *                                     the reference price feed, accepts the connection) and its credentials
 *   npm run keys -- --print           also print the three POLY_API_* lines once, for a secret manager
 *
 * Credentials go to <DATA_DIR>/credentials.json (mode 0600; DATA_DIR defaults to ./data/live, the `npm start`
 * directory), keyed by CLOB host and wallet address. CLOB_URL points at another venue (e.g. `npm run sim`).
 * Secrets are never printed unless --print is given, and never logged.
 */
import { Wallet } from '@ethersproject/wallet';
import { resolve } from 'node:path';
import { ApiCredsError, CredsStore, obtainApiCreds, SecretFileError } from '../bot/execution';
import { readEndpointOverrides, readSecret } from '../bot/config/server-env';
import { POLYMARKET_ENDPOINTS } from '../bot/core';

const USAGE = 'usage: npm run keys [-- --new-wallet] [-- --print]';

function main(argv: string[]): Promise<number> | number {
  const flags = new Set(argv);
  for (const f of flags) {
    if (f === '--help' || f === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (f !== '--new-wallet' && f !== '--print') {
      console.error(`npm run keys: unknown flag ${f}\n${USAGE}`);
      return 2;
    }
  }
  return run(flags.has('--new-wallet'), flags.has('--print'));
}

async function run(newWallet: boolean, print: boolean): Promise<number> {
  const dataDir = resolve(process.env.DATA_DIR || './data/live');
  const host = readEndpointOverrides(process.env).CLOB_URL ?? POLYMARKET_ENDPOINTS.clob;
  const store = new CredsStore(dataDir);
  let privateKey: string | undefined;
  let label: string;
  if (newWallet) {
    const { wallet, created } = store.ensurePaperWallet(Date.now());
    privateKey = wallet.privateKey;
    label = `${created ? 'new' : 'existing'} paper wallet ${wallet.address} (${store.walletFile}, mode 600; it holds no funds and must never be funded)`;
  } else {
    const raw = readSecret('POLY_PRIVATE_KEY', process.env);
    if (!raw) {
      console.error('npm run keys: no key. Set POLY_PRIVATE_KEY or POLY_PRIVATE_KEY_FILE, or run `npm run keys -- --new-wallet` for a data-only paper wallet.');
      return 1;
    }
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(raw)) {
      console.error('npm run keys: POLY_PRIVATE_KEY must be 32 bytes of hex.');
      return 1;
    }
    privateKey = raw.startsWith('0x') ? raw : `0x${raw}`;
    label = `wallet ${new Wallet(privateKey).address}`;
  }
  console.log(`[ .. ] ${label}`);
  console.log(`[ .. ] venue ${host}`);
  const got = await obtainApiCreds({ host, privateKey, nowSec: Math.floor(Date.now() / 1000) });
  store.put(host, got.address, got.creds, got.how, Date.now());
  console.log(`[ OK ] credentials ${got.how} for ${got.address} and stored in ${store.credsFile} (mode 600)`);
  console.log('[ OK ] the console finds them there: nothing else to set.');
  if (print) {
    console.log('\n# Shown once. Keep them in a secret manager; never commit or paste them anywhere else:');
    console.log(`POLY_API_KEY=${got.creds.key}\nPOLY_API_SECRET=${got.creds.secret}\nPOLY_API_PASSPHRASE=${got.creds.passphrase}`);
  }
  return 0;
}

Promise.resolve()
  .then(() => main(process.argv.slice(2)))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof ApiCredsError || err instanceof SecretFileError) console.error(`npm run keys: ${err.message}`);
    else console.error(`npm run keys: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
