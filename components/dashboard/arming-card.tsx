'use client';
/**
 * Live arming on the dashboard, next to the kill switch. Paper: nothing to arm. Live and disarmed: why an arm would be
 * refused now, and "Arm live trading", which opens a dialog where the operator types ARM LIVE and a reason (the button
 * stays disabled until the text matches; the server's refusal is shown inline). Armed: one-click Disarm (no dialog).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { formatClock } from '../../lib/format';
import { ARM_CONFIRMATION_TEXT, armingRequestSchema, type ArmingStatus } from '../../lib/schemas/api';
import { ApiCallError } from '../live/api-client';
import { useArmingAction } from '../live/use-arming';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { TokenPrompt } from '../ui/token-prompt';

/** The embedded simulator keeps its own ledger; anything else is the real venue. */
export function whereOrdersGo(venue: string): string {
  return venue === 'sim' ? 'Orders go to the simulator (venue sim: its own ledger, no real funds).' : `Orders go to ${venue} with real funds.`;
}

function Since({ arming }: { arming: ArmingStatus }) {
  if (arming.sinceMs === null) return null;
  return (
    <p className="mt-2 text-sm text-slate-300" data-testid="arming-last">
      {arming.armed ? 'Armed' : 'Disarmed'} at {formatClock(arming.sinceMs)} UTC by {arming.actor ?? '—'}
      {arming.reason ? <span className="text-slate-400"> — {arming.reason}</span> : null}
    </p>
  );
}

export function ArmingCard({ arming, mode, venue }: { arming: ArmingStatus; mode: string; venue: string }) {
  const [open, setOpen] = useState(false);
  const [needToken, setNeedToken] = useState(false);
  const disarm = useArmingAction({
    onError: (e) => {
      if (e instanceof ApiCallError && e.status === 401) setNeedToken(true);
    },
  });
  if (mode !== 'live') {
    return (
      <Card title="Live trading" testId="arming-card" actions={<Badge tone="neutral" testId="arming-state">NOT NEEDED</Badge>}>
        <p className="text-sm text-slate-300" data-testid="arming-paper">
          Paper trading: orders are simulated, there is nothing to arm.
        </p>
        <p className="mt-1 text-xs text-slate-500">
          Live trading needs <code className="whitespace-nowrap text-slate-400">TRADING_MODE=live</code>, a signing key, and an arm here (typed confirmation) or{' '}
          <code className="whitespace-nowrap text-slate-400">npm start -- --arm</code>.
        </p>
      </Card>
    );
  }
  const badge = arming.armed ? (
    <span data-testid="arming-state" className="rounded-full bg-red-600 px-2.5 py-0.5 text-xs font-bold tracking-wide text-white">
      ARMED
    </span>
  ) : (
    <Badge tone="warn" testId="arming-state">
      DISARMED
    </Badge>
  );
  return (
    <Card title="Live trading" testId="arming-card" actions={badge}>
      {arming.armed ? (
        <>
          <p className="text-sm font-semibold text-red-200">{whereOrdersGo(venue)}</p>
          <Since arming={arming} />
          {disarm.error && !needToken && (
            <p className="mt-2 text-xs text-red-300" data-testid="disarm-error">
              {disarm.error.message}
            </p>
          )}
          <div className="mt-3">
            <Button variant="danger" className="w-full py-2 text-base font-bold" data-testid="btn-disarm" busy={disarm.isPending} onClick={() => disarm.mutate({ action: 'disarm', reason: 'disarmed from the console' })}>
              Disarm
            </Button>
            <p className="mt-1 text-xs text-slate-500">One click: new orders are refused at once and our resting orders are cancelled.</p>
          </div>
        </>
      ) : (
        <>
          <p className="text-sm text-slate-300">Live mode: every new order is refused until an operator arms live trading.</p>
          {arming.armWhenReady && (
            <p className="mt-2 text-sm text-amber-200" data-testid="arming-pending">
              <code>--arm</code> at start: arms as soon as the preflight says GO.
            </p>
          )}
          {arming.notReady && (
            <p className="mt-2 rounded-md border border-amber-700/60 bg-amber-950/40 px-2 py-1 text-xs text-amber-200" data-testid="arming-not-ready">
              Not ready to arm: {arming.notReady}
            </p>
          )}
          <Since arming={arming} />
          <div className="mt-3">
            <Button variant="danger" data-testid="btn-arm" onClick={() => setOpen(true)}>
              Arm live trading
            </Button>
          </div>
        </>
      )}
      {open && !arming.armed && <ArmDialog arming={arming} venue={venue} onClose={() => setOpen(false)} onNeedToken={() => setNeedToken(true)} />}
      {needToken && <TokenPrompt onDone={() => setNeedToken(false)} />}
    </Card>
  );
}

