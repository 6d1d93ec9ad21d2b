/**
 * Order lifecycle table (one for live and paper) and deterministic client ids.
 *
 * created -> submitted (journaled, bytes about to leave) -> live | partial | filled | canceled | rejected | unknown.
 * `unknown` means "sent, outcome not known" (timeout, 5xx): it is resolved only by querying the venue,
 * never by resubmitting. Terminal: filled, canceled, rejected.
 *
 * Invariants: the client id is a pure function of the strategy's clientTag (replay gives the same ids);
 * the salt is a pure function of the client id and fits in a JSON-safe integer.
 */
import { keccak_256 } from '@noble/hashes/sha3';
import type { TransitionTable } from '../util/state-machine';
import { transition as tableTransition } from '../util/state-machine';

export type OrderState = 'created' | 'submitted' | 'live' | 'partial' | 'filled' | 'canceled' | 'rejected' | 'unknown';

export const ORDER_STATES: TransitionTable<OrderState> = {
  created: ['submitted', 'rejected'],
  submitted: ['live', 'partial', 'filled', 'canceled', 'rejected', 'unknown'],
  unknown: ['live', 'partial', 'filled', 'canceled', 'rejected'],
  live: ['partial', 'filled', 'canceled'],
  partial: ['partial', 'filled', 'canceled'],
  filled: [],
  canceled: [],
  rejected: [],
};

export const TERMINAL: ReadonlySet<OrderState> = new Set(['filled', 'canceled', 'rejected']);

export function orderTransition(from: OrderState, to: OrderState): OrderState {
  return tableTransition('order', ORDER_STATES, from, to);
}

const HEX = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Deterministic client id: `c` + 24 hex of keccak(clientTag). */
export function clientIdFor(clientTag: string): string {
  return 'c' + HEX(keccak_256(new TextEncoder().encode(clientTag))).slice(0, 24);
}

/** Deterministic order salt (< 2^52, a JSON-safe integer) derived from the client id. */
export function saltFor(clientId: string): number {
  return parseInt(clientId.slice(1, 14), 16);
}
