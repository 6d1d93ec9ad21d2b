'use client';
/** Runtime state, uptime and the Start / Stop / Restart controls. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { RuntimeState } from '../../lib/schemas/events';
import { formatDuration } from '../../lib/format';
import { apiCall, ApiCallError } from '../live/api-client';
import { statusKey } from '../live/use-status';
import { Badge, type Tone } from '../ui/badge';
import { Button } from '../ui/button';
import { Card, Stat } from '../ui/card';
import { TokenPrompt } from '../ui/token-prompt';

const tone: Record<RuntimeState, Tone> = { running: 'ok', starting: 'info', stopping: 'warn', stopped: 'neutral', error: 'danger' };

export function RuntimeCard(props: { state: RuntimeState; uptimeMs: number; instanceId: string; lastError: string | null; mode: string; venue: string }) {
  const qc = useQueryClient();
  const [needToken, setNeedToken] = useState(false);
  const action = useMutation({
    mutationFn: (a: 'start' | 'stop' | 'restart') => apiCall(`/api/bot/${a}`, { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: statusKey }),
    onError: (e) => {
      if (e instanceof ApiCallError && e.status === 401) setNeedToken(true);
    },
  });
  const busy = action.isPending || props.state === 'starting' || props.state === 'stopping';
  return (
    <Card title="Runtime" testId="runtime-card">
      <div className="flex items-center gap-3">
        <Badge tone={tone[props.state]} testId="runtime-state">
          {props.state}
        </Badge>
        <span className="text-xs text-slate-500" title="runtime instance id" data-testid="instance-id">
          {props.instanceId.slice(0, 8)}
        </span>
      </div>
      <div className="mt-4 grid grid-cols-2 gap-4">
        <Stat label="Uptime" value={formatDuration(props.uptimeMs)} testId="runtime-uptime" />
        <Stat label="Mode / venue" value={<span className="text-base">{props.mode} · {props.venue}</span>} />
      </div>
      {props.lastError && <p className="mt-3 truncate text-xs text-red-300" title={props.lastError}>last error: {props.lastError}</p>}
      {action.error && <p className="mt-2 text-xs text-red-300">{String(action.error.message)}</p>}
      <div className="mt-4 flex gap-2">
        <Button variant="primary" data-testid="btn-start" busy={action.isPending && action.variables === 'start'} disabled={busy || props.state === 'running'} onClick={() => action.mutate('start')}>
          Start
        </Button>
        <Button data-testid="btn-stop" busy={action.isPending && action.variables === 'stop'} disabled={busy || props.state === 'stopped'} onClick={() => action.mutate('stop')}>
          Stop
        </Button>
        <Button data-testid="btn-restart" busy={action.isPending && action.variables === 'restart'} disabled={busy} onClick={() => action.mutate('restart')}>
          Restart
        </Button>
      </div>
      {needToken && <TokenPrompt onDone={() => setNeedToken(false)} />}
    </Card>
  );
}
