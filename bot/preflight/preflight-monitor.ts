/**
 * The preflight inside the runtime: run at every start over the freshly started venue session, re-run every
 * `recheckMs` (5 min) while GO and every `recheckNoGoMs` (30 s) while NO-GO, published as `preflight.report`, the
 * latest kept for `GET /api/preflight` and the dashboard.
 *
 * Live mode: new orders are blocked (the engine gate `blockReason()`) until this start's first report is GO, and
 * again whenever a re-check is NO-GO, with the failed stage as the reason. Paper mode: never blocks (informational).
 * Heartbeat: in live, the stage reports the stack's own heartbeat loop once its first beat is answered (no extra
 * heartbeat is ever sent: one would start the venue's cancel-on-disconnect timer before reconciliation is done).
 * Paper never sends one (a live bot elsewhere could use the same key).
 *
 * Invariants: never throws into the runtime; a run that finishes after a stop is discarded; one run at a time per
 * start; timers on the injected Clock.
 */
import type { PreflightReport } from '../../lib/schemas/preflight';
import type { EventBus } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import { type ResolvedCredentials } from '../execution';
import type { Asset, WindowKind } from '../markets';
import type { CredentialsInfo, HeartbeatPolicy, PreflightContext } from './context';
import { runPreflight } from './preflight';
import { stackDataView } from './stack-view';
import { POLYMARKET_ENDPOINTS, type VenueEndpoints } from '../core';
import type { SessionView } from './stack-view';

export interface PreflightMonitorOptions {
  mode: 'paper' | 'live';
  clock: Clock;
  bus: EventBus;
  asset: Asset;
  kinds: readonly WindowKind[];
  /** Read at each run (the risk limit may change while running). */
  maxUsdPerTrade?: () => number;
  recheckMs?: number;
  recheckNoGoMs?: number;
  dataWaitMs?: number;
  /** How reports name the venue ('simulator (embedded)'); default: from the CLOB endpoint. */
  venueLabel?: string;
  stageTimeoutMs?: number;
  httpTimeoutMs?: number;
}

interface Current {
  gen: number;
  stack: SessionView;
  endpoints: VenueEndpoints;
  credentials: CredentialsInfo;
  reported: boolean;
}

export function credentialsInfo(c: ResolvedCredentials): CredentialsInfo {
  return { ok: true, resolved: c, signatureType: c.live?.signatureType ?? 0, ...(c.live?.funder ? { funder: c.live.funder } : {}), hasKey: !!c.live };
}

/** `polymarket`, or the host the CLOB endpoint points at (a simulator, a proxy). */
export function venueLabel(ep: VenueEndpoints): string {
  if (ep.clob === POLYMARKET_ENDPOINTS.clob) return 'polymarket';
  try {
    return `endpoints at ${new URL(ep.clob).host}`.slice(0, 40);
  } catch {
    return 'custom endpoints';
  }
}

export class PreflightMonitor {
  /** The latest report (kept across stops and restarts). */
  latest: PreflightReport | undefined;
  private gen = 0;
  private cur: Current | undefined;
  /** The start (generation) whose check is running now. */
  private runningGen: number | undefined;
  private timer: CancelTimer | undefined;

  constructor(private readonly o: PreflightMonitorOptions) {}

  get isRunning(): boolean {
    return this.runningGen !== undefined && this.runningGen === this.cur?.gen;
  }

  /** The asset and windows a start trades (they may change between starts); used by the next check. */
  setScope(asset: Asset, kinds: readonly WindowKind[]): void {
    this.o.asset = asset;
    this.o.kinds = kinds;
  }

  /** The stack is up: run the first check (not awaited) and schedule the re-checks. */
  started(stack: SessionView, endpoints: VenueEndpoints, credentials: ResolvedCredentials): void {
    this.cancelTimer();
    this.cur = { gen: ++this.gen, stack, endpoints, credentials: credentialsInfo(credentials), reported: false };
    void this.run('start');
  }

  stop(): void {
    this.cancelTimer();
    this.gen++;
    this.cur = undefined;
  }

  /** Why new orders must wait (live only; undefined = allowed). */
  blockReason(): string | undefined {
    if (this.o.mode !== 'live') return undefined;
    const c = this.cur;
    if (!c || !c.reported || !this.latest) return 'preflight not finished: new orders wait for GO';
    if (this.latest.go) return undefined;
    const f = this.latest.stages.find((s) => s.status === 'fail');
    return `preflight NO-GO: ${f ? `${f.title}: ${f.detail}` : this.latest.summary}`.slice(0, 240);
  }

  /** Run a check now (no-op while one runs or when stopped); resolves with its report. */
  async run(trigger: PreflightReport['trigger']): Promise<PreflightReport | undefined> {
    const c = this.cur;
    if (!c || this.runningGen === c.gen) return undefined;
    this.runningGen = c.gen;
    const view = stackDataView(c.stack, { bus: this.o.bus, clock: this.o.clock, asset: this.o.asset, kinds: this.o.kinds });
    let report: PreflightReport | undefined;
    try {
      const hb: HeartbeatPolicy =
        this.o.mode === 'paper'
          ? { kind: 'skip', reason: 'paper mode: not sent (no orders to protect; a heartbeat could disturb a live bot using the same key)' }
          : {
              kind: 'observe',
              state: async () => {
                const hb = c.stack.heartbeat;
                if (!hb) return undefined;
                await hb.answered();
                return { ok: hb.ok, failures: hb.consecutiveFailures };
              },
            };
      report = await runPreflight({ ...this.context(c.endpoints, c.credentials, hb), data: view }, { trigger, ...(this.o.stageTimeoutMs !== undefined ? { stageTimeoutMs: this.o.stageTimeoutMs } : {}) });
    } catch {
      report = undefined;
    } finally {
      view.dispose();
      if (this.runningGen === c.gen) this.runningGen = undefined;
    }
    if (!report || c.gen !== this.gen) return undefined;
    const failedIds = (r: PreflightReport | undefined) => (r ? r.stages.filter((s) => s.status === 'fail').map((s) => s.id).join(',') : '');
    const changed = !c.reported || !this.latest || this.latest.go !== report.go || failedIds(this.latest) !== failedIds(report);
    this.latest = report;
    c.reported = true;
    this.o.bus.publish({ type: 'preflight.report', report, changed });
    this.cancelTimer();
    this.timer = this.o.clock.after(report.go ? (this.o.recheckMs ?? 300_000) : (this.o.recheckNoGoMs ?? 30_000), 'preflight.recheck', () => void this.run('recheck'));
    return report;
  }

  private context(endpoints: VenueEndpoints, credentials: CredentialsInfo, heartbeat: HeartbeatPolicy): PreflightContext {
    const o = this.o;
    return {
      mode: o.mode, venue: o.venueLabel ?? venueLabel(endpoints), endpoints, clock: o.clock, credentials, heartbeat, kinds: o.kinds,
      ...(o.maxUsdPerTrade ? { maxUsdPerTrade: o.maxUsdPerTrade() } : {}),
      ...(o.dataWaitMs !== undefined ? { dataWaitMs: o.dataWaitMs } : {}),
      ...(o.httpTimeoutMs !== undefined ? { httpTimeoutMs: o.httpTimeoutMs } : {}),
    };
  }

  private cancelTimer(): void {
    this.timer?.();
    this.timer = undefined;
  }
}
