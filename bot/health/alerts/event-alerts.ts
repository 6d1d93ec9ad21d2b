/**
 * Bus facts that are alerts as they stand: every kill-switch change (`killswitch.changed`, automatic or by an
 * operator), a feed going stale while the bot runs (`feed.stale`) and its recovery (`feed.recovered`), and health
 * conditions beginning or ending (`health.condition`, already edge-triggered and rate-limited by the health monitor).
 *
 * Invariants: a stale feed is an alert only while the runtime is starting or running (feeds going quiet on a stop
 * are not news); a recovery is an alert only for a feed whose stall was alerted, and a stall only once until it
 * recovers; a stop forgets the stalled feeds. Pure state, at most one entry per feed name.
 */
import type { BotEvent, RuntimeState } from '../../../lib/schemas/events';
import type { AlertDraft } from './alert-payload';

export class EventAlerts {
  private runtimeState: RuntimeState = 'stopped';
  private readonly stalled = new Set<string>();

  /** The alert this event stands for, if any. */
  onEvent(e: BotEvent): AlertDraft | undefined {
    switch (e.type) {
      case 'runtime.state':
        this.runtimeState = e.state;
        if (e.state === 'stopping' || e.state === 'stopped' || e.state === 'error') this.stalled.clear();
        return undefined;
      case 'killswitch.changed':
        if (e.state === e.prevState) return undefined;
        return {
          kind: 'kill_switch',
          severity: e.state === 'halted' ? 'danger' : e.state === 'reducing' ? 'warn' : 'ok',
          title: `kill switch ${e.prevState} → ${e.state}`,
          message: `${e.automatic ? 'automatic' : 'operator'} (${e.actor}): ${e.reason.slice(0, 300)}`,
        };
      case 'feed.stale': {
        if (this.runtimeState !== 'running' && this.runtimeState !== 'starting') return undefined;
        if (this.stalled.has(e.feed)) return undefined;
        this.stalled.add(e.feed);
        return {
          kind: 'feed_stall',
          severity: 'danger',
          title: `${e.feed} feed stalled`,
          message: e.ageMs >= 1000 ? `no data for ${(e.ageMs / 1000).toFixed(1)} s; new entries that need it are blocked` : 'connection not open; new entries that need it are blocked',
          feed: e.feed,
        };
      }
      case 'feed.recovered':
        if (!this.stalled.delete(e.feed)) return undefined;
        return { kind: 'feed_recovered', severity: 'ok', title: `${e.feed} feed recovered`, message: 'data flowing again', feed: e.feed };
      case 'health.condition':
        return {
          kind: 'health',
          severity: e.active ? e.severity : 'ok',
          title: e.active ? e.title : `${e.title}: over`,
          message: e.detail,
        };
      default:
        return undefined;
    }
  }
}
