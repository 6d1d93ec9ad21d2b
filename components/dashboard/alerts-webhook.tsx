'use client';
/**
 * The alerts webhook's line under the Alerts card: configured or not (with what to set), the webhook's host (never
 * its URL), delivered / failed / suppressed counts, and a "Send test" button (POST /api/alerts/test, audited) that
 * shows what the webhook answered. Polls GET /api/alerts every 15 s.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { alertsStatusSchema, alertTestResponseSchema, type AlertTestResponse } from '../../lib/schemas/alerts';
import { apiCall, ApiCallError } from '../live/api-client';
import { Button } from '../ui/button';

const key = ['alerts-status'] as const;

function outcome(r: AlertTestResponse): string {
  if (r.delivered) return `delivered (HTTP ${r.status ?? '?'})`;
  return `not delivered: ${r.status !== undefined ? `HTTP ${r.status}` : (r.error ?? 'no answer')}`;
}

export function AlertsWebhook() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: key, queryFn: async () => alertsStatusSchema.parse(await apiCall('/api/alerts')), refetchInterval: 15_000 });
  const test = useMutation({
    mutationFn: async () => alertTestResponseSchema.parse(await apiCall('/api/alerts/test', { method: 'POST', body: { note: 'test from the console' } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const s = q.data;
  return (
    <div className="mt-3 border-t border-slate-800 pt-2 text-xs text-slate-400" data-testid="alerts-webhook">
      {q.isError && <span className="text-red-400">Could not read the webhook status.</span>}
      {!s && !q.isError && <span>Webhook: …</span>}
      {s && !s.configured && (
        <span data-testid="webhook-state" data-configured="false">
          Webhook: not configured — set <code className="text-slate-300">ALERT_WEBHOOK_URL</code> (Slack, Discord or any JSON bridge)
        </span>
      )}
      {s?.configured && (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <span data-testid="webhook-state" data-configured="true">
            Webhook: <span className="font-mono text-slate-200">{s.host}</span>
            {!s.enabled && <span className="ml-1 text-amber-300">(alerts.enabled is off)</span>}
          </span>
          <span className="tabular-nums" data-testid="webhook-counts">
            sent {s.sender?.delivered ?? 0} · failed {s.sender?.failed ?? 0} · suppressed {s.suppressedTotal}
          </span>
          <Button className="ml-auto px-2 py-0.5 text-xs" busy={test.isPending} onClick={() => test.mutate()} data-testid="webhook-test">
            Send test
          </Button>
          {test.data && <span data-testid="webhook-test-result" className={test.data.delivered ? 'text-emerald-300' : 'text-red-400'}>{outcome(test.data)}</span>}
          {test.error && <span data-testid="webhook-test-result" className="text-red-400">{test.error instanceof ApiCallError ? test.error.message : 'test failed'}</span>}
        </div>
      )}
    </div>
  );
}
