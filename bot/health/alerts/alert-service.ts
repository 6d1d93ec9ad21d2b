/**
 * The alerts webhook service: turns bus facts and periodic checks into alerts, rate-limits them and hands them to
 * the webhook sender. Built by the composition root for the runtime's whole life (kill-switch changes matter while
 * the bot is stopped too), disposed with it.
 *
 *   kill_switch      every `killswitch.changed`                         event-alerts.ts
 *   feed_stall       `feed.stale` while running; `feed_recovered` after   event-alerts.ts
 *   health           `health.condition` begins / ends                     event-alerts.ts
 *   rejection_burst  `order.state` → rejected, N within a window          alert-rules.ts
 *   daily_loss       today's realised loss vs risk.maxDailyLossUsd (1 s)  alert-rules.ts
 *   balance_drop     balance / paper equity vs its session high           alert-rules.ts, account-equity.ts
 *
 * Invariants: without ALERT_WEBHOOK_URL nothing subscribes and nothing is sent; the `alerts` config section is read at
 * every decision (hot); bus handlers only enqueue (never await, never throw); timers on the injected Clock; at most
 * one balance read in flight; the URL never leaves the sender (status and events show the host only).
 */
import type { AlertsConfig, RuntimeConfig } from '../../../lib/schemas/config';
import type { AlertKind, BotEvent } from '../../../lib/schemas/events';
import type { EventBus, Unsubscribe } from '../../bus';
import type { CancelTimer, Clock } from '../../clock';
import { utcDay } from '../../risk/risk-day';
import type { TrackedOrder } from '../../execution';
import { parseClientTag } from '../../strategies/intents';
import { silentLogger, type Logger } from '../../util/logger';
import { AccountEquity, type EquityStack } from './account-equity';
import { buildPayload, type AlertContext, type AlertDraft, type AlertPayload } from './alert-payload';
import { AlertRateLimiter } from './alert-rate-limit';
import { BalanceDropRule, DailyLossRule, RejectionBurstRule } from './alert-rules';
import { EventAlerts } from './event-alerts';
import { WebhookSender, type DeliveryResult, type SenderStats, type WebhookSenderOptions, type WebhookTransport } from './webhook-sender';
import { parseWebhookUrl } from './webhook-url';

/** The parts of the trading session the rules read (SessionComponent fits structurally). */
export interface AlertSession {
  readonly riskDay: { realizedTodayUsd(): number };
  readonly stack: EquityStack | undefined;
}

export interface AlertServiceOptions {
  clock: Clock;
  bus: EventBus;
  logger?: Logger;
  /** ALERT_WEBHOOK_URL (or the file in ALERT_WEBHOOK_URL_FILE), read by the server. Unset: alerts are off. */
  webhookUrl?: string;
  /** The running configuration (its `alerts` section and risk.maxDailyLossUsd). */
  config: () => Pick<RuntimeConfig, 'alerts' | 'risk'>;
  context: () => AlertContext;
  session: () => AlertSession | undefined;
  workingBuyUsd: (orders: readonly TrackedOrder[]) => number;
  transport?: WebhookTransport;
  sender?: Pick<WebhookSenderOptions, 'queueMax' | 'maxAttempts' | 'baseBackoffMs' | 'maxBackoffMs' | 'timeoutMs'>;
  tickMs?: number;
}

export interface AlertsStatus {
  configured: boolean;
  /** The webhook's host (never the URL). */
  host: string | null;
  enabled: boolean;
  /** Held back by the rate limits and not yet summarised. */
  suppressedPending: number;
  suppressedTotal: number;
  sender: SenderStats | null;
}

export interface TestAlertResult extends DeliveryResult {
  host: string;
  enabled: boolean;
}

export class AlertsNotConfiguredError extends Error {
  constructor() {
    super('no alerts webhook: set ALERT_WEBHOOK_URL (or ALERT_WEBHOOK_URL_FILE) and restart the server');
    this.name = 'AlertsNotConfiguredError';
  }
}

