/**
 * Preflight stages about our account at the venue: API credentials valid (an L2-signed `GET /auth/api-keys`),
 * closed-only ban status, pUSD balance, pUSD allowances for each exchange contract, the conditional-token
 * approval, and a heartbeat round trip.
 *
 * Mode-aware: in live these are required (a problem fails the stage); in paper they are informational (warn or skip
 * with the reason). Balance and allowances are read after `/balance-allowance/update` so the venue's cached view
 * includes recent on-chain approvals. The heartbeat follows the run's policy and says so in its detail: one beat is
 * only sent when no running bot with the same key can be disturbed (the first accepted beat arms the venue's
 * cancel-on-disconnect for the key).
 *
 * Invariants: no secret in any detail or fix (addresses only); an unknown spender or a missing `allowances` field is
 * reported, never read as unlimited.
 */
import { z } from 'zod';
import { KEYS_COMMAND } from '../execution/keys-command';
import { EXCHANGES } from '../execution/order-signer';
import { ClosedOnlyResponse, HeartbeatError, HeartbeatResponse } from '../protocol';
import type { PreflightSession } from './context';
import { fail, failIf, ok, skip, warn, type StageDef, type StageOutcome } from './runner';

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
const PUSD = '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB';
const UNLIMITED_FROM = 2n ** 255n;
const usd = (micro: bigint) => `$${(Number(micro) / 1e6).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const EXCHANGE_NAMES: Record<string, string> = { [EXCHANGES.v2]: 'CTF Exchange V2', [EXCHANGES.v2NegRisk]: 'Neg Risk CTF Exchange V2', [EXCHANGES.v3]: 'ExchangeV3' };

/** Which exchange contracts the current markets trade through (v1 markets: CTF Exchange V2; v2: ExchangeV3). */
function requiredExchanges(s: PreflightSession): string[] {
  const versions = new Set((s.ctx.data?.windows() ?? []).flatMap((w) => (w.found ? [w.found.version] : [])));
  if (versions.size === 0) versions.add('v1');
  return [...(versions.has('v1') ? [EXCHANGES.v2] : []), ...(versions.has('v2') ? [EXCHANGES.v3] : [])];
}

function allowanceOf(allowances: Record<string, string> | null | undefined, spender: string): bigint | undefined {
  if (!allowances) return undefined;
  const hit = Object.entries(allowances).find(([k]) => k.toLowerCase() === spender.toLowerCase());
  return hit ? BigInt(hit[1]) : undefined;
}

const amount = (v: bigint | undefined) => (v === undefined ? 'not reported' : v >= UNLIMITED_FROM ? 'unlimited' : v === 0n ? '0' : usd(v));

export function credentialsStage(s: PreflightSession): StageDef {
  return {
    id: 'credentials',
    title: 'api credentials',
    async run(): Promise<StageOutcome> {
      const c = s.ctx.credentials;
      if (!c.ok) {
        const fix = c.missingKey
          ? `set POLY_PRIVATE_KEY (or POLY_PRIVATE_KEY_FILE) to the trading wallet's key, then \`${KEYS_COMMAND}\` to create and store its CLOB API credentials`
          : `check that CLOB_URL is reachable, then \`${KEYS_COMMAND}\` (creates or derives the API credentials and stores them in the data directory)`;
        return fail(c.error, fix);
      }
      const r = c.resolved;
      if (!r.api) {
        return failIf(s.required, 'no CLOB API credentials (paper: the PolyBolt reference feed needs them)', `\`${KEYS_COMMAND} -- --new-wallet\` (a data-only paper wallet and its credentials in the data directory), or set POLY_PRIVATE_KEY`);
      }
      const from = `${r.source === 'env' ? 'from POLY_API_*' : r.source}`;
      if (!s.http) return warn(`API credentials ${from}, wallet unknown (no POLY_PRIVATE_KEY): account checks skipped`, 'set POLY_PRIVATE_KEY (or _FILE) for the wallet these credentials belong to');
      // Any JSON body: the 200 proves the L2 signature and the key were accepted.
      const res = await s.http.json('GET', '/auth/api-keys', z.unknown()).catch((e: unknown) => ({ ok: false as const, status: 0, body: e instanceof Error ? e.message : String(e) }));
      if (res.ok) return ok(`API credentials (${from}) for ${short(s.address!)} accepted (L2-signed request)`);
      if (res.status === 401 || res.status === 403) {
        const fix = r.source === 'env' ? `POLY_API_KEY / _SECRET / _PASSPHRASE do not belong to ${short(s.address!)} on this venue: correct them, or unset them and run \`${KEYS_COMMAND}\`` : `re-create them: \`${KEYS_COMMAND}\` (replaces the stored credentials for this wallet and venue)`;
        return fail(`API credentials (${from}) rejected: HTTP ${res.status} ${res.body.slice(0, 120)}`, fix);
      }
      return failIf(s.required, `could not verify the API credentials (${res.status ? `HTTP ${res.status}` : res.body.slice(0, 120)})`, 'check that CLOB_URL is reachable and re-run');
    },
  };
}

