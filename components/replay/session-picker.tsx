'use client';
/**
 * Session picker of the replay page: the sessions GET /api/sessions lists (recordings newest first, then the bundled
 * real sample), a Start button, and the chosen session's span, size and attribution line (the sample's CC BY credit).
 * Starting is the parent's job (it owns the playback state); this leaf only reports which ref to start. With a series
 * filter, only sessions that recorded a market of its series are offered (a session that lists no markets stays).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatDuration } from '../../lib/format';
import { type SessionEntry, sessionEntrySchema } from '../../lib/schemas/replay-api';
import { apiCall } from '../live/api-client';
import { Button } from '../ui/button';
import type { SeriesFilterState } from '../ui/series-filter';

const sessionsResponseSchema = sessionEntrySchema.array();

export const sessionsKey = ['replay-sessions'] as const;

function utcStamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function SessionPicker({ onStart, starting, startError, filter }: { onStart: (ref: string) => void; starting: boolean; startError: string | null; filter?: Pick<SeriesFilterState, 'scoped' | 'matchSlug' | 'label'> }) {
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: async (): Promise<SessionEntry[]> => sessionsResponseSchema.parse((await apiCall<{ sessions: unknown }>('/api/sessions')).sessions),
  });
  const [picked, setPicked] = useState<string>('');
  const all = sessions.data ?? [];
  const list = filter?.scoped ? all.filter((s) => s.markets.length === 0 || s.markets.some((m) => filter.matchSlug(m))) : all;
  const ref = (list.some((s) => s.ref === picked) ? picked : '') || list[0]?.ref || '';
  const chosen = list.find((s) => s.ref === ref);

  if (sessions.isPending) return <p className="text-sm text-slate-500" data-testid="sessions-loading">Loading sessions…</p>;
  if (sessions.isError)
    return (
      <p className="text-sm text-red-400" data-testid="sessions-error">
        Could not list sessions: {sessions.error.message}
      </p>
    );
  if (list.length === 0)
    return (
      <p className="text-sm text-slate-500" data-testid="sessions-empty">
        {all.length > 0 && filter ? (
          <>No session recorded a market of {filter.label} ({all.length} other{all.length === 1 ? '' : 's'}).</>
        ) : (
          <>
            No sessions: record one with <code className="font-mono">npm run record</code>.
          </>
        )}
      </p>
    );

  return (
    <div className="flex flex-col gap-2" data-testid="session-picker">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="replay-session" className="text-xs text-slate-500">
          session
        </label>
        <select
          id="replay-session"
          data-testid="session-select"
          value={ref}
          onChange={(e) => setPicked(e.target.value)}
          className="min-w-0 max-w-full flex-1 rounded-md border border-slate-700 bg-slate-900 px-2 py-1.5 text-sm sm:max-w-xl"
        >
          {list.map((s) => (
            <option key={s.ref} value={s.ref}>
              {s.kind === 'sample' ? 'sample: ' : ''}
              {s.id} — {utcStamp(s.startMs)}
            </option>
          ))}
        </select>
        <Button variant="primary" busy={starting} disabled={!ref} onClick={() => onStart(ref)} data-testid="btn-replay-start">
          Start replay
        </Button>
      </div>
      {chosen && (
        <p className="text-xs text-slate-400" data-testid="session-info">
          {chosen.kind} · {chosen.format} · {formatDuration(chosen.endMs - chosen.startMs)} · {chosen.frames.toLocaleString('en-US')} frames
          {chosen.markets.length > 0 && ` · ${chosen.markets.length} market${chosen.markets.length === 1 ? '' : 's'}`}
        </p>
      )}
      {chosen?.attribution && (
        <p className="text-xs text-slate-500" data-testid="session-attribution">
          {chosen.attribution}
          {chosen.licence && ` (${chosen.licence})`}
        </p>
      )}
      {startError && (
        <p className="text-sm text-red-400" data-testid="start-error">
          {startError}
        </p>
      )}
    </div>
  );
}
