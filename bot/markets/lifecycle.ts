/**
 * Market lifecycle state table: discovered -> open -> closing -> closed -> resolved.
 *
 * Invariants:
 * - Moves not listed in LIFECYCLE are illegal and throw (a bug, never silently ignored).
 * - `discovered` may jump to `closed`/`resolved` (a market first seen late); nothing leaves `resolved`.
 * - `closing` is the last `closingMs` before the end: no new entries belong there (strategy decides).
 */
import { canTransition as canMove, transition as move, type TransitionTable } from '../util/state-machine';

export const lifecycleStates = ['discovered', 'open', 'closing', 'closed', 'resolved'] as const;
export type LifecycleState = (typeof lifecycleStates)[number];

export const LIFECYCLE: TransitionTable<LifecycleState> = {
  discovered: ['open', 'closing', 'closed', 'resolved'],
  open: ['closing', 'closed', 'resolved'],
  closing: ['closed', 'resolved'],
  closed: ['resolved'],
  resolved: [],
};

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return canMove(LIFECYCLE, from, to);
}

export function transition(from: LifecycleState, to: LifecycleState): LifecycleState {
  return move('market lifecycle', LIFECYCLE, from, to);
}

/** The state a window should be in at tMs, by time alone (resolution needs an outcome, so never by time). */
export function stateByTime(startMs: number, endMs: number, closingMs: number, tMs: number): LifecycleState {
  if (tMs < startMs) return 'discovered';
  if (tMs >= endMs) return 'closed';
  if (tMs >= endMs - closingMs) return 'closing';
  return 'open';
}
