/**
 * Health monitor: what makes a running bot `degraded` or `down`, from the facts on the bus — feed health (a required
 * feed that is not fresh), market lookups that keep failing, an unreachable venue (preflight endpoint stages, or
 * lookups failing on the network while no socket is open), a NO-GO preflight, and nothing reachable at all for a
 * sustained period (`downAfterMs`, 60 s). A feed in backoff that never connected publishes no `feed.stale` edge,
 * so without this the console said `ok` while offline.
 *
 * Conditions become alerts through `health.condition` events, published on edges only: an activation at most once
 * per `alertRepeatMs` per condition, and its end only when its start was announced. Conditions that already have
 * their own alert are not announced again: a NO-GO (`preflight.report`) and a required feed that was fresh before
 * (`feed.stale`).
 *
 * Invariants: `evaluate()` is computed from current state (no timers needed to be right); the lookup table holds
 * at most 32 slugs; timers on the injected Clock; subscriptions released on `stop()`.
 */
import type { HealthCondition } from '../../lib/schemas/events';
import type { PreflightReport } from '../../lib/schemas/preflight';
import type { EventBus, Unsubscribe } from '../bus';
import type { CancelTimer, Clock } from '../clock';

import { parseSlug } from '../markets';
import { type FeedName } from '../core';

export interface HealthMonitorOptions {
  clock: Clock;
  bus: EventBus;
  /** The reference feed of the running stack ('none': no credentials, no reference). */
  referenceFeed: () => FeedName | 'none';
  preflight: () => PreflightReport | undefined;
  /** How long after a start a required feed may still be coming up (default 20 s). */
  graceMs?: number;
  /** Nothing reachable for this long = down (default 60 s). */
  downAfterMs?: number;
  /** Consecutive failed lookups of one window that count as failing (default 3). */
  lookupFailures?: number;
  alertRepeatMs?: number;
}

export interface HealthEvaluation {
  down: string[];
  degraded: string[];
}

interface ActiveCondition {
  condition: HealthCondition;
  level: 'down' | 'degraded';
  title: string;
  detail: string;
  /** Already alerted by another event: do not announce. */
  quiet?: boolean;
}

const VENUE_STAGES = ['endpoint.clob', 'endpoint.gamma', 'endpoint.market-ws'];
/** Lookup reasons of requests that got no HTTP answer (`network: …`, `HTTP 0: network: …`, timeouts). */
const isNetworkFailure = (reason: string) => /(^|: )network: |^HTTP 0\b/.test(reason);

export class HealthMonitor {
  private readonly feeds = new Map<FeedName, { state: string; stale: boolean; everFresh: boolean }>();
  private readonly lookups = new Map<string, { attempts: number; reason: string }>();
  private startedMs = 0;
  private lastReachableMs = 0;
  private unsubs: Unsubscribe[] = [];
  private timer: CancelTimer | undefined;
  private readonly announced = new Map<HealthCondition, { active: boolean; atMs: number; title: string }>();

  constructor(private readonly o: HealthMonitorOptions) {}

