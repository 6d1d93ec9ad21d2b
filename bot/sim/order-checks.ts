/**
 * Validation of a posted order exactly as the venue judges it (reference §2.3, §2.7, §3.5, §7.4), producing either
 * an order the exchange can accept or the venue's HTTP status and error message.
 *
 * Order of checks: payload shape, owner/API key, signer/API key, EIP-712 signature, duplicate, market, trading
 * mode faults (cancel-only, post-only), order type, amounts, tick, price bounds, minimum size, expiration, balance and
 * allowance (pUSD for a BUY, the conditional-token approval for a SELL, towards the market's exchange contract).
 */
import { PostOrderRequest } from '../protocol/clob-rest';
import { formatDecimal } from '../protocol/common';
import type { KeyRecord } from './auth';
import { MICRO } from './book';
import type { AcceptedOrder } from './exchange';
import { takerFeeMicro } from './fees';
import type { FaultRegistry } from './faults';
import type { SimModel } from './model';
import { CTF_EXCHANGE_V2, EXCHANGE_V3, orderHash, verifyOrderSignature } from './order-signature';

export type CheckResult =
  | { ok: true; order: AcceptedOrder }
  | { ok: false; status: number; error: string; extra?: Record<string, unknown>; headers?: Record<string, string> };

const bad = (status: number, error: string, extra?: Record<string, unknown>, headers?: Record<string, string>): CheckResult => ({ ok: false, status, error, extra, headers });

export function tradingModeFault(faults: FaultRegistry, postOnly: boolean): CheckResult | undefined {
  const scope = (s: string) => s === '*' || s === 'clob' || s === 'POST /order' || s === 'POST /orders';
  if (faults.find('cancel_only', scope, false)) return bad(503, 'Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.');
  const po = faults.find('post_only', scope, false);
  if (po && !postOnly) {
    const retry = po.spec.retryAfterSec ?? 79;
    return bad(503, 'post-only mode: only post-only orders and cancels are allowed', { code: 'post_only_mode', retry_after_seconds: retry }, { 'Retry-After': String(retry) });
  }
  return undefined;
}

export async function checkOrder(body: unknown, key: KeyRecord, model: SimModel, faults: FaultRegistry): Promise<CheckResult> {
  const parsed = PostOrderRequest.safeParse(body);
  if (!parsed.success) return bad(400, 'Invalid order payload');
  const req = parsed.data;
  const o = req.order;
  if (req.owner !== key.apiKey) return bad(400, 'the order owner has to be the owner of the API KEY');
  if (o.signer.toLowerCase() !== key.address) return bad(400, 'the order signer address has to be the address of the API KEY');
  const market = model.registry.token(o.tokenId);
  const outcome = market?.outcomeOf(o.tokenId);
  let id: string;
  try {
    id = orderHash(o, market?.version ?? 'v1');
  } catch {
    return bad(400, 'Invalid order payload');
  }
  const sig = await verifyOrderSignature(o, market?.version ?? 'v1');
  if (sig === 'version_mismatch') return bad(400, 'order_version_mismatch');
  if (sig !== 'ok') return bad(400, `order ${id} is invalid. Invalid order signature`);
  if (model.exchange.orders.has(id)) return bad(400, `order ${id} is invalid. Duplicated.`);
  if (model.exchange.orders.full()) return bad(400, 'too many open orders');
  if (!market || !outcome) return bad(404, 'market not found');
  const nowMs = model.clock.nowMs();
  if (!market.acceptingOrders(nowMs)) return bad(400, 'the market is not yet ready to process new orders');
  const postOnly = req.postOnly === true;
  const mode = tradingModeFault(faults, postOnly);
  if (mode) return mode;
  const type = req.orderType;
  if (postOnly && (type === 'FOK' || type === 'FAK')) return bad(400, 'invalid post-only order: post-only is only supported for GTC and GTD orders');
  const maker = Number(o.makerAmount);
  const taker = Number(o.takerAmount);
  if (!(maker > 0) || !(taker > 0) || maker > 1e15 || taker > 1e15) return bad(400, 'Invalid order payload');
  const isBuy = o.side === 'BUY';
  const price = isBuy ? maker / taker : taker / maker;
  const shares = isBuy ? taker : maker;
  const tick = market.tickMilli;
  const tickStr = formatDecimal(tick / 1000, 3);
  const priceStr = formatDecimal(Math.round(price * 1e6) / 1e6, 6);
  const market_ = type === 'FOK' || type === 'FAK';
  let priceMilli = Math.round(price * 1000);
  if (market_) priceMilli = isBuy ? Math.floor(price * 1000 + 1e-6) : Math.ceil(price * 1000 - 1e-6);
  else if (Math.abs(price * 1000 - priceMilli) > 1e-6 || priceMilli % tick !== 0) {
    return bad(400, `order ${id} is invalid. Price (${priceStr}) breaks minimum tick size rule: ${tickStr}`);
  }
  if (priceMilli < tick || priceMilli > 1000 - tick) {
    return bad(400, `order ${id} is invalid. Price (${priceStr}) breaks minimum tick size rule: ${tickStr}`);
  }
  if (shares < market.minOrderSize * MICRO) {
    return bad(400, `order ${id} is invalid. Size (${formatDecimal(shares / MICRO, 6)}) lower than the minimum: ${market.minOrderSize}`);
  }
  if (type === 'GTD') {
    const exp = Number(o.expiration);
    // The venue refuses a GTD expiring less than 3 minutes ahead (and drops it 60 s before its expiration).
    if (!(exp >= Math.floor(nowMs / 1000) + 180)) return bad(400, 'invalid expiration');
  }
  const acct = o.maker.toLowerCase();
  const exchange = market.version === 'v2' ? EXCHANGE_V3 : CTF_EXCHANGE_V2;
  if (isBuy) {
    const fee = postOnly ? 0 : takerFeeMicro(shares, priceMilli, market.fees);
    if (model.ledger.availableMicro(acct) < maker + fee) return bad(400, 'not enough balance / allowance');
    if (model.settings.allowance(acct, 'COLLATERAL', exchange) < BigInt(Math.ceil(maker + fee))) return bad(400, 'not enough balance / allowance');
  } else if (model.ledger.availablePosition(acct, o.tokenId) < maker || model.settings.allowance(acct, 'CONDITIONAL', exchange) === 0n) {
    return bad(400, 'not enough balance / allowance');
  }
  return {
    ok: true,
    order: {
      id,
      owner: key.apiKey,
      makerAddress: o.maker,
      market,
      outcome,
      side: o.side,
      ownPriceMilli: priceMilli,
      sharesMicro: shares,
      budgetMicro: market_ && isBuy ? maker : undefined,
      orderType: type,
      postOnly,
      expiration: o.expiration,
      salt: String(o.salt),
    },
  };
}
