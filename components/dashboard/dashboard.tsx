'use client';
/**
 * Dashboard: every configured series side by side (with the series filter), the reference of each asset, runtime
 * state and controls, activity, PnL and exposure, the correlation card, feed health, live arming, kill switch, open
 * orders, fills, positions, alerts, recent events (layout in trading-board.tsx).
 */
import { useBotEvents } from '../live/bot-events';
import { useStatus } from '../live/use-status';
import { RuntimeCard } from './runtime-card';
import { KillSwitchCard } from './kill-switch-card';
import { ArmingCard } from './arming-card';
import { ActivityCard } from './activity-card';
import { RecentEvents } from './recent-events';
import { TradingBoard } from './trading-board';

export function Dashboard() {
  const status = useStatus();
  const live = useBotEvents();
  if (status.isError) {
    return <div className="rounded-lg border border-red-800 bg-red-950/40 p-4 text-red-200">Cannot reach the runtime: {String(status.error)}</div>;
  }
  if (!status.data) return <div className="text-slate-400">Loading…</div>;
  const s = status.data;
  const runtimeState = live.lastRuntimeState && live.lastRuntimeState.instanceId === s.instanceId && live.lastRuntimeState.seq > s.bus.lastSeq ? live.lastRuntimeState.state : s.state;
  const ks = live.lastKillSwitch && live.lastKillSwitch.seq > s.bus.lastSeq ? { ...s.killSwitch, state: live.lastKillSwitch.state, reason: live.lastKillSwitch.reason, actor: live.lastKillSwitch.actor, automatic: live.lastKillSwitch.automatic, sinceMs: live.lastKillSwitch.tsEventMs } : s.killSwitch;
  const hb = live.heartbeat && live.heartbeat.instanceId === s.instanceId ? live.heartbeat : null;
  const uptimeMs = runtimeState === 'running' ? Math.max(hb?.uptimeMs ?? 0, s.uptimeMs) : 0;
  return (
    <TradingBoard
      runtime={<RuntimeCard state={runtimeState} uptimeMs={uptimeMs} instanceId={s.instanceId} lastError={s.lastError} mode={s.mode} venue={s.venue} />}
      activity={<ActivityCard eventsPerSec={hb?.eventsPerSec ?? s.bus.eventsPerSec} published={Math.max(s.bus.published, live.recent.at(-1)?.seq ?? 0)} sseClients={s.sse?.clients ?? 0} badFrames={live.badFrames} />}
      killSwitch={
        <>
          <ArmingCard arming={s.arming} mode={s.mode} venue={s.venue} />
          <KillSwitchCard ks={ks} />
        </>
      }
      recentEvents={<RecentEvents events={live.recent} />}
    />
  );
}
