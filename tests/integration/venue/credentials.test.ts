/**
 * Credentials the way the venue works, against the simulator's real-dialect auth (a second create is refused with
 * 400, a never-created key cannot be derived): first run creates, a later run with the stored file reuses it
 * without calling the venue, a run without the file derives; the stored file is 0600 and a readable one is
 * refused; paper without credentials says so and names the fix; no secret ever reaches a log line.
 */
import { Wallet } from '@ethersproject/wallet';
import { createL1Headers } from '@polymarket/clob-client-v2';
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { CredsStore, KEYS_COMMAND, obtainApiCreds, resolveCredentials, SecretFileError } from '../../../bot/execution';
import { createRuntime } from '../../../bot/runtime';
import { startSim, type SimHandle } from '../../../bot/sim';
import { openStore } from '../../../bot/store';
import { createLogger } from '../../../bot/util/logger';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import { runScript } from '../../helpers/run-script';

const DAY0_MS = 1791158400_000;
const tmp = () => mkdtempSync(join(tmpdir(), 'updown-creds-'));

describe('API credentials against the simulator', () => {
  let sim: SimHandle;
  let clock: SimClock;
  beforeAll(async () => {
    clock = new SimClock(DAY0_MS + 5_000);
    sim = await startSim({ clock, seed: 'creds-it' });
  });
  afterAll(async () => sim?.close());

  const base = () => ({ mode: 'paper' as const, simulator: false, clobHost: sim.urls.clob, nowSec: () => Math.floor(clock.nowMs() / 1000), nowMs: () => clock.nowMs() });

  it('first run creates and stores (0600); second run reuses the stored file without calling the venue; a run without it derives', async () => {
    const key = Wallet.createRandom();
    const dir = tmp();
    const store = new CredsStore(dir);
    const first = await resolveCredentials({ ...base(), envKey: { privateKey: key.privateKey, signatureType: 0 }, store });
    expect(first.source).toBe('created');
    expect(first.reference).toBe('polybolt');
    expect(first.address).toBe(key.address);
    expect(statSync(store.credsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(store.credsFile, 'utf8')).entries).toBeTypeOf('object');

    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const second = await resolveCredentials({ ...base(), envKey: { privateKey: key.privateKey, signatureType: 0 }, store: new CredsStore(dir) });
      expect(second.source).toBe('stored');
      expect(second.api).toEqual(first.api);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }

    const third = await resolveCredentials({ ...base(), envKey: { privateKey: key.privateKey, signatureType: 0 }, store: new CredsStore(tmp()) });
    expect(third.source).toBe('derived');
    expect(third.api).toEqual(first.api);
  });

  it('the venue refuses a second create (400) and a derive of a key that was never created (400)', async () => {
    const key = Wallet.createRandom();
    await expect(obtainApiCreds({ host: sim.urls.clob, privateKey: key.privateKey, nowSec: Math.floor(clock.nowMs() / 1000) })).resolves.toMatchObject({ how: 'created' });
    const again = await obtainApiCreds({ host: sim.urls.clob, privateKey: key.privateKey, nowSec: Math.floor(clock.nowMs() / 1000) });
    expect(again.how).toBe('derived');
    const fresh = Wallet.createRandom();
    const headers = (await createL1Headers(fresh as never, 137 as never, 0, Math.floor(clock.nowMs() / 1000))) as unknown as Record<string, string>;
    const res = await fetch(`${sim.urls.clob}/auth/derive-api-key`, { headers });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('Could not derive api key!');
    const bad = await fetch(`${sim.urls.clob}/auth/derive-api-key`, { headers: { POLY_ADDRESS: fresh.address } });
    expect(bad.status).toBe(401);
  });

  it('a stored file readable by others is refused with the chmod fix, and nothing is created behind it', async () => {
    const key = Wallet.createRandom();
    const dir = tmp();
    const store = new CredsStore(dir);
    await resolveCredentials({ ...base(), envKey: { privateKey: key.privateKey, signatureType: 0 }, store });
    chmodSync(store.credsFile, 0o644);
    await expect(resolveCredentials({ ...base(), envKey: { privateKey: key.privateKey, signatureType: 0 }, store })).rejects.toThrow(SecretFileError);
    await expect(resolveCredentials({ ...base(), envKey: { privateKey: key.privateKey, signatureType: 0 }, store })).rejects.toThrow(/chmod 600/);
  });

  it('the data-only paper wallet (npm run keys -- --new-wallet) gives paper mode its PolyBolt credentials', async () => {
    const store = new CredsStore(tmp());
    const { wallet, created } = store.ensurePaperWallet(clock.nowMs());
    expect(created).toBe(true);
    expect(store.ensurePaperWallet(clock.nowMs()).created).toBe(false);
    expect(statSync(store.walletFile).mode & 0o777).toBe(0o600);
    const r = await resolveCredentials({ ...base(), store });
    expect(r.source).toBe('created');
    expect(r.address).toBe(wallet.address);
    expect(r.reference).toBe('polybolt');
  });

  it('paper on the real venue without any credentials: no reference feed, a danger notice naming the one command', async () => {
    const r = await resolveCredentials({ ...base(), store: new CredsStore(tmp()) });
    expect(r.reference).toBe('none');
    expect(r.api).toBeUndefined();
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]!.severity).toBe('danger');
    expect(r.notices[0]!.detail).toContain(`${KEYS_COMMAND} -- --new-wallet`);
    const legacy = await resolveCredentials({ ...base(), referenceOverride: 'rtds' });
    expect(legacy.reference).toBe('rtds');
    expect(legacy.notices[0]!.title).toMatch(/deprecated/);
  });

  it('live without a key is refused with the variable to set', async () => {
    await expect(resolveCredentials({ ...base(), mode: 'live' })).rejects.toThrow(/POLY_PRIVATE_KEY/);
  });
});

