/** Feeds: public API (market/user sockets, reference and spot, health, gate). */
export { ClobMarketFeed, type ClobMarketFeedOptions, type MarketDataListener } from './clob-market-feed';
export { ClobUserFeed, type ClobUserFeedOptions } from './clob-user-feed';
export { PolyboltFeed, type PolyboltFeedOptions } from './polybolt-feed';
export { RtdsFeed, type RtdsFeedOptions } from './rtds-feed';
export { SpotFeed, type SpotFeedOptions } from './spot-feed';
export { ReferenceStore, type PriceSample } from './reference-store';
export { FeedGate, type FeedGateOptions } from './feed-gate';
export { FeedHealth } from './feed-health';
export { WsConnection } from './ws-connection';
export { Backoff } from './backoff';
export { tradeToFills, wsOrderToVenue, restOrderToVenue, fillStatus, type Ownership } from './user-normalize';
export type { FeedName, ConnectionState, ApiCredentials } from './types';
