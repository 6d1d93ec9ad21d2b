/**
 * The preflight (what `npm run doctor` runs) against the simulator on loopback: GO when everything is in order, and
 * NO-GO naming the right stage with its fix for each injected problem — an unreachable endpoint, a skewed clock, a
 * geoblocked IP, a closed-only account, a zero pUSD allowance, missing credentials — one test each, injected
 * through the simulator's control API. Also: paper mode treats account problems as informational.
 */
import { Wallet } from '@ethersproject/wallet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { simEndpoints, startSim, type SimHandle } from '../../../bot/sim';
import type { PreflightReport } from '../../../lib/schemas/preflight';
import { closedPort, control, doctorOn } from './helpers';

const DAY0_MS = 1791158400_000;
const PK = '0x' + '5a'.repeat(32);
const ADDRESS = new Wallet(PK).address;
const live = { mode: 'live' as const, venue: 'sim' as const, envKey: { privateKey: PK, signatureType: 0 as const }, heartbeat: true };

const stage = (r: PreflightReport, id: string) => {
  const s = r.stages.find((x) => x.id === id);
  if (!s) throw new Error(`no stage ${id} in ${r.stages.map((x) => x.id).join(', ')}`);
  return s;
};
const failed = (r: PreflightReport) => r.stages.filter((s) => s.status === 'fail').map((s) => s.id);

