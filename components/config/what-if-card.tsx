'use client';
/**
 * What-if: replay the last N recorded windows with the edited config and with the current one (POST
 * /api/config/what-if), then follow the two backtest jobs (GET /api/backtests/<id> every 500 ms while running, and
 * at once when the bus says `job.finished` for one of them) and show them side by side.
 *
 * Invariants: the request carries the same patch an apply would; polling stops when a job is not running; errors
 * show in place (no recording yet, a refused edit, a backtest already running).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatClock } from '../../lib/format';
import { backtestJobSchema, whatIfResponseSchema, WHAT_IF_MAX_WINDOWS, type WhatIfResponse } from '../../lib/schemas/config-what-if';
import { ApiCallError, apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { BacktestCompare } from './backtest-compare';

function useBacktestJob(id: string | undefined) {
  return useQuery({
    queryKey: ['backtest-job', id],
    queryFn: async () => backtestJobSchema.parse(await apiCall(`/api/backtests/${encodeURIComponent(id!)}`)),
    enabled: id !== undefined,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 500 : false),
  });
}

export function WhatIfCard({ patch, changes, blocked, onFieldErrors }: { patch: Record<string, unknown>; changes: number; blocked: boolean; onFieldErrors: (f: { path: string; message: string }[]) => void }) {
  const qc = useQueryClient();
  const { subscribe } = useBotEvents();
  const [windows, setWindows] = useState('3');
  const [run, setRun] = useState<WhatIfResponse | null>(null);
  const n = Number(windows);
  const windowsOk = Number.isInteger(n) && n >= 1 && n <= WHAT_IF_MAX_WINDOWS;
  const start = useMutation({
    mutationFn: async () => whatIfResponseSchema.parse(await apiCall('/api/config/what-if', { method: 'POST', body: { patch, windows: n } })),
    onSuccess: (r) => setRun(r),
    onError: (err) => {
      if (err instanceof ApiCallError && err.fields.length) onFieldErrors(err.fields);
    },
  });
  const cur = useBacktestJob(run?.current.id);
  const edi = useBacktestJob(run?.edited.id);

  useEffect(() => {
    if (!run) return;
    const ids = new Set([run.current.id, run.edited.id]);
    return subscribe((e) => {
      if (e.type === 'job.finished' && ids.has(e.jobId)) void qc.invalidateQueries({ queryKey: ['backtest-job', e.jobId] });
    });
  }, [run, subscribe, qc]);

  return (
    <Card title="What-if: replay recorded windows" testId="what-if-card">
      <div className="flex flex-col gap-3">
        <p className="text-xs text-slate-400">
          Replays the last N recorded windows twice — with the current config and with your edits ({changes} change{changes === 1 ? '' : 's'}) — before you
          apply anything.
        </p>
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col text-xs text-slate-400">
            Windows (1–{WHAT_IF_MAX_WINDOWS})
            <input
              data-testid="what-if-windows"
              className={`mt-1 w-24 rounded-md border bg-slate-950 px-2 py-1 text-right font-mono text-sm tabular-nums ${windowsOk ? 'border-slate-700' : 'border-red-500'}`}
              inputMode="numeric"
              value={windows}
              onChange={(e) => setWindows(e.target.value)}
            />
          </label>
          <Button variant="primary" data-testid="what-if-run" busy={start.isPending} disabled={!windowsOk || blocked} onClick={() => start.mutate()}>
            Run what-if
          </Button>
          {blocked && <span className="text-xs text-amber-300">fix the field errors first</span>}
        </div>
        {start.isError && (
          <p className="text-sm text-red-400" data-testid="what-if-error">
            {start.error instanceof ApiCallError && start.error.fields.length
              ? `${start.error.message}: ${start.error.fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`
              : start.error.message}
          </p>
        )}
        {run && (
          <>
            <p className="text-xs text-slate-400" data-testid="what-if-windows-found">
              {run.windows.list.length} of {run.windows.requested} window{run.windows.requested === 1 ? '' : 's'} ({run.windows.windowSec / 60} min) from{' '}
              {run.sessions.length} recording{run.sessions.length === 1 ? '' : 's'}
              {run.windows.list.length > 0 && (
                <>
                  , <span className="font-mono tabular-nums">{formatClock(run.windows.list[0]!.startMs)}</span> –{' '}
                  <span className="font-mono tabular-nums">{formatClock(run.windows.list.at(-1)!.endMs)}</span>
                </>
              )}
              {run.changes.length === 0 && ' · no edits: both runs use the current config'}
            </p>
            {(cur.isError || edi.isError) && <p className="text-sm text-red-400">Could not read a backtest: {(cur.error ?? edi.error)?.message}</p>}
            <BacktestCompare current={cur.data ?? backtestJobSchema.parse(run.current)} edited={edi.data ?? backtestJobSchema.parse(run.edited)} />
          </>
        )}
      </div>
    </Card>
  );
}
