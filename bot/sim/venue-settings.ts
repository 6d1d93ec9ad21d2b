/**
 * Per-account and venue-wide settings of the simulated venue that the control API can change, so a preflight can
 * be tested against every go/no-go condition: the `/time` offset (a venue clock that disagrees with ours), the spot
 * stream's price offset (a spot/reference divergence for the risk layer's trigger), the
 * closed-only ban status of an account, and its allowances (pUSD for each exchange contract, and the conditional
 * token approval) as `/balance-allowance` reports them. The geoblock answer lives on the model (`model.geo`).
 *
 * Invariants: allowances default to unlimited (2^256 - 1) for every exchange contract, as after the approvals of
 * reference §8.2; addresses are compared lower-case; at most `maxAccounts` accounts carry settings (oldest
 * dropped first), so the tables stay bounded.
 */
import { CTF_EXCHANGE_V2, EXCHANGE_V3 } from './order-signature';

/** Neg Risk CTF Exchange (V2), reference §8.1 (BTC Up/Down does not use it; reported like the venue does). */
export const NEG_RISK_EXCHANGE_V2 = '0xe2222d279d744050d28e00520010520000310F59';

export const UNLIMITED = (2n ** 256n - 1n).toString();
/** Spenders reported by `/balance-allowance` (the venue reports one entry per exchange contract). */
export const SPENDERS = [CTF_EXCHANGE_V2, NEG_RISK_EXCHANGE_V2, EXCHANGE_V3] as const;
export type AllowanceAsset = 'COLLATERAL' | 'CONDITIONAL';

interface AccountSettings {
  closedOnly: boolean;
  /** asset -> spender (lower-case) -> base units. Missing = unlimited. */
  allowances: Record<AllowanceAsset, Map<string, string>>;
}

export class VenueSettings {
  /** Added to the venue clock in `GET /time` (ms): a positive offset is a venue ahead of us. */
  timeOffsetMs = 0;
  /** Spot stream prices are the model's spot times (1 + bps/10^4): a spot feed that disagrees with the reference. */
  spotOffsetBps = 0;
  private readonly accounts = new Map<string, AccountSettings>();

  constructor(private readonly maxAccounts = 10_000) {}

  private account(address: string): AccountSettings {
    const key = address.toLowerCase();
    let a = this.accounts.get(key);
    if (!a) {
      a = { closedOnly: false, allowances: { COLLATERAL: new Map(), CONDITIONAL: new Map() } };
      this.accounts.set(key, a);
      if (this.accounts.size > this.maxAccounts) this.accounts.delete(this.accounts.keys().next().value!);
    }
    return a;
  }

  closedOnly(address: string): boolean {
    return this.accounts.get(address.toLowerCase())?.closedOnly ?? false;
  }

  setClosedOnly(address: string, on: boolean): void {
    this.account(address).closedOnly = on;
  }

  /** `{ <spender>: amount }` for every exchange contract, as the venue reports it. */
  allowances(address: string, asset: AllowanceAsset): Record<string, string> {
    const set = this.accounts.get(address.toLowerCase())?.allowances[asset];
    return Object.fromEntries(SPENDERS.map((s) => [s, set?.get(s.toLowerCase()) ?? UNLIMITED]));
  }

  allowance(address: string, asset: AllowanceAsset, spender: string): bigint {
    return BigInt(this.accounts.get(address.toLowerCase())?.allowances[asset].get(spender.toLowerCase()) ?? UNLIMITED);
  }

  /** Set one spender's allowance, or every exchange's when `spender` is omitted. */
  setAllowance(address: string, asset: AllowanceAsset, amount: string, spender?: string): void {
    const set = this.account(address).allowances[asset];
    for (const s of spender ? [spender] : SPENDERS) set.set(s.toLowerCase(), amount);
  }
}
