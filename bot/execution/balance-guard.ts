/**
 * "not enough balance / allowance" (battery B9, reference §2.7): the venue refused an order for the pUSD balance or
 * approval (a BUY) or the outcome-token balance or approval (a SELL). Typical cause: a buy that just matched is not
 * settled yet, or the CLOB's cached view of our balance and approvals is stale. The engine then asks the CLOB to
 * refresh that view ONCE (`/balance-allowance/update`), reads the confirmed balance, and retries the order ONCE,
 * resized to what the confirmed balance pays for (`resizeToConfirmed`). A second refusal – or a confirmed balance too
 * small for the venue's minimum – stops new orders needing that asset and raises an alert (a danger
 * `runtime.notice`, source `venue.balance`).
 *
 * Invariants: a resized order never costs more than the confirmed balance (fee included) nor asks for more than the
 * original; while a refresh for an asset is in flight, new orders needing it are refused locally (no hammering);
 * a block lasts `blockMs` (default 10 min) or until `clear()`, and every new block (also after one ran out) alerts;
 * cancels are never refused here; at most 1,000 assets are tracked (the least recently blocked dropped).
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import { takerFeePerShare, takerFeeUsd } from '../core/fees';
import { marketOrderAmounts } from '../core/rounding';
import type { PlaceRequest } from '../core/orders';

/** The venue's refusal for a missing balance or approval, in any of its spellings. */
export const BALANCE_REFUSAL = /not enough balance|allowance/i;

export function isBalanceRefusal(reason: string): boolean {
  return BALANCE_REFUSAL.test(reason);
}

const floor2 = (x: number) => Math.floor(x * 100 + 1e-9) / 100;

/**
 * The request resized to what `confirmed` pays for (pUSD for a BUY, shares of the token for a SELL), never larger
 * than asked; undefined when that is below the venue's minimum order size. A BUY pays its notional and, unless it is
 * post-only, the taker fee the venue computes on the whole order's shares (5 decimals): a per-share estimate first,
 * then moved by single cents to the largest amount whose exact cost fits the balance. The minimum is checked on the
 * shares the order will be signed for (a pUSD market BUY: its taker amount), so the builder never refuses the retry.
 */
export function resizeToConfirmed(req: PlaceRequest, confirmed: number): PlaceRequest | undefined {
  if (!(confirmed > 0)) return undefined;
  const m = req.market;
  const p = req.price;
  if (req.side === 'SELL') {
    const size = floor2(Math.min(req.size ?? 0, confirmed));
    return size >= m.minOrderSize ? { ...req, size } : undefined;
  }
  const taker = !req.postOnly;
  const byUsd = req.usd !== undefined;
  const sharesOf = (amount: number) => (byUsd ? marketOrderAmounts('BUY', amount, p, m.tickSize).shares : amount);
  const costOf = (amount: number) => (byUsd ? amount : amount * p) + (taker ? takerFeeUsd(m.fees, sharesOf(amount), p) : 0);
  const feePerShare = taker ? takerFeePerShare(p, m.fees) : 0;
  const estimate = byUsd ? Math.min(req.usd!, confirmed / (1 + feePerShare / p)) : Math.min(req.size ?? 0, confirmed / (p + feePerShare));
  const askedCents = Math.floor((byUsd ? req.usd! : (req.size ?? 0)) * 100 + 1e-9);
  let cents = Math.min(askedCents, Math.floor(estimate * 100 + 1e-9));
  while (cents > 0 && costOf(cents / 100) > confirmed + 1e-9) cents--;
  while (cents < askedCents && costOf((cents + 1) / 100) <= confirmed + 1e-9) cents++;
  const amount = cents / 100;
  if (!(cents > 0) || sharesOf(amount) < m.minOrderSize) return undefined;
  return byUsd ? { ...req, usd: amount } : { ...req, size: amount };
}

/** Which venue balance an order draws on. */
export function balanceAssetOf(req: Pick<PlaceRequest, 'side' | 'market'>): string {
  return req.side === 'BUY' ? 'COLLATERAL' : `CONDITIONAL:${req.market.tokenId}`;
}

const MAX_ASSETS = 1_000;

export class BalanceGuard {
  private readonly blocked = new Map<string, { untilMs: number; reason: string }>();
  private readonly checking = new Set<string>();
  readonly stats = { refreshes: 0, retries: 0, blocks: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly blockMs = 600_000,
  ) {}

  /** Why a new order may not be sent now (undefined = allowed). */
  denyReason(req: Pick<PlaceRequest, 'side' | 'market'>): string | undefined {
    const asset = balanceAssetOf(req);
    if (this.checking.has(asset)) return `venue balance of ${asset} being refreshed after "not enough balance / allowance"`;
    const b = this.blocked.get(asset);
    if (!b) return undefined;
    if (this.clock.nowMs() >= b.untilMs) {
      this.blocked.delete(asset);
      return undefined;
    }
    return `stopped: ${b.reason}`;
  }

  /** A refresh of the asset's balance started (true) or ended (false). */
  setChecking(req: Pick<PlaceRequest, 'side' | 'market'>, on: boolean): void {
    const asset = balanceAssetOf(req);
    if (on) this.checking.add(asset);
    else this.checking.delete(asset);
  }

  /** Stop new orders needing this asset and alert (once per block). */
  block(req: Pick<PlaceRequest, 'side' | 'market' | 'clientTag'>, reason: string): void {
    const asset = balanceAssetOf(req);
    const fresh = !this.isBlocked(asset); // a block that ran out (not yet swept) is over: this is a new one
    this.blocked.delete(asset); // re-inserted last: the eviction below drops the least recently blocked asset
    this.blocked.set(asset, { untilMs: this.clock.nowMs() + this.blockMs, reason });
    if (this.blocked.size > MAX_ASSETS) this.blocked.delete(this.blocked.keys().next().value!);
    if (!fresh) return;
    this.stats.blocks++;
    this.bus.publish({
      type: 'runtime.notice',
      source: 'venue.balance',
      severity: 'danger',
      title: `New ${req.side === 'BUY' ? 'buys' : 'sells of this token'} stopped: not enough balance / allowance at the venue`,
      detail: `${reason.slice(0, 200)} (order ${req.clientTag.slice(0, 60)}). Refreshed once and retried once with the confirmed size. Fund the wallet / set the exchange approvals (npm run doctor checks both); orders resume after ${Math.round(this.blockMs / 60_000)} min or a restart.`,
    });
  }

  /** Lift a block (operator action, or a test). */
  clear(asset?: string): void {
    if (asset) this.blocked.delete(asset);
    else this.blocked.clear();
  }

  isBlocked(asset: string): boolean {
    const b = this.blocked.get(asset);
    return !!b && this.clock.nowMs() < b.untilMs;
  }
}
