/**
 * The alert rules at and around their thresholds (bot/health/alerts/alert-rules.ts, event-alerts.ts): rejection
 * bursts (N within a window, re-armed below N), daily-loss proximity (warnPct of the limit, hysteresis, a new day),
 * balance drop below the session high (re-armed halfway back, reset per session), and the bus facts that are alerts
 * as they stand (kill switch, feed stall and recovery, health conditions).
 */
import { describe, expect, it } from 'vitest';
import { BalanceDropRule, DailyLossRule, RejectionBurstRule, seriesOfSlug } from '../../../bot/health/alerts/alert-rules';
import { EventAlerts } from '../../../bot/health/alerts/event-alerts';
import type { BotEvent } from '../../../lib/schemas/events';

const SLUG = 'btc-updown-5m-1791158400';
const base = { seq: 1, tsEventMs: 0, tsRecvMs: 0 };

describe('RejectionBurstRule', () => {
  const W = 60_000;
  it('fires at the Nth rejection within the window, not at N-1, and names the series and market', () => {
    const r = new RejectionBurstRule();
    for (let i = 0; i < 4; i++) expect(r.onRejected(i * 1_000, { clientTag: `hammer|${SLUG}|entry|${i}` }, 5, W)).toBeUndefined();
    const a = r.onRejected(4_000, { clientTag: `hammer|${SLUG}|entry|4`, windowSlug: SLUG, reason: 'not enough balance' }, 5, W);
    expect(a).toMatchObject({ kind: 'rejection_burst', severity: 'warn', series: 'btc-5m', market: SLUG });
    expect(a!.message).toContain('not enough balance');
    expect(a!.title).toBe('5 orders rejected within 60 s');
  });

  it('does not fire when the rejections are spread wider than the window', () => {
    const r = new RejectionBurstRule();
    for (let i = 0; i < 10; i++) expect(r.onRejected(i * 15_001, { clientTag: 't' }, 5, W)).toBeUndefined();
  });

  it('fires once per burst: more rejections in the same burst are quiet; once the window drains it is re-armed', () => {
    const r = new RejectionBurstRule();
    const fired: number[] = [];
    for (let i = 0; i < 12; i++) if (r.onRejected(i * 1_000, { clientTag: 't' }, 3, W)) fired.push(i);
    expect(fired).toEqual([2]);
    r.tick(11_000 + W, 3, W); // every rejection has left the window
    for (let i = 0; i < 3; i++) if (r.onRejected(200_000 + i, { clientTag: 't' }, 3, W)) fired.push(100 + i);
    expect(fired).toEqual([2, 102]);
  });

  it('a hot change of the count applies to the next rejection', () => {
    const r = new RejectionBurstRule();
    expect(r.onRejected(0, { clientTag: 't' }, 5, W)).toBeUndefined();
    expect(r.onRejected(1, { clientTag: 't' }, 2, W)).toBeDefined();
  });
});

describe('DailyLossRule', () => {
  const DAY = '2026-10-05';
  it('fires at exactly warnPct of the limit, not just below it', () => {
    const r = new DailyLossRule();
    expect(r.check(DAY, -79.99, 100, 80)).toBeUndefined();
    const a = r.check(DAY, -80, 100, 80);
    expect(a).toMatchObject({ kind: 'daily_loss', severity: 'warn', title: 'daily loss at 80 % of the limit' });
    expect(a!.message).toContain('80.00 USD of the 100.00 USD');
  });

  it('a profit or a small loss never fires; the limit is read on every call (hot)', () => {
    const r = new DailyLossRule();
    expect(r.check(DAY, 500, 100, 80)).toBeUndefined();
    expect(r.check(DAY, -50, 100, 80)).toBeUndefined();
    expect(r.check(DAY, -50, 60, 80)).toBeDefined(); // limit lowered to 60: 50 ≥ 48
  });

  it('fires once; re-armed only below 90 % of the threshold, then fires again', () => {
    const r = new DailyLossRule();
    expect(r.check(DAY, -85, 100, 80)).toBeDefined();
    expect(r.check(DAY, -95, 100, 80)).toBeUndefined();
    expect(r.check(DAY, -73, 100, 80)).toBeUndefined(); // 73 ≥ 72: still armed-off
    expect(r.check(DAY, -80, 100, 80)).toBeUndefined();
    expect(r.check(DAY, -71.9, 100, 80)).toBeUndefined(); // re-armed here (below 72)
    expect(r.check(DAY, -80, 100, 80)).toBeDefined();
  });

  it('a new UTC day re-arms; at or past the limit the alert is danger', () => {
    const r = new DailyLossRule();
    expect(r.check(DAY, -90, 100, 80)?.severity).toBe('warn');
    expect(r.check(DAY, -90, 100, 80)).toBeUndefined();
    expect(r.check('2026-10-06', -100, 100, 80)?.severity).toBe('danger');
  });
});

