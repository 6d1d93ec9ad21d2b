/**
 * Ledger: pUSD balances, outcome-token positions and reservations of every account (users by funder address,
 * plus one 'synthetic' account for the simulated crowd, which has unlimited collateral).
 *
 * Invariants:
 * - Amounts are integer micro units (1 pUSD = 1 share = 1e6).
 * - available = balance - reserved; a user order is accepted only if it fits in available (BUY: collateral incl.
 *   the worst-case taker fee; SELL: tokens).
 * - The synthetic crowd only ever BUYS (a SELL Up quote is a BUY Down at 1 - p), so every position is >= 0 and
 *   the total supply of Up equals that of Down: settlement pays exactly the winning shares outstanding.
 */
export const SYNTHETIC = 'synthetic';

export interface Account {
  address: string;
  balanceMicro: number;
  reservedMicro: number;
  positions: Map<string, number>;
  reservedPositions: Map<string, number>;
}

const MAX_ACCOUNTS = 100_000;

export class Ledger {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly initialBalanceMicro: number) {}

  account(address: string): Account {
    const key = address.toLowerCase();
    let a = this.accounts.get(key);
    if (!a) {
      a = { address: key, balanceMicro: key === SYNTHETIC ? 0 : this.initialBalanceMicro, reservedMicro: 0, positions: new Map(), reservedPositions: new Map() };
      this.accounts.set(key, a);
      if (this.accounts.size > MAX_ACCOUNTS) this.evictIdle(key);
    }
    return a;
  }

  isSynthetic(address: string): boolean {
    return address === SYNTHETIC;
  }

  availableMicro(address: string): number {
    if (this.isSynthetic(address)) return Number.MAX_SAFE_INTEGER;
    const a = this.account(address);
    return a.balanceMicro - a.reservedMicro;
  }

  position(address: string, tokenId: string): number {
    return this.account(address).positions.get(tokenId) ?? 0;
  }

  availablePosition(address: string, tokenId: string): number {
    const a = this.account(address);
    return (a.positions.get(tokenId) ?? 0) - (a.reservedPositions.get(tokenId) ?? 0);
  }

  reserveCash(address: string, micro: number): void {
    if (this.isSynthetic(address)) return;
    this.account(address).reservedMicro += micro;
  }

  releaseCash(address: string, micro: number): void {
    if (this.isSynthetic(address)) return;
    const a = this.account(address);
    a.reservedMicro = Math.max(0, a.reservedMicro - micro);
  }

  reserveTokens(address: string, tokenId: string, micro: number): void {
    const a = this.account(address);
    a.reservedPositions.set(tokenId, (a.reservedPositions.get(tokenId) ?? 0) + micro);
  }

  releaseTokens(address: string, tokenId: string, micro: number): void {
    const a = this.account(address);
    a.reservedPositions.set(tokenId, Math.max(0, (a.reservedPositions.get(tokenId) ?? 0) - micro));
  }

  /** Apply a signed cash and position change (a fill leg, or its reversal). */
  apply(address: string, tokenId: string, cashDeltaMicro: number, tokenDeltaMicro: number): void {
    const a = this.account(address);
    a.balanceMicro += cashDeltaMicro;
    a.positions.set(tokenId, (a.positions.get(tokenId) ?? 0) + tokenDeltaMicro);
  }

  setBalance(address: string, micro: number): void {
    this.account(address).balanceMicro = micro;
  }

  /** Drop the oldest account that holds nothing beyond its initial balance (bounded memory under spam). */
  private evictIdle(keep: string): void {
    for (const [k, a] of this.accounts) {
      if (k === keep || k === SYNTHETIC || a.reservedMicro > 0 || a.balanceMicro !== this.initialBalanceMicro) continue;
      if ([...a.positions.values()].some((v) => v !== 0)) continue;
      this.accounts.delete(k);
      return;
    }
  }

  /**
   * Read-only view of one account (tests' two-way ledger check): cash and every non-zero position, without creating
   * the account; an account never seen reports the initial balance and nothing held.
   */
  holdings(address: string): { balanceMicro: number; reservedMicro: number; positions: ReadonlyMap<string, number> } {
    const a = this.accounts.get(address.toLowerCase());
    if (!a) return { balanceMicro: this.initialBalanceMicro, reservedMicro: 0, positions: new Map() };
    return { balanceMicro: a.balanceMicro, reservedMicro: a.reservedMicro, positions: new Map([...a.positions].filter(([, v]) => v !== 0)) };
  }

  /** Total position of a token across all accounts. */
  supply(tokenId: string): number {
    let s = 0;
    for (const a of this.accounts.values()) s += a.positions.get(tokenId) ?? 0;
    return s;
  }

  /** Pay 1 per winning share and clear both tokens; returns the total paid (micro). */
  settle(winningToken: string, losingToken: string): { paidMicro: number; winningSharesMicro: number } {
    let paid = 0;
    let shares = 0;
    for (const a of this.accounts.values()) {
      const w = a.positions.get(winningToken) ?? 0;
      shares += w;
      if (w > 0) {
        a.balanceMicro += w;
        paid += w;
      }
      a.positions.delete(winningToken);
      a.positions.delete(losingToken);
      a.reservedPositions.delete(winningToken);
      a.reservedPositions.delete(losingToken);
    }
    return { paidMicro: paid, winningSharesMicro: shares };
  }
}
