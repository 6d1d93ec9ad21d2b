/**
 * Legacy RTDS (`ws-live-data`) wire schemas (reference §5.1, §9.7). Deprecated upstream; kept for an adapter.
 *
 * Invariants:
 * - `filters` is a STRING: a comma list ("btcusdt,ethusdt") or JSON text ("{\"symbol\":\"btc/usd\"}").
 * - Keep-alive text is `PING` or `ping`; message timestamps are ms numbers.
 * - With a filter the server first sends a dump payload `{symbol, data:[{timestamp, value}]}` (type "subscribe").
 * - Real frames (captures in tests/fixtures/polymarket/real/rtds.json) also carry `full_accuracy_value` (a plain
 *   decimal on `crypto_prices`, an E18 integer string on the Chainlink and TWAP topics: use `value`), `window_s` on
 *   `crypto_prices_twap_sixty|thirty`, and `connection_id`; an empty text frame greets a new connection; a refused
 *   subscription comes back as `{statusCode, body:{message}}`. Topics are open strings (unknown ones are counted).
 */
import { z } from 'zod';

export const RtdsSubscription = z.object({
  topic: z.string(),
  type: z.string(),
  filters: z.string().optional(),
  clob_auth: z.object({ key: z.string(), secret: z.string(), passphrase: z.string() }).optional(),
  gamma_auth: z.object({ address: z.string() }).optional(),
});
export type RtdsSubscription = z.infer<typeof RtdsSubscription>;

export const RtdsClientMessage = z.object({
  action: z.enum(['subscribe', 'unsubscribe']),
  subscriptions: z.array(RtdsSubscription).min(1),
});
export type RtdsClientMessage = z.infer<typeof RtdsClientMessage>;

export const RtdsPricePayload = z.object({
  symbol: z.string(),
  timestamp: z.number().int(),
  value: z.number(),
  full_accuracy_value: z.string().optional(),
  window_s: z.number().int().optional(),
});
export const RtdsDumpPayload = z.object({
  symbol: z.string().optional(),
  data: z.array(z.object({ timestamp: z.number().int(), value: z.number(), full_accuracy_value: z.string().optional() })),
});

/** A refused subscription (e.g. an unknown or removed topic). */
export const RtdsErrorEnvelope = z.object({ statusCode: z.number().int(), body: z.object({ message: z.string() }).optional() });

export const RtdsMessage = z.object({
  topic: z.string(),
  type: z.string(),
  timestamp: z.number().int(),
  payload: z.union([RtdsPricePayload, RtdsDumpPayload]),
  connection_id: z.string().optional(),
});
export type RtdsMessage = z.infer<typeof RtdsMessage>;

/** Symbols selected by a filters string; empty set means "all". Accepts comma lists and `{"symbol":..}` JSON. */
export function rtdsFilterSymbols(filters: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!filters) return out;
  const t = filters.trim();
  if (t.startsWith('{')) {
    try {
      const v = JSON.parse(t) as { symbol?: unknown };
      if (typeof v.symbol === 'string') out.add(v.symbol.toLowerCase());
    } catch {
      /* malformed JSON filter selects nothing specific */
    }
    return out;
  }
  for (const s of t.split(',')) if (s.trim()) out.add(s.trim().toLowerCase());
  return out;
}
