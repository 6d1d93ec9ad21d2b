/**
 * State machines as tables: Record<State, allowed next states> plus a transition() that throws on an
 * illegal move. Every lifecycle in the runtime (runtime, market, order, trading state, connection) uses it.
 */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export class IllegalTransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: illegal transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** Returns `to` when the move is allowed, throws IllegalTransitionError otherwise. */
export function transition<S extends string>(machine: string, table: TransitionTable<S>, from: S, to: S): S {
  if (!canTransition(table, from, to)) throw new IllegalTransitionError(machine, from, to);
  return to;
}
