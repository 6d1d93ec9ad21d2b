'use client';
/**
 * Profiles (GET /api/config/profiles): each named set of risk limits and strategy parameters with what it sets,
 * the active one marked, and "Apply" (POST /api/config/profile with expectVersion).
 */
import type { ProfilesResponse } from './config-model';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';

function leafCount(o: unknown): number {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 1;
  return Object.values(o).reduce<number>((n, v) => n + leafCount(v), 0);
}

export function ProfilesCard({ data, loading, error, applying, applyError, onApply }: {
  data: ProfilesResponse | undefined;
  loading: boolean;
  error: string | null;
  applying: string | null;
  applyError: string | null;
  onApply: (name: string) => void;
}) {
  return (
    <Card title="Profiles" testId="profiles-card">
      {applyError && <p className="mb-2 text-sm text-red-400">{applyError}</p>}
      {loading ? (
        <p className="text-sm text-slate-500">Loading profiles…</p>
      ) : error || !data ? (
        <p className="text-sm text-red-400">Could not read the profiles: {error}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {data.profiles.map((p) => {
            const active = data.active.name === p.name;
            return (
              <li key={p.name} className="flex items-start justify-between gap-3 rounded-md border border-slate-800 p-2" data-testid="profile-row" data-profile={p.name}>
                <div className="min-w-0">
                  <div className="flex items-center gap-2">
                    <span className="font-mono text-sm text-slate-200">{p.name}</span>
                    {active && <Badge tone="ok">active ({data.active.from})</Badge>}
                    <span className="text-xs text-slate-500">{leafCount(p.patch)} fields</span>
                  </div>
                  <p className="mt-0.5 text-xs text-slate-400">{p.description}</p>
                </div>
                <Button busy={applying === p.name} disabled={applying !== null || active} onClick={() => onApply(p.name)}>
                  Apply
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