const KIND_SWITCH: Record<Exclude<AlertKind, 'test'>, keyof AlertsConfig['kinds']> = {
  kill_switch: 'killSwitch',
  feed_stall: 'feedStall',
  feed_recovered: 'feedStall',
  rejection_burst: 'rejectionBurst',
  daily_loss: 'dailyLoss',
  balance_drop: 'balanceDrop',
  health: 'health',
};

export class AlertService {
  private readonly sender: WebhookSender | undefined;
  private readonly limiter = new AlertRateLimiter();
  private readonly events = new EventAlerts();
  private readonly rejections = new RejectionBurstRule();
  private readonly dailyLoss = new DailyLossRule();
  private readonly balance = new BalanceDropRule();
  private readonly equity: AccountEquity;
  private readonly unsubs: Unsubscribe[] = [];
  private readonly log: Logger;
  private timer: CancelTimer | undefined;
  private balanceDueMs = 0;
  private balanceBusy = false;
  private suppressedTotal = 0;

  constructor(private readonly o: AlertServiceOptions) {
    this.log = (o.logger ?? silentLogger).child({ component: 'alerts' });
    this.equity = new AccountEquity({ stack: () => o.session()?.stack, workingBuyUsd: o.workingBuyUsd, paperCapitalUsd: () => this.cfg.paperCapitalUsd });
    const target = parseWebhookUrl(o.webhookUrl);
    if (!target) {
      this.log.info({ configured: false }, 'alerts webhook not configured (ALERT_WEBHOOK_URL unset)');
      return;
    }
    this.sender = new WebhookSender({
      clock: o.clock,
      target,
      logger: this.log,
      ...(o.transport ? { transport: o.transport } : {}),
      ...o.sender,
      onResult: (p, r) => this.onResult(p, r),
      onDrop: (p, n) => this.publish({ type: 'alert.suppressed', kind: p.kind, reason: 'queue_overflow', pending: n }),
    });
    this.log.info({ configured: true, host: target.host }, 'alerts webhook configured');
    const on = (e: BotEvent) => this.onEvent(e);
    const bus = o.bus;
    this.unsubs.push(
      bus.on('runtime.state', on), bus.on('killswitch.changed', on), bus.on('feed.stale', on), bus.on('feed.recovered', on),
      bus.on('health.condition', on), bus.on('order.state', on),
    );
    this.timer = o.clock.every(o.tickMs ?? 1_000, 'alerts.tick', () => this.tick());
  }

  private get cfg(): AlertsConfig {
    return this.o.config().alerts;
  }

  /** Rate-limit one alert and queue it for the webhook (synchronous; never throws). */
  raise(d: AlertDraft): void {
    const sender = this.sender;
    const cfg = this.cfg;
    if (!sender || !cfg.enabled) return;
    if (d.kind !== 'test' && !cfg.kinds[KIND_SWITCH[d.kind]]) return;
    const now = this.o.clock.nowMs();
    const a = this.limiter.admit(d.kind, now, {
      perKindMax: cfg.perKindMax, perKindWindowMs: cfg.perKindWindowSec * 1000, globalMax: cfg.globalMax, globalWindowMs: cfg.globalWindowSec * 1000,
    });
    if (!a.ok) {
      this.suppressedTotal++;
      this.publish({ type: 'alert.suppressed', kind: d.kind, reason: a.reason, pending: a.pending });
      return;
    }
    sender.enqueue(buildPayload(clip(d), this.o.context(), now, a.summary));
  }

  /** The console's test: one POST now (no queue, no rate limit, no retry); the webhook's answer. */
  async sendTest(actor: string, note?: string): Promise<TestAlertResult> {
    const sender = this.sender;
    if (!sender) throw new AlertsNotConfiguredError();
    const draft: AlertDraft = { kind: 'test', severity: 'info', title: 'test alert', message: `sent from the console by ${actor}${note ? `: ${note}` : ''}` };
    const payload = buildPayload(clip(draft), this.o.context(), this.o.clock.nowMs(), null, true);
    const r = await sender.sendOnce(payload);
    this.onResult(payload, r);
    return { ...r, host: sender.host, enabled: this.cfg.enabled };
  }

