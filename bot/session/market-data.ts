/**
 * The two market-data wirings a venue session can run on: live sockets + the venue's REST/Gamma, or a recorded
 * session (replay). The composition root picks one; the session and its feeds never look at the mode.
 *
 * Invariants: a recorded wiring never opens a socket or makes a network call (its REST client answers 503 at
 * once, so a resync waits for the next recorded snapshot, deterministically).
 */
import { ClobPublicClient, GammaClient } from '../http';
import { GammaDirectory, RecordedDirectory, type RecordedMarket } from '../markets/market-directory';
import type { MarketDataWiring } from './venue-session';

export function liveMarketData(): MarketDataWiring {
  return {
    transport: 'sockets',
    rest: (ep) => new ClobPublicClient(ep.clob),
    directory: (ep, rest) => new GammaDirectory(new GammaClient(ep.gamma), rest),
  };
}

const unavailable = async (): Promise<Response> =>
  new Response(JSON.stringify({ error: 'REST is not available in a replay' }), { status: 503, headers: { 'content-type': 'application/json' } });

export function recordedMarketData(markets: readonly RecordedMarket[], nowMs: () => number, opts: { noReference?: boolean } = {}): MarketDataWiring {
  return {
    transport: 'recorded',
    rest: () => new ClobPublicClient('http://replay.invalid', unavailable),
    directory: () => new RecordedDirectory(markets, nowMs),
    ...(opts.noReference ? { noReference: true } : {}),
  };
}
