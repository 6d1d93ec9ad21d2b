'use client';
/**
 * Preflight and health, compactly: the GO / NO-GO badge of the latest go/no-go check, the runtime's health status
 * with its reasons, and every failed or warning stage with its fix (GET /api/preflight, parsed with its schema;
 * refetched every 15 s and soon after a `preflight.report` or `health.condition` event).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useEffect } from 'react';
import { formatClock } from '../../lib/format';
import { preflightResponseSchema, type HealthView, type PreflightResponse, type PreflightStage } from '../../lib/schemas/preflight';
import { apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';
import { Badge, type Tone } from '../ui/badge';
import { Card } from '../ui/card';

export const preflightKey = ['preflight'] as const;

const healthTone: Record<HealthView['status'], Tone> = { ok: 'ok', degraded: 'warn', down: 'danger', idle: 'neutral' };
const stageDot: Record<PreflightStage['status'], string> = { fail: 'bg-red-500', warn: 'bg-amber-400', ok: 'bg-emerald-400', skip: 'bg-slate-500' };

function PreflightBody({ data }: { data: PreflightResponse }) {
  const r = data.report;
  const issues = r ? r.stages.filter((s) => s.status === 'fail' || s.status === 'warn') : [];
  return (
    <div className="space-y-2 text-sm">
      <div className="flex items-center gap-2">
        <span className="text-xs text-slate-500">health</span>
        <Badge tone={healthTone[data.health.status]} testId="health-badge">
          {data.health.status}
        </Badge>
        {data.running && <span className="text-xs text-slate-500">checking…</span>}
      </div>
      {data.health.reasons.length > 0 && (
        <ul className="space-y-0.5 text-xs text-slate-400" data-testid="health-reasons">
          {data.health.reasons.slice(0, 4).map((reason) => (
            <li key={reason} className="truncate" title={reason}>
              {reason}
            </li>
          ))}
        </ul>
      )}
      {r ? (
        <>
          <div className="text-xs text-slate-500" data-testid="preflight-summary">
            {r.summary} · {r.trigger} check at {formatClock(r.finishedMs)} UTC · {r.mode} on {r.venue}
          </div>
          {issues.length > 0 && (
            <ul className="max-h-56 space-y-1.5 overflow-y-auto pr-1">
              {issues.map((s) => (
                <li key={s.id} className="flex min-w-0 gap-2" data-testid="preflight-stage" data-status={s.status}>
                  <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${stageDot[s.status]}`} />
                  <div className="min-w-0 flex-1">
                    <div className="truncate font-medium text-slate-200" title={s.detail}>
                      {s.title}: <span className="font-normal text-slate-300">{s.detail}</span>
                    </div>
                    {s.fix && (
                      <div className="text-xs text-slate-400" data-testid="preflight-fix">
                        fix: {s.fix}
                      </div>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <div className="text-xs text-slate-500">No check yet{data.running ? ' (running)' : ' — it runs when the bot starts'}.</div>
      )}
    </div>
  );
}

function PreflightCardImpl() {
  const qc = useQueryClient();
  const { subscribe } = useBotEvents();
  const q = useQuery({ queryKey: preflightKey, queryFn: async () => preflightResponseSchema.parse(await apiCall('/api/preflight')), refetchInterval: 15_000 });
  useEffect(
    () =>
      subscribe((e) => {
        if (e.type === 'preflight.report' || e.type === 'health.condition' || e.type === 'runtime.state') void qc.invalidateQueries({ queryKey: preflightKey });
      }),
    [subscribe, qc],
  );
  const r = q.data?.report;
  const badge = !q.data ? null : r ? (
    <Badge tone={r.go ? 'ok' : 'danger'} testId="preflight-badge">
      {r.go ? 'GO' : 'NO-GO'}
    </Badge>
  ) : (
    <Badge tone="neutral" testId="preflight-badge">
      {q.data.running ? 'checking' : 'not run'}
    </Badge>
  );
  return (
    <Card title="Preflight" testId="preflight-card" actions={badge}>
      {q.data ? <PreflightBody data={q.data} /> : <div className="text-sm text-slate-500">{q.isError ? `Cannot load /api/preflight: ${String(q.error)}` : 'Loading…'}</div>}
    </Card>
  );
}

export const PreflightCard = memo(PreflightCardImpl);