export function closedOnlyStage(s: PreflightSession): StageDef {
  return {
    id: 'closed-only',
    title: 'closed-only',
    needs: ['credentials'],
    async run() {
      if (!s.http) return skip('no API credentials to ask with');
      const r = await s.http.json('GET', '/auth/ban-status/closed-only', ClosedOnlyResponse).catch((e: unknown) => ({ ok: false as const, status: 0, body: String(e) }));
      if (!r.ok) return failIf(s.required, `could not read the ban status (${r.status ? `HTTP ${r.status}` : r.body.slice(0, 120)})`, 'check CLOB_URL reachability and re-run');
      if (r.value.closed_only) {
        return failIf(s.required, `account ${short(s.address!)} is closed-only: the venue accepts only orders that reduce positions`, 'check the account status on polymarket.com or with Polymarket support; a closed-only account cannot open positions');
      }
      return ok(`account ${short(s.address!)} may open positions`);
    },
  };
}

export function balanceStage(s: PreflightSession): StageDef {
  return {
    id: 'balance',
    title: 'pUSD balance',
    needs: ['credentials'],
    async run() {
      if (!s.http) return skip('no API credentials to ask with');
      const r = await s.collateralOnce();
      if (!r.ok) return failIf(s.required, `GET /balance-allowance failed (${r.reason})`, 'check CLOB_URL reachability and the API credentials, then re-run');
      const bal = BigInt(r.value.balance);
      const fund = `fund ${short(s.address!)} with pUSD (${short(PUSD)}): deposit on polymarket.com, or wrap USDC.e through the CollateralOnramp (reference §8.1)`;
      if (bal === 0n) return failIf(s.required, `pUSD balance is $0.00${s.required ? '' : ' (paper: informational)'}`, fund);
      const per = s.ctx.maxUsdPerTrade;
      if (per !== undefined && Number(bal) / 1e6 < per) return warn(`pUSD balance ${usd(bal)} is below risk.maxUsdPerTrade ($${per})`, fund);
      return ok(`${usd(bal)}${r.refreshed ? '' : ' (venue cache not refreshed)'}`);
    },
  };
}

export function allowanceStage(s: PreflightSession): StageDef {
  return {
    id: 'allowance',
    title: 'allowance',
    needs: ['credentials'],
    after: ['windows'],
    async run() {
      if (!s.http) return skip('no API credentials to ask with');
      const r = await s.collateralOnce();
      if (!r.ok) return failIf(s.required, `GET /balance-allowance failed (${r.reason})`, 'check CLOB_URL reachability and the API credentials, then re-run');
      const bal = BigInt(r.value.balance);
      const required = requiredExchanges(s);
      const rows = Object.keys(EXCHANGE_NAMES).map((ex) => ({ ex, v: allowanceOf(r.value.allowances, ex), req: required.includes(ex) }));
      const missing = rows.filter((x) => x.req && (x.v === undefined || x.v === 0n));
      const list = rows.map((x) => `${EXCHANGE_NAMES[x.ex]} ${short(x.ex)}: ${amount(x.v)}${x.req ? '' : ' (not used)'}`).join('; ');
      if (missing.length > 0) {
        const m = missing[0]!;
        return failIf(
          s.required,
          `pUSD allowance for ${EXCHANGE_NAMES[m.ex]} ${m.ex.slice(0, 6)}… is ${amount(m.v)}${s.required ? '' : ' (paper: informational)'} — ${list}`,
          `approve pUSD for ${EXCHANGE_NAMES[m.ex]} ${m.ex} from ${s.address} (EOA: pUSD.approve(${short(m.ex)}, max); proxy/safe/deposit wallets: enable trading on polymarket.com), then re-run (the check refreshes the venue's view with /balance-allowance/update)`,
        );
      }
      const low = rows.find((x) => x.req && x.v !== undefined && x.v < bal);
      if (low) return warn(`pUSD allowance for ${EXCHANGE_NAMES[low.ex]} (${amount(low.v)}) is below the balance (${usd(bal)}) — ${list}`, `raise the approval for ${low.ex} to at least the balance`);
      return ok(list);
    },
  };
}