function ArmDialog({ arming, venue, onClose, onNeedToken }: { arming: ArmingStatus; venue: string; onClose: () => void; onNeedToken: () => void }) {
  const [confirm, setConfirm] = useState('');
  const [reason, setReason] = useState('');
  const titleId = useId();
  const confirmRef = useRef<HTMLInputElement>(null);
  const arm = useArmingAction({
    onSuccess: () => onClose(),
    onError: (e) => {
      if (e instanceof ApiCallError && e.status === 401) onNeedToken();
    },
  });
  // The dashboard re-renders on every streamed event: keep the latest onClose in a ref so that focus and the Escape
  // handler are set up once, not on every render (which would pull the focus back to the first field).
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });
  useEffect(() => {
    confirmRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // A refusal answers the request that was sent: drop it once the operator edits a field or the readiness changes.
  const { reset } = arm;
  // The body is checked with the server's own schema first: a request the server would refuse as malformed is never
  // sent (its field errors show at once); refusals only the server can make (not ready, 409) come back from it.
  const [localErrs, setLocalErrs] = useState<{ path: string; message: string }[]>([]);
  useEffect(() => {
    reset();
    setLocalErrs([]);
  }, [confirm, reason, arming.notReady, reset]);
  const matches = confirm.trim() === ARM_CONFIRMATION_TEXT;
  const err = arm.error;
  const fieldErr = (path: string) => localErrs.find((f) => f.path === path)?.message ?? (err instanceof ApiCallError ? err.fields.find((f) => f.path === path)?.message : undefined);
  const confirmErr = fieldErr('confirm');
  const reasonErr = fieldErr('reason');
  const general = err && !confirmErr && !reasonErr ? err.message : undefined;
  return (
    <div className="fixed inset-0 z-[60] flex items-center justify-center bg-black/70 p-4" onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="arm-dialog"
        className="w-full max-w-lg rounded-xl border-2 border-red-700 bg-slate-950 p-5 shadow-2xl"
        onSubmit={(e) => {
          e.preventDefault();
          if (!matches) return;
          const body = armingRequestSchema.safeParse({ action: 'arm', confirm, reason });
          if (!body.success) setLocalErrs(body.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
          else arm.mutate(body.data);
        }}
      >
        <h2 id={titleId} className="text-lg font-bold text-red-200">
          Arm live trading
        </h2>
        <p className="mt-2 text-sm text-slate-300">
          Once armed, the running strategies send signed orders within the risk limits.{' '}
          <span className="font-semibold text-slate-100">{whereOrdersGo(venue)}</span> Disarming is one click and cancels our resting orders.
        </p>
        {arming.notReady && (
          <p className="mt-3 rounded-md border border-amber-700/60 bg-amber-950/40 px-3 py-2 text-sm text-amber-200" data-testid="arm-not-ready">
            Arming would be refused now: {arming.notReady}
          </p>
        )}
        <label className="mt-4 block text-sm text-slate-300">
          Type <code className="rounded bg-slate-800 px-1.5 py-0.5 font-bold text-red-200">{ARM_CONFIRMATION_TEXT}</code> to confirm
          <input
            ref={confirmRef}
            data-testid="arm-confirm"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={Boolean(confirmErr) || undefined}
            className={`mt-1 w-full rounded border bg-slate-900 px-2 py-1.5 font-mono text-sm text-slate-100 ${matches ? 'border-red-500' : 'border-slate-700'}`}
            placeholder={ARM_CONFIRMATION_TEXT}
          />
        </label>
        {confirmErr && (
          <p className="mt-1 text-xs text-red-300" data-testid="arm-error">
            {confirmErr}
          </p>
        )}
        <label className="mt-3 block text-sm text-slate-300">
          Reason (audited)
          <input
            data-testid="arm-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoComplete="off"
            aria-invalid={Boolean(reasonErr) || undefined}
            className="mt-1 w-full rounded border border-slate-700 bg-slate-900 px-2 py-1.5 text-sm text-slate-100"
            placeholder="why now"
          />
        </label>
        {reasonErr && (
          <p className="mt-1 text-xs text-red-300" data-testid="arm-error">
            {reasonErr}
          </p>
        )}
        {general && (
          <p className="mt-3 text-sm text-red-300" data-testid="arm-error">
            {general}
          </p>
        )}
        <div className="mt-5 flex justify-end gap-2">
          <Button type="button" data-testid="arm-cancel" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" data-testid="arm-submit" disabled={!matches} busy={arm.isPending}>
            Arm live trading
          </Button>
        </div>
      </form>
    </div>
  );
}
