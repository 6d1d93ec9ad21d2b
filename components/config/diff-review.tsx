'use client';
/**
 * The change the operator is about to make, as the config service's dry run computed it: old → new per path, hot
 * (applied at once) or restart-required (pending until the next start), fields a higher layer still overrides; then
 * confirm (apply with the version the page was reviewed at) or go back.
 */
import type { ConfigApplyResult } from '../../lib/schemas/config-api';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { showValue } from './config-model';

export function DiffReview({ result, applying, onConfirm, onCancel }: { result: ConfigApplyResult; applying: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="flex flex-col gap-2" data-testid="diff-review">
      {result.diff.length === 0 ? (
        <p className="text-sm text-slate-400">The edit changes nothing in the composed config.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-xs" data-testid="diff-table">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 pr-2 text-left font-medium">Path</th>
                <th className="px-2 text-right font-medium">Old</th>
                <th className="px-2 text-right font-medium">New</th>
                <th className="pl-2 text-left font-medium">Applies</th>
              </tr>
            </thead>
            <tbody>
              {result.diff.map((c) => (
                <tr key={c.path} className="border-t border-slate-800" data-testid="diff-row" data-path={c.path}>
                  <td className="break-all py-1 pr-2 font-mono text-slate-200">{c.path}</td>
                  <td className="break-all px-2 text-right font-mono tabular-nums text-red-300" data-testid="diff-from">{showValue(c.from)}</td>
                  <td className="break-all px-2 text-right font-mono tabular-nums text-emerald-300" data-testid="diff-to">{showValue(c.to)}</td>
                  <td className="pl-2">{c.hot ? <Badge tone="ok">hot</Badge> : <Badge tone="warn">{c.process ? 'process restart' : 'restart'}</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.shadowed && result.shadowed.length > 0 && <p className="text-xs text-amber-300">Still overridden by a higher layer: {result.shadowed.join(', ')}</p>}
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" data-testid="apply-confirm" busy={applying} disabled={result.diff.length === 0} onClick={onConfirm}>
          Apply as version {result.version + 1}
        </Button>
        <Button onClick={onCancel} disabled={applying}>
          Back to editing
        </Button>
      </div>
    </div>
  );
}
