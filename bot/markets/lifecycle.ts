/**
 * Market lifecycle state table: discovered -> open -> closing -> closed -> resolved.
 *
 * Invariants:
 * - Moves not listed in LIFECYCLE are illegal and throw (a bug, never silently ignored).
 * - `discovered` may jump to `closed`/`resolved` (a market first seen late); nothing leaves `resolved`.
 * - `closing` is the last `closingMs` before the end: no new entries belong there (strategy decides).
 */
export const lifecycleStates = ['discovered', 'open', 'closing', 'closed', 'resolved'] as const;
export type LifecycleState = (typeof lifecycleStates)[number];

export const LIFECYCLE: Record<LifecycleState, readonly LifecycleState[]> = {
  discovered: ['open', 'closing', 'closed', 'resolved'],
  open: ['closing', 'closed', 'resolved'],
  closing: ['closed', 'resolved'],
  closed: ['resolved'],
  resolved: [],
};

export class IllegalTransitionError extends Error {
  constructor(what: string, from: string, to: string) {
    super(`illegal ${what} transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return LIFECYCLE[from].includes(to);
}

export function transition(from: LifecycleState, to: LifecycleState): LifecycleState {
  if (!canTransition(from, to)) throw new IllegalTransitionError('market lifecycle', from, to);
  return to;
}

/** The state a window should be in at tMs, by time alone (resolution needs an outcome, so never by time). */
export function stateByTime(startMs: number, endMs: number, closingMs: number, tMs: number): LifecycleState {
  if (tMs < startMs) return 'discovered';
  if (tMs >= endMs) return 'closed';
  if (tMs >= endMs - closingMs) return 'closing';
  return 'open';
}

/** The chain of legal moves from `from` up to `to` along the natural order (skipping none that are legal). */
export function advanceTo(from: LifecycleState, to: LifecycleState): LifecycleState[] {
  const order = lifecycleStates;
  if (order.indexOf(to) <= order.indexOf(from)) return [];
  return [transition(from, to)];
}
