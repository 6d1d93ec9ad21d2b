'use client';
/**
 * The configuration at a glance: version, hash, profile (and who chose it), the config file and environment
 * variables that feed the layers, and the restart-required changes waiting for the next start (running ≠ latest).
 */
import { Badge } from '../ui/badge';
import { Card } from '../ui/card';
import { showValue, type ConfigResponse } from './config-model';

export function ConfigSummary({ data }: { data: ConfigResponse }) {
  return (
    <Card title="Configuration" testId="config-summary">
      <div className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <div className="text-xs text-slate-500">Version</div>
          <div className="font-mono text-xl tabular-nums" data-testid="config-version">{data.version}</div>
        </div>
        <div className="min-w-0">
          <div className="text-xs text-slate-500">Hash (sha256)</div>
          <div className="truncate font-mono text-slate-300" title={data.hash} data-testid="config-hash">{data.hash.slice(0, 16)}…</div>
        </div>
        <div>
          <div className="text-xs text-slate-500">Profile</div>
          <div className="font-mono text-slate-200" data-testid="config-profile">
            {data.profile.name ?? 'none'} {data.profile.from !== 'none' && <span className="text-xs text-slate-500">({data.profile.from})</span>}
          </div>
        </div>
        <div className="min-w-0">
          <div className="text-xs text-slate-500">Layers (lowest first)</div>
          <div className="text-xs text-slate-300">
            default ← profile ← file <span className="break-all font-mono text-slate-500">{data.file.exists ? data.file.path : '(none)'}</span> ← env{' '}
            <span className="font-mono text-slate-500">{data.envVars.length ? data.envVars.join(', ') : '(none)'}</span> ← console
          </div>
        </div>
      </div>
      {data.pending.length > 0 && (
        <div className="mt-3 rounded-md border border-amber-500/30 bg-amber-500/5 p-2" data-testid="config-pending">
          <div className="mb-1 flex items-center gap-2 text-xs text-amber-300">
            <Badge tone="warn">pending</Badge> {data.pending.length} restart-required change{data.pending.length === 1 ? '' : 's'} wait for the next start
          </div>
          <ul className="flex flex-col gap-0.5 text-xs">
            {data.pending.slice(0, 10).map((c) => (
              <li key={c.path} className="break-all font-mono text-slate-300">
                {c.path}: <span className="text-red-300">{showValue(c.from)}</span> → <span className="text-emerald-300">{showValue(c.to)}</span>
                {c.process && <span className="text-slate-500"> (process restart)</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