  status(): AlertsStatus {
    return {
      configured: this.sender !== undefined,
      host: this.sender?.host ?? null,
      enabled: this.cfg.enabled,
      suppressedPending: this.limiter.pending,
      suppressedTotal: this.suppressedTotal,
      sender: this.sender?.stats() ?? null,
    };
  }

  dispose(): void {
    this.timer?.();
    this.timer = undefined;
    for (const u of this.unsubs.splice(0)) u();
    this.sender?.dispose();
  }

  private onEvent(e: BotEvent): void {
    try {
      if (e.type === 'runtime.state' && e.state === 'running') this.newSession();
      if (e.type === 'order.state' && e.state === 'rejected' && e.prevState !== 'rejected') {
        const slug = parseClientTag(e.clientTag)?.windowSlug;
        const r = { clientTag: e.clientTag, ...(slug ? { windowSlug: slug } : {}), ...(e.reason ? { reason: e.reason } : {}) };
        const d = this.rejections.onRejected(this.o.clock.nowMs(), r, this.cfg.rejectionBurstCount, this.cfg.rejectionBurstWindowSec * 1000);
        if (d) this.raise(d);
        return;
      }
      const d = this.events.onEvent(e);
      if (d) this.raise(d);
    } catch (err) {
      this.log.warn({ event: e.type, error: err instanceof Error ? err.message : String(err) }, 'alerts: event not handled');
    }
  }

  private newSession(): void {
    this.balance.reset();
    this.balanceDueMs = this.o.clock.nowMs();
  }

  private tick(): void {
    const now = this.o.clock.nowMs();
    const cfg = this.cfg;
    this.rejections.tick(now, cfg.rejectionBurstCount, cfg.rejectionBurstWindowSec * 1000);
    const session = this.o.session();
    if (!session?.stack) return;
    const d = this.dailyLoss.check(utcDay(now), session.riskDay.realizedTodayUsd(), this.o.config().risk.maxDailyLossUsd, cfg.dailyLossWarnPct);
    if (d) this.raise(d);
    if (now >= this.balanceDueMs && !this.balanceBusy) void this.checkBalance(now);
  }

  private async checkBalance(now: number): Promise<void> {
    this.balanceBusy = true;
    this.balanceDueMs = now + this.cfg.balanceCheckSec * 1000;
    try {
      const r = await this.equity.read();
      if (!r) return;
      const d = this.balance.observe(r.usd, this.cfg.balanceDropPct, r.source);
      if (d) this.raise(d);
    } catch (err) {
      this.log.warn({ error: err instanceof Error ? err.message : String(err) }, 'alerts: balance check failed');
    } finally {
      this.balanceBusy = false;
    }
  }

  private onResult(p: AlertPayload, r: DeliveryResult): void {
    if (r.delivered) this.log.info({ kind: p.kind, severity: p.severity, status: r.status, attempts: r.attempts, test: p.test }, 'alert delivered');
    this.publish({
      type: 'alert.sent', kind: p.kind, severity: p.severity, title: p.title.slice(0, 200), delivered: r.delivered, attempts: r.attempts,
      ...(r.status !== undefined ? { status: r.status } : {}), ...(r.error ? { error: r.error.slice(0, 300) } : {}),
    });
  }

  private publish(e: Parameters<EventBus['publish']>[0]): void {
    try {
      this.o.bus.publish(e);
    } catch {
      // a full bus queue must not break alerting
    }
  }
}

function clip(d: AlertDraft): AlertDraft {
  return { ...d, title: d.title.slice(0, 200), message: d.message.slice(0, 1_000) };
}