describe('preflight against the simulator', () => {
  let sim: SimHandle;
  let clock: SimClock;
  beforeAll(async () => {
    clock = new SimClock(DAY0_MS + 40_000);
    sim = await startSim({ clock, seed: 'preflight-it' });
  });
  afterAll(async () => sim?.close());
  afterEach(async () => {
    const c = sim.urls.control;
    await control(c, '/geoblock', { blocked: false, country: 'PT', region: '' });
    await control(c, '/time-offset', { offsetMs: 0 });
    await control(c, '/accounts/closed-only', { address: ADDRESS, closedOnly: false });
    await control(c, '/accounts/allowance', { address: ADDRESS, assetType: 'COLLATERAL', amount: (2n ** 256n - 1n).toString() });
  });

  it('GO in live mode when every check passes, with one marker line per stage and a SUMMARY line', async () => {
    const { report, lines, exitCode } = await doctorOn(clock, { ...live, endpoints: simEndpoints(sim.urls) });
    expect(failed(report), lines.join('\n')).toEqual([]);
    expect(report.go).toBe(true);
    expect(exitCode).toBe(0);
    for (const id of ['endpoint.gamma', 'endpoint.clob', 'endpoint.market-ws', 'endpoint.user-ws', 'endpoint.polybolt', 'clock', 'geoblock', 'credentials', 'closed-only', 'balance', 'allowance', 'ctf-approval', 'heartbeat', 'reference', 'windows', 'books']) {
      expect(stage(report, id).status, `${id}: ${stage(report, id).detail}`).toBe('ok');
    }
    expect(lines.filter((l) => /^\[( OK |WARN|FAIL|SKIP)\] /.test(l))).toHaveLength(report.stages.length);
    expect(lines.at(-1)).toMatch(/^SUMMARY: GO \(\d+ ok/);
    expect(stage(report, 'heartbeat').detail).toMatch(/round trip/);
    // No secret in the output: the API secret and passphrase derived for this key never appear.
    const creds = sim.auth.register(ADDRESS);
    expect(lines.join('\n')).not.toContain(creds.secret);
    expect(lines.join('\n')).not.toContain(creds.passphrase);
    expect(lines.join('\n')).not.toContain(PK.slice(2));
  });

  it('NO-GO: unreachable endpoint (CLOB on a closed port) names the endpoint and the variable to check', async () => {
    const port = await closedPort();
    const { report, lines, exitCode } = await doctorOn(clock, { ...live, endpoints: { ...simEndpoints(sim.urls), clob: `http://127.0.0.1:${port}` } });
    expect(report.go).toBe(false);
    expect(exitCode).toBe(1);
    const s = stage(report, 'endpoint.clob');
    expect(s.status).toBe('fail');
    expect(s.detail).toMatch(/unreachable \(.*ECONNREFUSED/);
    expect(s.fix).toMatch(/CLOB_URL/);
    expect(stage(report, 'clock').status).toBe('skip');
    expect(lines.at(-1)).toMatch(/^SUMMARY: NO-GO \(.*endpoint\.clob/);
    expect(lines.join('\n')).toMatch(/^\[FAIL\] endpoint clob: .* — fix: check the network path/m);
  });

  it('NO-GO: skewed clock (venue 30 s ahead) fails the clock stage with the NTP fix', async () => {
    await control(sim.urls.control, '/time-offset', { offsetMs: 30_000 });
    const { report, lines } = await doctorOn(clock, { ...live, endpoints: simEndpoints(sim.urls) });
    expect(failed(report)).toEqual(['clock']);
    const s = stage(report, 'clock');
    expect(s.detail).toMatch(/^-30\.\d s vs venue \(our clock is 30\.\d s behind GET \/time\)/);
    expect(s.fix).toMatch(/NTP/);
    expect(lines.at(-1)).toBe('SUMMARY: NO-GO (clock) — fix the [FAIL] lines above and re-run `npm run doctor`');
  });

  it('NO-GO: geoblocked IP fails the geoblock stage in live', async () => {
    await control(sim.urls.control, '/geoblock', { blocked: true, country: 'US', region: 'NY' });
    const { report } = await doctorOn(clock, { ...live, endpoints: simEndpoints(sim.urls) });
    expect(failed(report)).toEqual(['geoblock']);
    const s = stage(report, 'geoblock');
    expect(s.detail).toMatch(/geoblocked.*US-NY/);
    expect(s.fix).toMatch(/location where Polymarket permits trading/);
  });

  it('NO-GO: closed-only account fails the closed-only stage in live', async () => {
    await control(sim.urls.control, '/accounts/closed-only', { address: ADDRESS, closedOnly: true });
    const { report } = await doctorOn(clock, { ...live, endpoints: simEndpoints(sim.urls) });
    expect(failed(report)).toEqual(['closed-only']);
    expect(stage(report, 'closed-only').detail).toMatch(/closed-only: the venue accepts only orders that reduce positions/);
    expect(stage(report, 'closed-only').fix).toMatch(/account status/);
  });

  it('NO-GO: zero pUSD allowance for the CTF Exchange V2 fails the allowance stage with the approval fix', async () => {
    await control(sim.urls.control, '/accounts/allowance', { address: ADDRESS, assetType: 'COLLATERAL', amount: '0' });
    const { report, lines } = await doctorOn(clock, { ...live, endpoints: simEndpoints(sim.urls) });
    expect(failed(report)).toEqual(['allowance']);
    const s = stage(report, 'allowance');
    expect(s.detail).toMatch(/^pUSD allowance for CTF Exchange V2 0xE111… is 0/);
    expect(s.fix).toMatch(/approve pUSD for CTF Exchange V2 0xE111180000d2663C0091e4f400237545B87B996B/);
    expect(lines.join('\n')).toMatch(/^\[FAIL\] allowance: pUSD allowance for CTF Exchange V2 0xE111… is 0 .* — fix: approve pUSD/m);
  });

  it('NO-GO: missing credentials — paper on a real venue has no reference (fix: npm run keys -- --new-wallet); live has no key', async () => {
    const paper = await doctorOn(clock, { mode: 'paper', venue: 'polymarket', endpoints: simEndpoints(sim.urls) });
    expect(paper.report.go).toBe(false);
    expect(failed(paper.report)).toEqual(['reference']);
    expect(stage(paper.report, 'reference').fix).toMatch(/^`npm run keys -- --new-wallet`/);
    expect(stage(paper.report, 'credentials').status).toBe('warn');

    const liveNoKey = await doctorOn(clock, { mode: 'live', venue: 'polymarket', endpoints: simEndpoints(sim.urls) });
    expect(liveNoKey.report.go).toBe(false);
    const s = stage(liveNoKey.report, 'credentials');
    expect(s.status).toBe('fail');
    expect(s.detail).toMatch(/POLY_PRIVATE_KEY/);
    expect(s.fix).toMatch(/POLY_PRIVATE_KEY.*`npm run keys`/);
  });

  it('paper mode: account problems are informational (warn), the run stays GO', async () => {
    await control(sim.urls.control, '/accounts/allowance', { address: ADDRESS, assetType: 'COLLATERAL', amount: '0' });
    await control(sim.urls.control, '/geoblock', { blocked: true, country: 'US', region: '' });
    const { report } = await doctorOn(clock, { mode: 'paper', venue: 'sim', endpoints: simEndpoints(sim.urls), envKey: { privateKey: PK, signatureType: 0 } });
    expect(failed(report)).toEqual([]);
    expect(report.go).toBe(true);
    expect(stage(report, 'allowance').status).toBe('warn');
    expect(stage(report, 'geoblock').status).toBe('warn');
    expect(stage(report, 'heartbeat').status).toBe('skip');
    expect(stage(report, 'heartbeat').detail).toMatch(/--heartbeat/);
  });
});
