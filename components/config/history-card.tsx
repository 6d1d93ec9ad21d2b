'use client';
/**
 * Config history (GET /api/config/history): version, when (UTC), who and from where, reason, status and the diff
 * of each version, newest first, with one-click revert to any earlier version (POST /api/config/revert with the
 * version the page shows as expectVersion, so a revert over a newer change is refused, not applied blind).
 */
import type { ConfigVersionSummary } from '../../lib/schemas/config-api';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { Empty } from '../dashboard/numbers';
import { showValue } from './config-model';

const statusTone = { applied: 'ok', pending: 'warn', superseded: 'neutral' } as const;

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function HistoryCard({ versions, current, loading, error, reverting, revertError, onRevert }: {
  versions: ConfigVersionSummary[] | undefined;
  current: number | undefined;
  loading: boolean;
  error: string | null;
  reverting: number | null;
  revertError: string | null;
  onRevert: (version: number) => void;
}) {
  return (
    <Card title="History" testId="history-card">
      {revertError && <p className="mb-2 text-sm text-red-400" data-testid="revert-error">{revertError}</p>}
      {loading ? (
        <p className="text-sm text-slate-500">Loading history…</p>
      ) : error ? (
        <p className="text-sm text-red-400">Could not read the history: {error}</p>
      ) : !versions || versions.length === 0 ? (
        <Empty>No version journaled yet.</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[720px] text-sm" data-testid="history-table">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1 pr-2 text-right font-medium">Version</th>
                <th className="px-2 text-left font-medium">When (UTC)</th>
                <th className="px-2 text-left font-medium">Who</th>
                <th className="px-2 text-left font-medium">Reason</th>
                <th className="px-2 text-left font-medium">Diff (old → new)</th>
                <th className="pl-2 text-right font-medium" />
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} className="border-t border-slate-800 align-top" data-testid="history-row" data-version={v.version}>
                  <td className="py-1.5 pr-2 text-right font-mono tabular-nums">
                    {v.version}
                    <div className="mt-0.5">
                      <Badge tone={statusTone[v.status]}>{v.status}</Badge>
                    </div>
                  </td>
                  <td className="whitespace-nowrap px-2 py-1.5 font-mono text-xs tabular-nums text-slate-300">{when(v.tsMs)}</td>
                  <td className="px-2 py-1.5 text-xs text-slate-300">
                    {v.actor}
                    <div className="text-slate-500">{v.source}</div>
                  </td>
                  <td className="max-w-[16rem] break-words px-2 py-1.5 text-xs text-slate-300">{v.reason}</td>
                  <td className="px-2 py-1.5 text-xs" data-testid="history-diff">
                    {v.diff.length === 0 ? (
                      <span className="text-slate-500">{v.profile ? `profile ${v.profile}` : 'no change'}</span>
                    ) : (
                      <ul className="flex flex-col gap-0.5">
                        {v.diff.slice(0, 8).map((c) => (
                          <li key={c.path} className="break-all font-mono">
                            <span className="text-slate-300">{c.path}</span>{' '}
                            <span className="text-red-300">{showValue(c.from)}</span> → <span className="text-emerald-300">{showValue(c.to)}</span>
                          </li>
                        ))}
                        {v.diff.length > 8 && <li className="text-slate-500">… {v.diff.length - 8} more</li>}
                      </ul>
                    )}
                  </td>
                  <td className="py-1.5 pl-2 text-right">
                    {v.version !== current && (
                      <Button data-testid="revert-button" busy={reverting === v.version} disabled={reverting !== null} onClick={() => onRevert(v.version)}>
                        Revert to {v.version}
                      </Button>
                    )}
                    {v.version === current && <span className="text-xs text-slate-500">current</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