describe('BalanceDropRule', () => {
  it('fires at exactly dropPct below the session high, not just above it', () => {
    const r = new BalanceDropRule();
    expect(r.observe(1_000, 20, 'venue_balance')).toBeUndefined();
    expect(r.observe(1_200, 20, 'venue_balance')).toBeUndefined(); // new high
    expect(r.high).toBe(1_200);
    expect(r.observe(960.01, 20, 'venue_balance')).toBeUndefined();
    const a = r.observe(960, 20, 'venue_balance');
    expect(a).toMatchObject({ kind: 'balance_drop', severity: 'danger', title: 'balance 20.0 % below its session high' });
    expect(a!.message).toContain('960.00 USD vs a high of 1200.00 USD');
  });

  it('fires once; re-armed when back within dropPct/2 of the high; says when it watches paper equity', () => {
    const r = new BalanceDropRule();
    r.observe(100, 20, 'paper_equity');
    expect(r.observe(75, 20, 'paper_equity')!.message).toContain('paper mode has no venue balance');
    expect(r.observe(70, 20, 'paper_equity')).toBeUndefined();
    expect(r.observe(89, 20, 'paper_equity')).toBeUndefined(); // 11 % below: not yet re-armed
    expect(r.observe(79, 20, 'paper_equity')).toBeUndefined();
    expect(r.observe(91, 20, 'paper_equity')).toBeUndefined(); // 9 % below: re-armed
    expect(r.observe(80, 20, 'paper_equity')).toBeDefined();
  });

  it('reset() starts a new session high', () => {
    const r = new BalanceDropRule();
    r.observe(1_000, 20, 'venue_balance');
    r.reset();
    expect(r.observe(700, 20, 'venue_balance')).toBeUndefined();
    expect(r.high).toBe(700);
  });
});

describe('EventAlerts', () => {
  const ev = (e: Record<string, unknown>) => ({ ...base, ...e }) as BotEvent;
  const running = ev({ type: 'runtime.state', instanceId: 'i', state: 'running', prevState: 'starting' });

  it('every kill-switch change is an alert, with a severity by the new state', () => {
    const a = new EventAlerts();
    const ks = (prevState: string, state: string, automatic: boolean) => a.onEvent(ev({ type: 'killswitch.changed', state, prevState, reason: 'why', actor: automatic ? 'risk' : 'operator(local)', automatic }));
    expect(ks('active', 'halted', false)).toMatchObject({ kind: 'kill_switch', severity: 'danger', title: 'kill switch active → halted', message: 'operator (operator(local)): why' });
    expect(ks('active', 'reducing', true)).toMatchObject({ severity: 'warn', message: 'automatic (risk): why' });
    expect(ks('halted', 'active', false)).toMatchObject({ severity: 'ok' });
  });

  it('a feed stall is an alert only while running; its recovery only after an alerted stall', () => {
    const a = new EventAlerts();
    const stale = ev({ type: 'feed.stale', feed: 'clob-market', ageMs: 6_500 });
    const recovered = ev({ type: 'feed.recovered', feed: 'clob-market' });
    expect(a.onEvent(stale)).toBeUndefined(); // stopped
    expect(a.onEvent(recovered)).toBeUndefined();
    a.onEvent(running);
    expect(a.onEvent(stale)).toMatchObject({ kind: 'feed_stall', severity: 'danger', feed: 'clob-market', message: expect.stringContaining('6.5 s') });
    expect(a.onEvent(stale)).toBeUndefined(); // once per stall
    expect(a.onEvent(recovered)).toMatchObject({ kind: 'feed_recovered', severity: 'ok', feed: 'clob-market' });
    expect(a.onEvent(recovered)).toBeUndefined();
    a.onEvent(stale);
    a.onEvent(ev({ type: 'runtime.state', instanceId: 'i', state: 'stopping', prevState: 'running' }));
    expect(a.onEvent(recovered)).toBeUndefined(); // a stop forgets the stall
  });

  it('health conditions begin and end', () => {
    const a = new EventAlerts();
    const cond = (active: boolean) => a.onEvent(ev({ type: 'health.condition', condition: 'venue_unreachable', active, severity: active ? 'warn' : 'ok', title: 'venue unreachable', detail: 'd' }));
    expect(cond(true)).toMatchObject({ kind: 'health', severity: 'warn', title: 'venue unreachable' });
    expect(cond(false)).toMatchObject({ kind: 'health', severity: 'ok', title: 'venue unreachable: over' });
  });

  it('other events are not alerts', () => {
    expect(new EventAlerts().onEvent(ev({ type: 'feed.bad_frame', feed: 'spot', reason: 'x', count: 1 }))).toBeUndefined();
  });
});

describe('seriesOfSlug', () => {
  it('maps a window slug to its series and refuses anything else', () => {
    expect(seriesOfSlug('eth-updown-15m-1791158400')).toBe('eth-15m');
    expect(seriesOfSlug('not-a-slug')).toBeUndefined();
  });
});
