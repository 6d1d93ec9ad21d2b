/**
 * Two-way ledger check: our open orders and positions against the venue's, both ways. Returns one line per
 * difference (empty = the ledgers agree). The automatic trigger halts when a difference is still there at the next
 * check (a fill or an ack in flight is seen on one side first; a real mismatch stays).
 *
 * Ways checked: an order open at the venue that we do not hold as open (placed behind our back, or lost), an order we
 * hold as open that the venue does not list, and per token the shares we hold versus the venue's (when the venue's
 * positions are available). Our side is read after the venue answered, so an order we just sent is already ours.
 *
 * Invariants: pure apart from the injected reads; at most `maxLines` lines (the rest counted in the last line);
 * shares compared to 1e-6.
 */

export interface LedgerSources {
  /** Order ids the venue lists as open for our account. */
  venueOpenOrderIds(): Promise<readonly string[]>;
  /** Order ids (venue ids) our tracker holds as open. */
  ourOpenOrderIds(): readonly string[];
  /** Shares per token at the venue (unsettled); omit when the venue cannot say. */
  venuePositions?(): Promise<ReadonlyMap<string, number>>;
  /** Shares per token in our ledger (unsettled). */
  ourPositions?(): ReadonlyMap<string, number>;
}

export interface LedgerSnapshot {
  venueOrders: readonly string[];
  ourOrders: readonly string[];
  venuePositions?: ReadonlyMap<string, number>;
  ourPositions?: ReadonlyMap<string, number>;
}

const short = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);
const micro = (x: number) => Math.round(x * 1e6);

export function compareLedgers(s: LedgerSnapshot, maxLines = 20): string[] {
  const out: string[] = [];
  const ours = new Set(s.ourOrders);
  const venue = new Set(s.venueOrders);
  for (const id of venue) if (!ours.has(id)) out.push(`order ${short(id)} is open at the venue but not in our ledger`);
  for (const id of ours) if (!venue.has(id)) out.push(`order ${short(id)} is open in our ledger but not at the venue`);
  if (s.venuePositions && s.ourPositions) {
    const tokens = new Set([...s.venuePositions.keys(), ...s.ourPositions.keys()]);
    for (const t of tokens) {
      const a = s.ourPositions.get(t) ?? 0;
      const b = s.venuePositions.get(t) ?? 0;
      if (micro(a) !== micro(b)) out.push(`token ${short(t)}: we hold ${a} shares, the venue ${b}`);
    }
  }
  if (out.length <= maxLines) return out;
  return [...out.slice(0, maxLines - 1), `… and ${out.length - maxLines + 1} more`];
}

/** The check the auto-triggers run periodically: read the venue, then our side, then compare. */
export function createLedgerCheck(src: LedgerSources): () => Promise<string[]> {
  return async () => {
    const venueOrders = await src.venueOpenOrderIds();
    const venuePositions = src.venuePositions ? await src.venuePositions() : undefined;
    const ourPositions = src.ourPositions?.();
    return compareLedgers({
      venueOrders, ourOrders: src.ourOpenOrderIds(),
      ...(venuePositions && ourPositions ? { venuePositions, ourPositions } : {}),
    });
  };
}
