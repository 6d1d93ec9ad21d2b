/** Panel with a title, used by every page. */
import type { ReactNode } from 'react';

export function Card({ title, children, actions, testId }: { title: string; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId} className="rounded-xl border border-slate-800 bg-slate-900/60 p-4 shadow-sm">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-400">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div>
      <div className="text-xs text-slate-500">{label}</div>
      <div data-testid={testId} className="font-mono text-xl tabular-nums">
        {value}
      </div>
    </div>
  );
}
