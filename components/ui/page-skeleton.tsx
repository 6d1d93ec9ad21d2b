/**
 * A console page's placeholder while it loads: a title bar, a row of stat cards, a chart card and a table card,
 * all in the Card look (dark panels, pulsing bars). Purely presentational; no data, no client code. Announced to
 * assistive tech as busy.
 */
import type { ReactNode } from 'react';

function Bar({ className }: { className: string }) {
  return <div className={`animate-pulse rounded bg-slate-800/80 ${className}`} />;
}

function SkeletonCard({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`rounded-xl border border-slate-800 bg-slate-900/60 p-4 ${className}`}>{children}</div>;
}

export function PageSkeleton() {
  return (
    <div data-testid="page-skeleton" role="status" aria-busy="true" aria-label="Loading page" className="space-y-4">
      <span className="sr-only">Loading…</span>
      <div className="flex items-center gap-3">
        <Bar className="h-6 w-48" />
        <Bar className="h-5 w-20" />
      </div>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <SkeletonCard key={i}>
            <Bar className="mb-3 h-3 w-24" />
            <Bar className="h-7 w-32 max-w-full" />
          </SkeletonCard>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <SkeletonCard className="lg:col-span-2">
          <Bar className="mb-4 h-3 w-40" />
          <Bar className="h-64 w-full" />
        </SkeletonCard>
        <SkeletonCard>
          <Bar className="mb-4 h-3 w-28" />
          <div className="space-y-3">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Bar key={i} className="h-4 w-full" />
            ))}
          </div>
        </SkeletonCard>
      </div>
      <SkeletonCard>
        <Bar className="mb-4 h-3 w-32" />
        <div className="space-y-2">
          {[0, 1, 2, 3, 4].map((i) => (
            <div key={i} className="grid grid-cols-4 gap-4">
              <Bar className="h-4" />
              <Bar className="h-4" />
              <Bar className="h-4" />
              <Bar className="h-4" />
            </div>
          ))}
        </div>
      </SkeletonCard>
    </div>
  );
}
