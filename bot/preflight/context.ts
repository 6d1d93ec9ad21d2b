/**
 * What one preflight run knows: mode, endpoints, the resolved credentials (or why they are missing), the market data
 * view its data stages read, the heartbeat policy, the clock and timeouts. Also the per-run session: one L2-signed
 * CLOB client (closed at the end of the run) and memoised venue answers several stages share.
 *
 * Invariants: the session never exposes a secret (the L2 signer redacts itself); the collateral balance is fetched
 * once per run (after one `/balance-allowance/update`), whichever stage asks first.
 */
import type { Clock } from '../clock';
import { ClobHttp } from '../execution/clob-http';
import type { ResolvedCredentials } from '../execution/credentials';
import { L2Signer } from '../execution/hmac';
import type { SignatureType } from '../execution/order-signer';
import type { WindowKind } from '../markets';
import { BalanceAllowance } from '../protocol';
import type { FetchFn } from './probes';
import { type VenueEndpoints } from '../core';

/** The market data a running stack (or the doctor's probe stack) shows; read by the data stages. */
export interface DataView {
  /** Which reference feed runs ('none': no CLOB API credentials and no explicit RTDS choice). */
  referenceFeed: 'polybolt' | 'rtds' | 'none';
  reference(): { fresh: boolean; priceUsd?: number; ageMs?: number; connection: string };
  /** The current window of each configured kind, with its record once discovered. */
  windows(): { kind: WindowKind; slug: string; found?: { state: string; version: 'v1' | 'v2'; upTokenId: string; downTokenId: string } }[];
  bookReady(tokenId: string): boolean;
  /** The last reason a window lookup failed (undefined: none failed). */
  lastLookupFailure(slug: string): string | undefined;
  marketConnection(): string;
}

export type CredentialsInfo =
  | { ok: true; resolved: ResolvedCredentials; signatureType: SignatureType; funder?: string; hasKey: boolean }
  | { ok: false; error: string; missingKey: boolean };

export type HeartbeatPolicy =
  /** Send one heartbeat now (nothing else heartbeats with this key from this process yet). */
  | { kind: 'send'; note: string }
  /** Do not send (a running bot with the same key could be disturbed); say why. */
  | { kind: 'skip'; reason: string }
  /** Report the runtime's own heartbeat loop once its first beat is answered (undefined: not running). */
  | { kind: 'observe'; state: () => Promise<{ ok: boolean; failures: number } | undefined> };

export interface PreflightContext {
  mode: 'paper' | 'live';
  /** `simulator` / `polymarket`, for the report. */
  venue: string;
  endpoints: VenueEndpoints;
  clock: Clock;
  credentials: CredentialsInfo;
  data?: DataView;
  heartbeat: HeartbeatPolicy;
  kinds: readonly WindowKind[];
  /** The risk limit per trade: a balance below it is a warning. */
  maxUsdPerTrade?: number;
  /** Network timeout per request (real ms, default 5 s). */
  httpTimeoutMs?: number;
  /** Clock ms the data stages wait for the reference, windows and books (default 20 s). */
  dataWaitMs?: number;
  /** Clock ms between data polls (default 250). */
  pollMs?: number;
  fetchFn?: FetchFn;
}

/** Shared per-run state. */
export class PreflightSession {
  readonly http: ClobHttp | undefined;
  readonly address: string | undefined;
  readonly startedMs: number;
  private collateral: Promise<CollateralAnswer> | undefined;

  constructor(readonly ctx: PreflightContext) {
    this.startedMs = ctx.clock.nowMs();
    const c = ctx.credentials;
    const api = c.ok ? c.resolved.api : undefined;
    this.address = c.ok ? c.resolved.address : undefined;
    this.http = api && this.address ? new ClobHttp(ctx.endpoints.clob, ctx.clock, new L2Signer(api, this.address), this.httpTimeoutMs) : undefined;
  }

  get httpTimeoutMs(): number {
    return this.ctx.httpTimeoutMs ?? 5_000;
  }

  get required(): boolean {
    return this.ctx.mode === 'live';
  }

  get signatureType(): number {
    return this.ctx.credentials.ok ? this.ctx.credentials.signatureType : 0;
  }

  /** Deadline of the data stages (clock ms). */
  get dataDeadlineMs(): number {
    return this.startedMs + (this.ctx.dataWaitMs ?? 20_000);
  }

  /** Poll `cond` on the clock until it holds or the data deadline passes. */
  waitFor(cond: () => boolean): Promise<boolean> {
    const { clock } = this.ctx;
    return new Promise((resolve) => {
      const check = () => {
        if (cond()) return resolve(true);
        if (clock.nowMs() >= this.dataDeadlineMs) return resolve(false);
        clock.after(Math.min(this.ctx.pollMs ?? 250, Math.max(1, this.dataDeadlineMs - clock.nowMs())), 'preflight.poll', check);
      };
      check();
    });
  }

  /** GET `/balance-allowance/update` then `/balance-allowance` for an asset (the venue's cached view refreshed first). */
  async balanceAllowance(assetType: string, tokenId?: string): Promise<CollateralAnswer> {
    if (!this.http) return { ok: false, reason: 'no API credentials' };
    const q = `?asset_type=${assetType}${tokenId ? `&token_id=${tokenId}` : ''}&signature_type=${this.signatureType}`;
    try {
      const upd = await this.http.request('GET', `/balance-allowance/update${q}`);
      const r = await this.http.json('GET', `/balance-allowance${q}`, BalanceAllowance);
      if (!r.ok) return { ok: false, reason: `HTTP ${r.status} ${r.body.slice(0, 160)}`, status: r.status };
      return { ok: true, value: r.value, refreshed: upd.status >= 200 && upd.status < 300 };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  collateralOnce(): Promise<CollateralAnswer> {
    this.collateral ??= this.balanceAllowance('COLLATERAL');
    return this.collateral;
  }

  close(): void {
    this.http?.close();
  }
}

export type CollateralAnswer = { ok: true; value: BalanceAllowance; refreshed: boolean } | { ok: false; reason: string; status?: number };
