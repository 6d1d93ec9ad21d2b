/**
 * The standalone preflight behind `npm run doctor`: resolves the credentials the way the runtime would, starts a
 * paper-mode probe stack (catalog, market socket, reference and spot feeds; never a live venue, so nothing is
 * reconciled, cancelled or signed) on the configured endpoints, runs every stage and tears everything down.
 * VENUE=sim without endpoint overrides starts an embedded simulator first (its own, on loopback), which is why the
 * heartbeat is sent there without asking: no other process can hold its keys.
 *
 * Invariants: resolves (never throws) with the report and its marker lines; closes every socket and server it
 * opened; secrets never appear in the output.
 */
import type { PreflightReport } from '../lib/schemas/preflight';
import { EventBus } from './bus';
import type { Clock } from './clock';
import { MemoryJournal, paperOrderSide, resolveCredentials, simPaperKey, type CredsStore, type LiveKey, type ResolvedCredentials } from './execution';

import type { Asset, WindowKind } from './markets';
import { simEndpoints, startSim, type SimHandle } from './sim';
import type { CredentialsInfo, HeartbeatPolicy } from './preflight/context';
import { reportLines } from './preflight/format';
import { credentialsInfo, venueLabel } from './preflight/preflight-monitor';
import { runPreflight } from './preflight/preflight';
import { stackDataView } from './preflight/stack-view';
import { POLYMARKET_ENDPOINTS, type ApiCredentials, type VenueEndpoints } from './core';
import { liveMarketData, VenueSession } from './session';

export interface DoctorOptions {
  mode: 'paper' | 'live';
  venue: 'sim' | 'polymarket';
  clock: Clock;
  /** Endpoints (overrides merged over Polymarket's). Omitted with venue=sim: an embedded simulator. */
  endpoints?: VenueEndpoints;
  simSeed?: number;
  envKey?: LiveKey;
  envApi?: ApiCredentials;
  credsStore?: CredsStore;
  referenceOverride?: 'rtds';
  /** `--heartbeat`: send one heartbeat even though a bot with the same key might be running. */
  heartbeat?: boolean;
  asset?: Asset;
  kinds?: WindowKind[];
  maxUsdPerTrade?: number;
  dataWaitMs?: number;
  stageTimeoutMs?: number;
  httpTimeoutMs?: number;
}

export interface DoctorResult {
  report: PreflightReport;
  lines: string[];
  exitCode: 0 | 1;
}

async function credentialsFor(o: DoctorOptions, endpoints: VenueEndpoints, embedded: boolean): Promise<CredentialsInfo> {
  try {
    const r = await resolveCredentials({
      mode: o.mode,
      simulator: o.venue === 'sim',
      clobHost: endpoints.clob,
      nowSec: () => Math.floor(o.clock.nowMs() / 1000),
      nowMs: () => o.clock.nowMs(),
      ...(o.envKey ? { envKey: o.envKey } : {}),
      ...(o.envApi ? { envApi: o.envApi } : {}),
      ...(o.credsStore && !embedded ? { store: o.credsStore } : {}),
      ...(o.referenceOverride ? { referenceOverride: o.referenceOverride } : {}),
      simKey: simPaperKey(o.simSeed ?? 42),
    });
    return credentialsInfo(r);
  } catch (err) {
    const missingKey = o.mode === 'live' && !o.envKey;
    return { ok: false, missingKey, error: missingKey ? 'TRADING_MODE=live needs POLY_PRIVATE_KEY (or POLY_PRIVATE_KEY_FILE): no signing key' : `could not obtain CLOB API credentials: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorResult> {
  const embedded = o.venue === 'sim' && !o.endpoints;
  let sim: SimHandle | undefined;
  let stack: VenueSession | undefined;
  let view: ReturnType<typeof stackDataView> | undefined;
  try {
    if (embedded) sim = await startSim({ clock: o.clock, seed: o.simSeed ?? 42 });
    const endpoints = sim ? simEndpoints(sim.urls) : (o.endpoints ?? POLYMARKET_ENDPOINTS);
    const credentials = await credentialsFor(o, endpoints, embedded);
    const asset = o.asset ?? 'btc';
    const kinds = o.kinds ?? ['5m', '15m'];
    const bus = new EventBus({ clock: o.clock, historySize: 1_000 });
    const probeCreds: ResolvedCredentials = credentials.ok
      ? { ...(credentials.resolved.api ? { api: credentials.resolved.api } : {}), source: credentials.resolved.source, reference: credentials.resolved.reference, notices: [] }
      : { source: 'none', reference: 'none', notices: [] };
    stack = new VenueSession({ marketData: liveMarketData(), orderSide: paperOrderSide(), endpoints, clock: o.clock, bus, journal: new MemoryJournal(), asset, kinds, seed: 'doctor', credentials: probeCreds, cancelOnStop: false });
    view = stackDataView(stack, { bus, clock: o.clock, asset, kinds });
    await stack.start().catch(() => undefined);
    const heartbeat: HeartbeatPolicy = embedded
      ? { kind: 'send', note: 'embedded simulator: no other process holds this key' }
      : o.heartbeat
        ? { kind: 'send', note: '--heartbeat: the venue now cancels this key\'s open orders unless heartbeats follow within 10 s' }
        : { kind: 'skip', reason: 'not sent: a heartbeat could disturb a running bot with this key (run `npm run doctor -- --heartbeat` when none runs)' };
    const report = await runPreflight(
      {
        mode: o.mode, venue: sim ? 'simulator (embedded)' : venueLabel(endpoints), endpoints, clock: o.clock, credentials, data: view, heartbeat, kinds,
        ...(o.maxUsdPerTrade !== undefined ? { maxUsdPerTrade: o.maxUsdPerTrade } : {}),
        ...(o.dataWaitMs !== undefined ? { dataWaitMs: o.dataWaitMs } : {}),
        ...(o.httpTimeoutMs !== undefined ? { httpTimeoutMs: o.httpTimeoutMs } : {}),
      },
      { trigger: 'doctor', ...(o.stageTimeoutMs !== undefined ? { stageTimeoutMs: o.stageTimeoutMs } : {}) },
    );
    const header = `npm run doctor: ${o.mode} trading, ${report.venue} (CLOB ${endpoints.clob})`;
    return { report, lines: [header, ...reportLines(report)], exitCode: report.go ? 0 : 1 };
  } finally {
    view?.dispose();
    await stack?.stop('doctor done').catch(() => undefined);
    await sim?.close().catch(() => undefined);
  }
}
