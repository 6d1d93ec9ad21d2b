/** One start's venue session (market-data side + order side, reconciled before the first order) and its runtime component. */
export { VenueSession, type VenueSessionOptions, type MarketDataWiring, type IngestFrame } from './venue-session';
export { liveMarketData, recordedMarketData } from './market-data';
export { SessionComponent, type SessionComponentOptions } from './session-component';
