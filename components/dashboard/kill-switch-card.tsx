'use client';
/** Kill switch: current trading state and controls; halting asks for confirmation and a reason. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { killSwitchRequestSchema, type KillSwitchStatus } from '../../lib/schemas/api';
import type { TradingState } from '../../lib/schemas/events';
import { formatTime } from '../../lib/format';
import { apiCall, ApiCallError } from '../live/api-client';
import { statusKey } from '../live/use-status';
import { Badge, type Tone } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { TokenPrompt } from '../ui/token-prompt';

const tone: Record<TradingState, Tone> = { active: 'ok', reducing: 'warn', halted: 'danger' };
const label: Record<TradingState, string> = { active: 'Resume trading', reducing: 'Reduce only', halted: 'Halt trading' };

export function KillSwitchCard({ ks }: { ks: KillSwitchStatus }) {
  const qc = useQueryClient();
  const [target, setTarget] = useState<TradingState | null>(null);
  const [reason, setReason] = useState('');
  const [needToken, setNeedToken] = useState(false);
  // Checked here with the server's own schema first: a request the server would refuse is never sent.
  const [localError, setLocalError] = useState<string | null>(null);
  const set = useMutation({
    mutationFn: (body: { state: TradingState; reason: string }) => apiCall('/api/kill-switch', { method: 'POST', body }),
    onSuccess: () => {
      setTarget(null);
      setReason('');
    },
    onError: (e) => {
      if (e instanceof ApiCallError && e.status === 401) setNeedToken(true);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: statusKey }),
  });
  const serverError = set.error instanceof ApiCallError ? set.error.fields.find((f) => f.path === 'reason')?.message ?? set.error.message : set.error?.message;
  const fieldError = localError ?? serverError;
  const confirm = (state: TradingState) => {
    const body = killSwitchRequestSchema.safeParse({ state, reason });
    if (!body.success) {
      setLocalError(body.error.issues[0]?.message ?? 'invalid request');
      return;
    }
    setLocalError(null);
    set.mutate(body.data);
  };
  return (
    <Card title="Kill switch" testId="killswitch-card">
      <div className="flex items-center gap-3">
        <Badge tone={tone[ks.state]} testId="killswitch-state">
          {ks.state.toUpperCase()}
        </Badge>
        <span className="text-xs text-slate-500">since {formatTime(ks.sinceMs)} UTC</span>
      </div>
      <p className="mt-2 text-sm text-slate-300" data-testid="killswitch-reason">
        {ks.reason} <span className="text-slate-500">— {ks.actor}{ks.automatic ? ' (automatic)' : ''}</span>
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        {(['halted', 'reducing', 'active'] as const)
          .filter((s) => s !== ks.state)
          .map((s) => (
            <Button key={s} variant={s === 'halted' ? 'danger' : s === 'reducing' ? 'warn' : 'primary'} data-testid={`ks-${s}`} onClick={() => setTarget(s)}>
              {label[s]}
            </Button>
          ))}
      </div>
      {target && (
        <div role="dialog" aria-label="confirm kill switch" className="mt-4 rounded-lg border border-slate-700 bg-slate-950 p-3" data-testid="ks-dialog">
          <p className="text-sm">
            {target === 'halted' ? 'Halt all trading and cancel every open order?' : target === 'reducing' ? 'Allow only orders that reduce exposure?' : 'Re-activate trading?'}
          </p>
          <label className="mt-2 block text-xs text-slate-400">
            Reason (audited)
            <input data-testid="ks-reason" value={reason} onChange={(e) => {
                setReason(e.target.value);
                setLocalError(null);
              }} className="mt-1 w-full rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm text-slate-100" placeholder="why" />
          </label>
          {fieldError && <p className="mt-1 text-xs text-red-300" data-testid="ks-error">{fieldError}</p>}
          <div className="mt-3 flex gap-2">
            <Button variant={target === 'halted' ? 'danger' : 'primary'} data-testid="ks-confirm" busy={set.isPending} onClick={() => confirm(target)}>
              Confirm
            </Button>
            <Button
              onClick={() => {
                setTarget(null);
                setLocalError(null);
              }}
            >
              Cancel
            </Button>
          </div>
        </div>
      )}
      {needToken && <TokenPrompt onDone={() => setNeedToken(false)} />}
    </Card>
  );
}
