/** Small status pill. */
import type { ReactNode } from 'react';

const tones = {
  ok: 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/30',
  warn: 'bg-amber-500/15 text-amber-300 ring-amber-500/30',
  danger: 'bg-red-500/15 text-red-300 ring-red-500/30',
  info: 'bg-sky-500/15 text-sky-300 ring-sky-500/30',
  neutral: 'bg-slate-500/15 text-slate-300 ring-slate-500/30',
} as const;

export type Tone = keyof typeof tones;

export function Badge({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </span>
  );
}
