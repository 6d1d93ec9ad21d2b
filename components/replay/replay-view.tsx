'use client';
/**
 * The replay page's client root. Owns the playback state: GET /api/replay polled every ~500 ms while computing or
 * playing (every 5 s otherwise), the POST /api/replay commands (start, play, pause, seek, speed, stop) and the
 * cursor. While the operator drags the slider the local cursor wins; the seek goes out debounced and the server's
 * (clamped) cursor replaces it when it answers. The frame at the cursor is fetched debounced too, the previous one
 * staying on screen meanwhile. Errors are shown where they happened. The series filter (URL) narrows the session list
 * (sessions that recorded a market of the series; sessions that list no markets stay), the chart and what the frame
 * shows (books, ledger, decisions by window slug; references by asset).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatClock } from '../../lib/format';
import type { ReplayControl } from '../../lib/schemas/replay-api';
import { apiCall } from '../live/api-client';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { SeriesFilter, useSeriesFilter, type SeriesFilterState } from '../ui/series-filter';
import { Empty } from '../dashboard/numbers';
import { BooksTable, DecisionList, FrameStats, LAST_N, LedgerList } from './frame-panels';
import { MidChart } from './mid-chart';
import { type ReplayFrame, replayFrameSchema, type ReplayStateResponse, replayStateResponseSchema } from './replay-frame';
import { ReplaySlider } from './replay-slider';
import { SessionPicker } from './session-picker';

const stateKey = ['replay-state'] as const;
const DEBOUNCE_MS = 150;

/** `value` once it has stayed unchanged for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setOut(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return out;
}

/** The frame narrowed to the filter's series (books, ledger and decisions by slug; references by asset). */
export function scopeFrame(frame: ReplayFrame, filter: Pick<SeriesFilterState, 'scoped' | 'matchSlug' | 'inScope' | 'scope'>): ReplayFrame {
  if (!filter.scoped) return frame;
  const m = filter.matchSlug;
  const assets = new Set(filter.inScope.map((o) => o.asset));
  if (filter.scope.asset) assets.add(filter.scope.asset);
  return {
    ...frame,
    books: frame.books.filter((b) => m(b.slug)),
    ledger: frame.ledger.filter((e) => m(e.windowSlug)),
    decisions: frame.decisions.filter((d) => m(d.record.windowSlug)),
    reference: Object.fromEntries(Object.entries(frame.reference).filter(([a]) => assets.has(a))),
  };
}

