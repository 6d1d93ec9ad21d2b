'use client';
/** The latest alerts (runtime errors, risk denials and cooldowns, stale feeds, degraded mode, automatic kill-switch moves), repeats folded; the webhook's status below. */
import { memo } from 'react';
import { formatClock } from '../../lib/format';
import { collapseAlerts, type Alert, type FeedRow } from '../../lib/schemas/trading';
import { Card } from '../ui/card';
import { AlertsWebhook } from './alerts-webhook';
import { Empty } from './numbers';

const tone: Record<Alert['severity'], string> = { danger: 'bg-red-500', warn: 'bg-amber-400', ok: 'bg-emerald-400' };
const MAX_ROWS = 14;

/** A stale-feed alert whose feed is healthy again (the venue does not always announce a recovery, e.g. after a restart). */
function healed(a: Alert, feeds: FeedRow[]): boolean {
  if (a.kind !== 'feed.stale' || !a.feed) return false;
  const f = feeds.find((x) => x.feed === a.feed);
  return !!f && f.state === 'open' && !f.stale && (f.reportedMs ?? 0) > a.tsMs;
}

function AlertsCardImpl({ alerts, feeds }: { alerts: Alert[]; feeds: FeedRow[] }) {
  const rows = collapseAlerts(alerts, MAX_ROWS);
  return (
    <Card title="Alerts" testId="alerts-card">
      {rows.length === 0 ? (
        <Empty testId="alerts-empty">No alerts.</Empty>
      ) : (
        <ul className="max-h-64 space-y-1.5 overflow-y-auto pr-1">
          {rows.map((a) => (
            <li key={a.seq} className={`flex min-w-0 gap-2 text-sm ${healed(a, feeds) ? 'opacity-50' : ''}`} data-testid="alert-row" data-kind={a.kind}>
              <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${healed(a, feeds) ? 'bg-slate-500' : tone[a.severity]}`} />
              <div className="min-w-0 flex-1">
                <div className="flex items-baseline justify-between gap-2">
                  <span className="truncate font-medium text-slate-200">
                    {a.title}
                    {a.count > 1 && <span className="ml-1 rounded bg-slate-700 px-1 text-xs text-slate-300">×{a.count}</span>}
                    {healed(a, feeds) && <span className="ml-1 text-xs font-normal text-emerald-300">now ok</span>}
                  </span>
                  <span className="shrink-0 font-mono text-xs tabular-nums text-slate-500">{formatClock(a.tsMs)}</span>
                </div>
                <div className="truncate text-xs text-slate-400" title={a.detail}>
                  {a.detail}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <AlertsWebhook />
    </Card>
  );
}

export const AlertsCard = memo(AlertsCardImpl);
