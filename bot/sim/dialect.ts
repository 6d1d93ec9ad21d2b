/**
 * The simulator's wire dialect. `real` (the default) speaks the way Polymarket's servers really do (reference
 * §9.9, real captures in tests/fixtures/polymarket/real/): absent optional decimals as "", no PolyBolt `source`,
 * trade status sometimes bare and sometimes `TRADE_STATUS_`-prefixed on both REST and the user socket, open-order
 * `created_at` as a number or a digit string, a second `POST /auth/api-key` answered 400. `tidy` keeps the
 * reference §9 examples' shapes (every field present, one spelling per surface) for tests that want them.
 *
 * Invariants: every choice is a pure function of the dialect and stable ids (trade id, order id), so the same
 * seed gives the same frames; nothing here reads the clock or randomness.
 */
export type DialectName = 'real' | 'tidy';

export interface Dialect {
  readonly name: DialectName;
  readonly real: boolean;
}

export function dialect(name: DialectName = 'real'): Dialect {
  return { name, real: name === 'real' };
}

/** A small stable hash of an id (FNV-1a), for deterministic per-record spelling choices. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A trade status as sent on one surface. Tidy: REST prefixed, socket bare (the docs' split). Real: both spellings
 * on both surfaces, chosen per trade id (REST and the socket disagree for the same trade, as the venue allows).
 */
export function tradeStatusText(d: Dialect, tradeId: string, status: string, surface: 'rest' | 'ws'): string {
  const prefixed = d.real ? (idHash(tradeId) & 1) === (surface === 'rest' ? 0 : 1) : surface === 'rest';
  return prefixed ? `TRADE_STATUS_${status}` : status;
}

/** An optional decimal that has no value: "" on the real venue, omitted (undefined) in the tidy dialect. */
export function absentDecimal(d: Dialect): '' | undefined {
  return d.real ? '' : undefined;
}

/** Open-order `created_at`: a number, or (real dialect, every other order) a digit string. */
export function createdAtValue(d: Dialect, orderId: string, sec: number): number | string {
  return d.real && (idHash(orderId) & 1) === 1 ? String(sec) : sec;
}