export function ReplayView() {
  const qc = useQueryClient();
  const filter = useSeriesFilter();
  const stateQ = useQuery({
    queryKey: stateKey,
    queryFn: async (): Promise<ReplayStateResponse> => replayStateResponseSchema.parse(await apiCall('/api/replay')),
    refetchInterval: (q) => {
      const d = q.state.data;
      return d && d.status !== 'idle' && (d.status === 'computing' || d.playing) ? 500 : 5_000;
    },
  });
  const control = useMutation({
    mutationFn: async (body: ReplayControl) => replayStateResponseSchema.parse((await apiCall<{ state: unknown }>('/api/replay', { method: 'POST', body })).state),
    onSuccess: (s) => qc.setQueryData(stateKey, s),
  });
  const [pendingCursor, setPendingCursor] = useState<number | null>(null);
  const debouncedSeek = useDebounced(pendingCursor, DEBOUNCE_MS);
  const { mutate, reset } = control;
  useEffect(() => {
    if (debouncedSeek === null) return;
    mutate({ action: 'seek', tsMs: debouncedSeek }, { onSettled: () => setPendingCursor((p) => (p === debouncedSeek ? null : p)) });
  }, [debouncedSeek, mutate]);

  const state = stateQ.data && stateQ.data.status !== 'idle' ? stateQ.data : null;
  const cursorMs = pendingCursor ?? state?.cursorMs ?? null;
  const frameT = useDebounced(cursorMs, DEBOUNCE_MS);
  const frameQ = useQuery({
    queryKey: ['replay-frame', state?.sessionId, state?.startMs, frameT],
    queryFn: async (): Promise<ReplayFrame> => replayFrameSchema.parse(await apiCall(`/api/replay/frame?t=${frameT}&limit=${LAST_N}`)),
    enabled: state !== null && frameT !== null && state.status !== 'stopped',
    placeholderData: keepPreviousData,
  });

  const start = (ref: string) => {
    setPendingCursor(null);
    reset();
    control.mutate({ action: 'start', session: ref });
  };
  const startError = control.isError && control.variables?.action === 'start' ? control.error.message : null;
  const controlError = control.isError && control.variables?.action !== 'start' ? control.error.message : null;

  return (
    <div className="flex flex-col gap-4" data-testid="replay-page">
      <Card title="Replay" testId="replay-controls" actions={state && state.status !== 'stopped' ? <StopButton onStop={() => control.mutate({ action: 'stop' })} busy={control.isPending && control.variables?.action === 'stop'} /> : undefined}>
        <div className="flex flex-col gap-4">
          <SeriesFilter filter={filter} />
          <SessionPicker onStart={start} starting={control.isPending && control.variables?.action === 'start'} startError={startError} filter={filter} />
          {stateQ.isPending ? (
            <p className="text-sm text-slate-500">Loading replay state…</p>
          ) : stateQ.isError ? (
            <p className="text-sm text-red-400" data-testid="state-error">
              Could not read the replay state: {stateQ.error.message}
            </p>
          ) : !state ? (
            <Empty testId="replay-idle">No replay: choose a session and start it.</Empty>
          ) : (
            <div className="flex flex-col gap-2 border-t border-slate-800 pt-3">
              <p className="text-xs text-slate-500">
                session <span className="font-mono text-slate-300" data-testid="replay-session-id">{state.sessionId}</span> · {state.frames.toLocaleString('en-US')} frames replayed
                {state.result && typeof state.result.trades === 'number' && ` · ${state.result.trades} trades`}
              </p>
              <ReplaySlider
                startMs={state.startMs}
                endMs={state.endMs}
                computedToMs={state.computedToMs}
                cursorMs={cursorMs ?? state.cursorMs}
                status={state.status}
                playing={state.playing}
                speed={state.speed}
                busy={control.isPending && (control.variables?.action === 'play' || control.variables?.action === 'pause')}
                onSeek={setPendingCursor}
                onPlay={() => control.mutate({ action: 'play' })}
                onPause={() => control.mutate({ action: 'pause' })}
                onSpeed={(speed) => control.mutate({ action: 'speed', speed })}
              />
              {state.error && (
                <p className="text-sm text-red-400" data-testid="replay-error">
                  {state.error}
                </p>
              )}
              {controlError && (
                <p className="text-sm text-red-400" data-testid="control-error">
                  {controlError}
                </p>
              )}
            </div>
          )}
        </div>
      </Card>
      {state && state.status !== 'stopped' && (
        <>
          <Card title={`Up token mid (whole session)${filter.scoped ? ` · ${filter.label}` : ''}`} testId="chart-card">
            <MidChart sessionId={state.sessionId} startMs={state.startMs} endMs={state.endMs} ready={state.status === 'ready'} cursorMs={cursorMs ?? state.cursorMs} {...(filter.scoped ? { keep: filter.matchSlug } : {})} />
          </Card>
          <FrameSection frameQ={frameQ} filter={filter} />
        </>
      )}
    </div>
  );
}

function StopButton({ onStop, busy }: { onStop: () => void; busy: boolean }) {
  return (
    <Button variant="secondary" onClick={onStop} busy={busy} data-testid="btn-replay-stop">
      Stop
    </Button>
  );
}

function FrameSection({ frameQ, filter }: { frameQ: { data: ReplayFrame | undefined; isError: boolean; error: Error | null; isFetching: boolean }; filter: SeriesFilterState }) {
  const frame = frameQ.data ? scopeFrame(frameQ.data, filter) : undefined;
  return (
    <>
      <Card
        title="At the cursor"
        testId="frame-card"
        actions={
          frame && (
            <span className="text-xs text-slate-500 tabular-nums" data-testid="frame-time" data-ts={frame.tsMs} data-fetching={frameQ.isFetching ? '1' : '0'}>
              {formatClock(frame.tsMs)} UTC{frameQ.isFetching ? ' …' : ''}
            </span>
          )
        }
      >
        {frameQ.isError && (
          <p className="mb-2 text-sm text-red-400" data-testid="frame-error">
            Could not read the frame: {frameQ.error?.message}
          </p>
        )}
        {!frame ? (
          <p className="text-sm text-slate-500" data-testid="frame-loading">
            Loading the frame…
          </p>
        ) : (
          <div className="flex flex-col gap-4">
            <FrameStats frame={frame} />
            <BooksTable frame={frame} />
          </div>
        )}
      </Card>
      {frame && (
        <div className="grid gap-4 lg:grid-cols-2">
          <LedgerList frame={frame} />
          <DecisionList frame={frame} />
        </div>
      )}
    </>
  );
}