export function ctfApprovalStage(s: PreflightSession): StageDef {
  return {
    id: 'ctf-approval',
    title: 'ctf approval',
    needs: ['credentials'],
    after: ['windows'],
    async run() {
      if (!s.http) return skip('no API credentials to ask with');
      const found = (s.ctx.data?.windows() ?? []).find((w) => w.found)?.found;
      if (!found) return skip('no current window to ask about (see current windows)');
      const asset = found.version === 'v2' ? 'CONDITIONAL-V2' : 'CONDITIONAL';
      const ex = found.version === 'v2' ? EXCHANGES.v3 : EXCHANGES.v2;
      const r = await s.balanceAllowance(asset, found.upTokenId);
      if (!r.ok) return failIf(s.required, `GET /balance-allowance (${asset}) failed (${r.reason})`, 'check CLOB_URL reachability and the API credentials, then re-run');
      const v = allowanceOf(r.value.allowances, ex);
      const fix = `approve the outcome tokens for ${EXCHANGE_NAMES[ex]} ${ex} from ${s.address} (EOA: ${found.version === 'v2' ? 'PositionManager' : 'ConditionalTokens'}.setApprovalForAll(${short(ex)}, true); other wallets: enable trading on polymarket.com), then re-run — needed to SELL`;
      if (v === undefined) return warn(`the venue did not report the conditional-token approval for ${EXCHANGE_NAMES[ex]}`, fix);
      if (v === 0n) return failIf(s.required, `conditional-token approval for ${EXCHANGE_NAMES[ex]} ${ex.slice(0, 6)}… is not set${s.required ? '' : ' (paper: informational)'}`, fix);
      return ok(`outcome tokens approved for ${EXCHANGE_NAMES[ex]} ${short(ex)}`);
    },
  };
}

export function heartbeatStage(s: PreflightSession): StageDef {
  return {
    id: 'heartbeat',
    title: 'heartbeat',
    needs: ['credentials'],
    async run(): Promise<StageOutcome> {
      const p = s.ctx.heartbeat;
      if (p.kind === 'skip') return skip(p.reason);
      if (p.kind === 'observe') {
        const st = await p.state();
        if (!st) return skip('the runtime heartbeat loop is not running');
        if (st.ok) return ok('the runtime heartbeat loop is acknowledged by the venue');
        return failIf(s.required, `heartbeats not acknowledged (${st.failures} failures): new orders are blocked`, 'check CLOB_URL reachability and the API credentials; orders resume when a heartbeat is acknowledged');
      }
      return sendHeartbeat(s, p.note);
    },
  };
}

/** One `POST /v1/heartbeats {"heartbeat_id":""}` round trip (never retried with the id the venue supplies). */
export async function sendHeartbeat(s: PreflightSession, note: string): Promise<StageOutcome> {
  if (!s.http) return skip('no API credentials to send with');
  const t0 = s.ctx.clock.nowMs();
  let res: Awaited<ReturnType<NonNullable<PreflightSession['http']>['request']>>;
  try {
    res = await s.http.request('POST', '/v1/heartbeats', JSON.stringify({ heartbeat_id: '' }));
  } catch (err) {
    return failIf(s.required, `POST /v1/heartbeats failed (${err instanceof Error ? err.message : String(err)})`, 'check CLOB_URL reachability and re-run');
  }
  const ms = Math.max(0, s.ctx.clock.nowMs() - t0);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  if (res.status === 200 && HeartbeatResponse.safeParse(body).success) return ok(`round trip ${ms} ms (${note})`);
  if (res.status === 400 && HeartbeatError.safeParse(body).success) {
    return ok(`round trip ${ms} ms: a heartbeat chain is already active for this key (another process heartbeats with it; left alone)`);
  }
  return failIf(s.required, `POST /v1/heartbeats answered HTTP ${res.status} ${res.text.slice(0, 120)}`, res.status === 401 ? `the API credentials are rejected: \`${KEYS_COMMAND}\`` : 'check CLOB_URL reachability and re-run');
}
