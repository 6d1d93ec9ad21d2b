/** Feeds (the data side's sockets): CLOB market socket, reference (PolyBolt, legacy RTDS), spot, and the feed gate. */
export { ClobMarketFeed, type ClobMarketFeedOptions } from './clob-market-feed';
export { PolyboltFeed, type PolyboltFeedOptions } from './polybolt-feed';
export { RtdsFeed, type RtdsFeedOptions } from './rtds-feed';
export { SpotFeed, type SpotFeedOptions } from './spot-feed';
export { FeedGate, type FeedGateOptions } from './feed-gate';