describe('no secret in any log line', () => {
  it('a paper runtime with a signing key logs its start, feeds and trading without the key or the API credentials', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'debug', destination });
    const clock = new SimClock(DAY0_MS + 10_000);
    const key = Wallet.createRandom();
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 11 } });
    const rt = createRuntime({ instanceId: 'log-it', version: 't', config, clock, store: openStore(':memory:'), logger, credentials: { privateKey: key.privateKey, signatureType: 0 }, credsStore: new CredsStore(tmp()) });
    const settle = async () => {
      for (let i = 0; i < 6; i++) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 1));
    };
    try {
      const starting = rt.start('test');
      for (let i = 0; i < 200 && rt.status().state === 'starting'; i++) await settle();
      expect(await starting).toBe('running');
      expect(rt.session?.credentials?.source).toBe('created');
      for (let i = 0; i < 120; i++) {
        clock.advanceBy(1_000);
        await settle();
      }
      await rt.restart('log test restart');
      expect(rt.session?.credentials?.source).toBe('stored');
      // The credentials the bot used (the simulator answers the same triple for this wallet).
      const creds = await obtainApiCreds({ host: rt.simulator!.endpoints().clob, privateKey: key.privateKey, nowSec: Math.floor(clock.nowMs() / 1000) });
      const text = lines.join('');
      expect(lines.length).toBeGreaterThan(3);
      for (const secret of [key.privateKey, key.privateKey.slice(2), creds.creds.secret, creds.creds.passphrase]) expect(text.includes(secret)).toBe(false);
    } finally {
      await rt.dispose('test done');
    }
  }, 120_000);
});

describe('npm run keys', () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await startSim({ clock: new SimClock(DAY0_MS), seed: 'keys-cli' });
  });
  afterAll(async () => sim?.close());

  const keys = async (args: string[], env: Record<string, string>) => {
    const r = await runScript('keys.ts', args, env);
    return { code: r.code, out: r.stdout, err: r.stderr };
  };

  it('--new-wallet creates a paper wallet and its credentials (stored 0600, never printed); a second run derives', async () => {
    const dir = tmp();
    const first = await keys(['--new-wallet'], { DATA_DIR: dir, CLOB_URL: sim.urls.clob });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/credentials created for 0x[0-9a-fA-F]{40}/);
    const store = new CredsStore(dir);
    const wallet = store.paperWallet()!;
    const creds = store.get(sim.urls.clob, wallet.address)!;
    expect(statSync(store.credsFile).mode & 0o777).toBe(0o600);
    for (const secret of [creds.secret, creds.passphrase, wallet.privateKey]) expect(first.out.includes(secret)).toBe(false);
    const second = await keys(['--new-wallet'], { DATA_DIR: dir, CLOB_URL: sim.urls.clob });
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/existing paper wallet/);
    expect(second.out).toMatch(/credentials derived/);
    expect(store.get(sim.urls.clob, wallet.address)).toEqual(creds);
  }, 60_000);

  it('refuses unknown flags (exit 2) and a missing key (exit 1) with a message that says what to do', async () => {
    const bad = await keys(['--frobnicate'], { DATA_DIR: tmp(), CLOB_URL: sim.urls.clob });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown flag --frobnicate/);
    const none = await keys([], { DATA_DIR: tmp(), CLOB_URL: sim.urls.clob });
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/--new-wallet/);
  }, 60_000);
});
