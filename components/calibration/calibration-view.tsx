'use client';
/**
 * The calibration page's client root. Owns the sweep job being shown: the one this page started, else the newest
 * of GET /api/sweeps (so a reload finds a running sweep again). POST /api/sweeps starts a job, DELETE
 * /api/sweeps/<id> cancels it, GET /api/sweeps/<id> is polled every 500 ms while it runs (progress bar done/total)
 * and once more when it ends; when done the result is shown as a sortable table, robust ranges and a heatmap.
 *
 * The series filter (URL) narrows the sessions offered to those that recorded a market of its series.
 *
 * Invariants: polling stops once the job is not running; a result that fails the schema is an error in place, never
 * a half-drawn table; errors are shown where they happened (start, cancel, reading the job).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDuration } from '../../lib/format';
import type { SweepRequest } from '../../lib/schemas/replay-api';
import { ApiCallError, apiCall } from '../live/api-client';
import { Empty } from '../dashboard/numbers';
import { Card } from '../ui/card';
import { SeriesFilter, useSeriesFilter } from '../ui/series-filter';
import { ResultsTable } from './results-table';
import { RobustRanges } from './robust-ranges';
import { SweepForm } from './sweep-form';
import { SweepHeatmap } from './sweep-heatmap';
import { paramKeys, type SweepJob, sweepJobSchema } from './sweep-result';

const jobsResponseSchema = sweepJobSchema.pick({ id: true }).array();

function errorText(err: unknown): string {
  if (err instanceof ApiCallError && err.fields.length) return `${err.message}: ${err.fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`;
  return err instanceof Error ? err.message : String(err);
}

export function CalibrationView() {
  const qc = useQueryClient();
  const filter = useSeriesFilter();
  const [startedId, setStartedId] = useState<string | null>(null);
  const listQ = useQuery({
    queryKey: ['sweep-jobs'],
    queryFn: async () => jobsResponseSchema.parse((await apiCall<{ jobs: unknown }>('/api/sweeps')).jobs),
  });
  const jobId = startedId ?? listQ.data?.[0]?.id ?? null;
  const jobQ = useQuery({
    queryKey: ['sweep-job', jobId],
    queryFn: async (): Promise<SweepJob> => sweepJobSchema.parse(await apiCall(`/api/sweeps/${encodeURIComponent(jobId!)}`)),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 500 : false),
  });
  const startM = useMutation({
    mutationFn: async (req: SweepRequest) => sweepJobSchema.parse(await apiCall('/api/sweeps', { method: 'POST', body: req })),
    onSuccess: (job) => {
      qc.setQueryData(['sweep-job', job.id], job);
      setStartedId(job.id);
    },
  });
  const cancelM = useMutation({
    mutationFn: async (id: string) => sweepJobSchema.parse(await apiCall(`/api/sweeps/${encodeURIComponent(id)}`, { method: 'DELETE' })),
    onSettled: (_d, _e, id) => void qc.invalidateQueries({ queryKey: ['sweep-job', id] }),
  });
  const job = jobQ.data;
  const running = job?.status === 'running';

  return (
    <div className="flex flex-col gap-4" data-testid="calibration-page">
      <Card title="Calibration sweep" testId="sweep-controls">
        <div className="flex flex-col gap-4">
          <SeriesFilter filter={filter} />
          <SweepForm
            filter={filter}
            onStart={(req) => {
              cancelM.reset();
              startM.mutate(req);
            }}
            onCancel={() => job && cancelM.mutate(job.id)}
            starting={startM.isPending}
            running={running}
            canceling={cancelM.isPending}
            error={startM.isError ? `Could not start: ${errorText(startM.error)}` : cancelM.isError ? `Could not cancel: ${errorText(cancelM.error)}` : null}
          />
          <div className="border-t border-slate-800 pt-3">
            {listQ.isPending && !startedId ? (
              <p className="text-sm text-slate-500" data-testid="jobs-loading">Loading sweeps…</p>
            ) : listQ.isError && !startedId ? (
              <p className="text-sm text-red-400" data-testid="jobs-error">Could not list sweeps: {listQ.error.message}</p>
            ) : jobId === null ? (
              <Empty testId="sweep-idle">No sweep yet: choose a session and a grid, then start.</Empty>
            ) : jobQ.isError ? (
              <p className="text-sm text-red-400" data-testid="job-error">Could not read sweep {jobId}: {jobQ.error.message}</p>
            ) : !job ? (
              <p className="text-sm text-slate-500" data-testid="job-loading">Loading the sweep…</p>
            ) : (
              <JobStatusLine job={job} />
            )}
          </div>
        </div>
      </Card>
      {job?.status === 'done' && job.result && <ResultSection job={job} result={job.result} />}
      {job?.status === 'done' && !job.result && <Empty testId="result-missing">The sweep finished without a result.</Empty>}
    </div>
  );
}

function JobStatusLine({ job }: { job: SweepJob }) {
  const { done, total } = job.progress;
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  const tone = job.status === 'failed' ? 'bg-red-500' : job.status === 'canceled' ? 'bg-amber-500' : job.status === 'done' ? 'bg-emerald-500' : 'bg-sky-500';
  return (
    <div className="flex flex-col gap-2" data-testid="sweep-job" data-job-id={job.id} data-status={job.status}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs text-slate-500">
        <span>
          sweep <span className="break-all font-mono text-slate-300" data-testid="sweep-id">{job.id}</span>
        </span>
        <span>
          status <span className="font-mono text-slate-200" data-testid="sweep-status">{job.status}</span>
        </span>
        <span className="font-mono tabular-nums text-slate-300" data-testid="sweep-progress-text">
          {done}/{total} points
        </span>
        {job.finishedAt !== null && <span className="tabular-nums">in {formatDuration(job.finishedAt - job.startedAt)}</span>}
      </div>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-800" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} data-testid="sweep-progress">
        <div className={`h-full ${tone} transition-[width] duration-300`} style={{ width: `${pct}%` }} />
      </div>
      {job.error && (
        <p className="text-sm text-red-400" data-testid="sweep-error">
          {job.error}
        </p>
      )}
    </div>
  );
}

function ResultSection({ job, result }: { job: SweepJob; result: NonNullable<SweepJob['result']> }) {
  const params = paramKeys(result.runs);
  const metric = result.robustRanges.metric;
  const failed = result.runs.filter((r) => r.error).length;
  return (
    <>
      <Card title={`Runs (${result.runs.length})`} testId="results-card" actions={failed > 0 ? <span className="text-xs text-red-400">{failed} failed</span> : undefined}>
        {result.runs.length === 0 ? <Empty testId="results-empty">The sweep ran no point.</Empty> : <ResultsTable runs={result.runs} params={params} best={new Set(result.robustRanges.top)} />}
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Robust ranges" testId="ranges-card">
          <RobustRanges ranges={result.robustRanges} />
        </Card>
        <Card title={`Heatmap · ${metric}`} testId="heatmap-card">
          <SweepHeatmap key={job.id} runs={result.runs} params={params} metric={metric} />
        </Card>
      </div>
    </>
  );
}
