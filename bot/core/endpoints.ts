/** Where the venue is: every URL the bot talks to, Polymarket's by default, each overridable from the environment. */
export interface VenueEndpoints {
  gamma: string;
  clob: string;
  marketWs: string;
  userWs: string;
  polybolt: string;
  rtds: string;
  /** Full spot stream URL, e.g. wss://stream.binance.com:9443/ws/btcusdt@trade */
  spot: string;
  /** Geoblock check (`GET` -> `{blocked, ip, country, region}`); on polymarket.com, not the API hosts. */
  geoblock: string;
}

export const POLYMARKET_ENDPOINTS: VenueEndpoints = {
  gamma: 'https://gamma-api.polymarket.com',
  clob: 'https://clob.polymarket.com',
  marketWs: 'wss://ws-subscriptions-clob.polymarket.com/ws/market',
  userWs: 'wss://ws-subscriptions-clob.polymarket.com/ws/user',
  polybolt: 'wss://ws-live-v2.polymarket.com/ws',
  rtds: 'wss://ws-live-data.polymarket.com',
  spot: 'wss://stream.binance.com:9443/ws/btcusdt@trade',
  geoblock: 'https://polymarket.com/api/geoblock',
};

/** Environment variable per endpoint (`npm run sim` prints these lines; any subset may be set). */
export const ENDPOINT_ENV: Record<keyof VenueEndpoints, string> = {
  gamma: 'GAMMA_URL',
  clob: 'CLOB_URL',
  marketWs: 'MARKET_WS_URL',
  userWs: 'USER_WS_URL',
  polybolt: 'POLYBOLT_URL',
  rtds: 'RTDS_URL',
  spot: 'SPOT_URL',
  geoblock: 'GEOBLOCK_URL',
};
