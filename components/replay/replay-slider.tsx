'use client';
/**
 * ReplaySlider: the replay's transport. A range input over [startMs, endMs] in whole seconds (values past
 * computedToMs are clamped back to it, and the track shows the computed part), play/pause, the speed select, the
 * cursor as UTC HH:MM:SS and the computing progress. Stateless: the parent owns the cursor and sends the commands.
 */
import { formatClock } from '../../lib/format';
import { Button } from '../ui/button';

export const replaySpeeds = [1, 5, 10, 30, 60] as const;

export interface ReplaySliderProps {
  startMs: number;
  endMs: number;
  computedToMs: number;
  cursorMs: number;
  status: 'computing' | 'ready' | 'failed' | 'stopped';
  playing: boolean;
  speed: number;
  busy: boolean;
  onSeek: (tsMs: number) => void;
  onPlay: () => void;
  onPause: () => void;
  onSpeed: (speed: number) => void;
}

export function ReplaySlider(p: ReplaySliderProps) {
  const span = Math.max(1, p.endMs - p.startMs);
  const computedPct = Math.max(0, Math.min(100, ((p.computedToMs - p.startMs) / span) * 100));
  const usable = p.status === 'computing' || p.status === 'ready';
  const limitMs = p.status === 'ready' ? p.endMs : Math.min(p.endMs, p.computedToMs);
  const seek = (v: number) => p.onSeek(Math.max(p.startMs, Math.min(limitMs, v)));
  return (
    <div className="flex flex-col gap-2" data-testid="replay-slider">
      <div className="relative h-6">
        <div className="pointer-events-none absolute inset-x-0 top-1/2 h-1.5 -translate-y-1/2 rounded-full bg-slate-800">
          <div className="h-full rounded-full bg-sky-900" style={{ width: `${computedPct}%` }} data-testid="computed-bar" />
        </div>
        <input
          type="range"
          aria-label="replay cursor"
          data-testid="replay-range"
          min={p.startMs}
          max={p.endMs}
          step={1000}
          value={Math.max(p.startMs, Math.min(p.endMs, p.cursorMs))}
          disabled={!usable}
          onChange={(e) => seek(Number(e.target.value))}
          className="absolute inset-0 h-6 w-full cursor-pointer appearance-none bg-transparent accent-sky-500 disabled:cursor-not-allowed"
        />
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        {p.playing ? (
          <Button onClick={p.onPause} busy={p.busy} data-testid="btn-pause" disabled={!usable}>
            Pause
          </Button>
        ) : (
          <Button onClick={p.onPlay} busy={p.busy} data-testid="btn-play" disabled={!usable}>
            Play
          </Button>
        )}
        <label className="flex items-center gap-1 text-xs text-slate-500">
          speed
          <select
            data-testid="speed-select"
            value={String(p.speed)}
            disabled={!usable}
            onChange={(e) => p.onSpeed(Number(e.target.value))}
            className="rounded-md border border-slate-700 bg-slate-900 px-1.5 py-1 text-sm text-slate-100"
          >
            {!replaySpeeds.some((s) => s === p.speed) && <option value={String(p.speed)}>{p.speed}x</option>}
            {replaySpeeds.map((s) => (
              <option key={s} value={String(s)}>
                {s}x
              </option>
            ))}
          </select>
        </label>
        <span className="font-mono tabular-nums" title="replay cursor (UTC)">
          <span className="mr-1 font-sans text-xs text-slate-500">cursor</span>
          <span data-testid="cursor-time">{formatClock(p.cursorMs)}</span>
          <span className="ml-1 font-sans text-xs text-slate-500">UTC</span>
        </span>
        <span className="text-xs text-slate-500 tabular-nums">
          {formatClock(p.startMs)} – {formatClock(p.endMs)}
        </span>
        <span className="ml-auto text-xs tabular-nums" data-testid="replay-status">
          {p.status === 'computing' ? (
            <span className="text-amber-300">computing… {computedPct.toFixed(0)}%</span>
          ) : p.status === 'ready' ? (
            <span className="text-emerald-400">ready</span>
          ) : (
            <span className="text-red-400">{p.status}</span>
          )}
        </span>
      </div>
    </div>
  );
}