  start(): void {
    this.stop();
    const { bus, clock } = this.o;
    this.startedMs = this.lastReachableMs = clock.nowMs();
    this.feeds.clear();
    this.lookups.clear();
    this.unsubs.push(
      bus.on('feed.health', (e) => {
        const prev = this.feeds.get(e.feed);
        this.feeds.set(e.feed, { state: e.state, stale: e.stale, everFresh: (prev?.everFresh ?? false) || !e.stale });
        if (e.state === 'open') this.reachable();
      }),
      bus.on('market.discovered', (e) => {
        this.lookups.delete(e.slug);
        this.reachable();
      }),
      bus.on('market.lookup_failed', (e) => {
        this.lookups.delete(e.slug);
        this.lookups.set(e.slug, { attempts: e.attempt, reason: e.reason });
        if (this.lookups.size > 32) this.lookups.delete(this.lookups.keys().next().value!);
        // An HTTP answer (even "not listed yet") proves the venue is reachable; a network failure does not.
        if (!isNetworkFailure(e.reason)) this.reachable();
      }),
      bus.on('preflight.report', (e) => {
        if (e.report.stages.some((s) => s.id.startsWith('endpoint.') && s.status === 'ok')) this.reachable();
      }),
    );
    this.timer = clock.every(1_000, 'health.tick', () => this.announce());
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
    for (const u of this.unsubs.splice(0)) u();
    this.announced.clear();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  evaluate(): HealthEvaluation {
    const out: HealthEvaluation = { down: [], degraded: [] };
    if (!this.running) return out;
    for (const c of this.conditions()) out[c.level].push(`${c.title}: ${c.detail}`);
    return out;
  }

  private reachable(): void {
    this.lastReachableMs = this.o.clock.nowMs();
  }

  private conditions(): ActiveCondition[] {
    const now = this.o.clock.nowMs();
    const graceOver = now - this.startedMs >= (this.o.graceMs ?? 20_000);
    const out: ActiveCondition[] = [];
    const anyOpen = [...this.feeds.values()].some((f) => f.state === 'open');

    const unreachableFor = now - this.lastReachableMs;
    if (unreachableFor >= (this.o.downAfterMs ?? 60_000)) {
      out.push({ condition: 'nothing_reachable', level: 'down', title: 'nothing reachable', detail: `no venue endpoint has answered for ${Math.round(unreachableFor / 1000)} s (feeds, market lookups and preflight all failing)` });
    }

    const report = this.o.preflight();
    const pfFresh = report && report.finishedMs >= this.startedMs;
    const venueFail = pfFresh ? report.stages.find((s) => VENUE_STAGES.includes(s.id) && s.status === 'fail') : undefined;
    const failing = [...this.lookups.entries()].filter(([slug, l]) => l.attempts >= (this.o.lookupFailures ?? 3) && (l.reason !== 'not listed yet' || (parseSlug(slug)?.startMs ?? Infinity) <= now));
    const netFail = failing.find(([, l]) => isNetworkFailure(l.reason));
    if (venueFail) out.push({ condition: 'venue_unreachable', level: 'degraded', title: 'venue unreachable', detail: `${venueFail.title}: ${venueFail.detail}` });
    else if (netFail && !anyOpen) out.push({ condition: 'venue_unreachable', level: 'degraded', title: 'venue unreachable', detail: `${netFail[0]}: ${netFail[1].reason}` });
    if (failing.length > 0) {
      const [slug, l] = failing[failing.length - 1]!;
      out.push({ condition: 'lookups_failing', level: 'degraded', title: 'market lookups failing', detail: `${failing.length} window(s); ${slug}: ${l.reason} (attempt ${l.attempts})` });
    }

    const ref = this.o.referenceFeed();
    if (ref === 'none') {
      out.push({ condition: 'reference_unavailable', level: 'degraded', title: 'no reference price', detail: 'no reference feed (no CLOB API credentials): nothing can trade', quiet: true });
    } else {
      const f = this.feeds.get(ref);
      if ((f ? f.stale : true) && (graceOver || f?.everFresh)) {
        out.push({ condition: 'reference_unavailable', level: 'degraded', title: 'reference feed not fresh', detail: `${ref} ${f ? f.state : 'not started'}${f?.everFresh ? ', stale' : ', no price since start'}`, quiet: f?.everFresh ?? false });
      }
    }
    const m = this.feeds.get('clob-market');
    if ((m ? m.stale : true) && (graceOver || m?.everFresh)) {
      out.push({ condition: 'market_data_unavailable', level: 'degraded', title: 'market data not fresh', detail: `clob-market ${m ? m.state : 'not started'}${m?.everFresh ? ', stale' : ', no book data since start'}`, quiet: m?.everFresh ?? false });
    }
    if (pfFresh && !report.go) out.push({ condition: 'preflight_nogo', level: 'degraded', title: 'preflight NO-GO', detail: report.summary, quiet: true });
    return out;
  }

  /** Publish condition edges (rate-limited). */
  private announce(): void {
    const now = this.o.clock.nowMs();
    const active = new Map(this.conditions().map((c) => [c.condition, c]));
    for (const [cond, c] of active) {
      const a = this.announced.get(cond);
      if (c.quiet || a?.active) continue;
      if (a && now - a.atMs < (this.o.alertRepeatMs ?? 60_000)) continue;
      this.announced.set(cond, { active: true, atMs: now, title: c.title });
      this.o.bus.publish({ type: 'health.condition', condition: cond, active: true, severity: c.level === 'down' ? 'danger' : 'warn', title: c.title, detail: c.detail.slice(0, 300) });
    }
    for (const [cond, a] of this.announced) {
      if (!a.active || active.has(cond)) continue;
      a.active = false;
      this.o.bus.publish({ type: 'health.condition', condition: cond, active: false, severity: 'ok', title: a.title, detail: 'condition cleared' });
    }
  }
}
