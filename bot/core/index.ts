/**
 * The shared vocabulary leaf: order and fill types, fees, tick rounding, the order book, reference prices,
 * connection states, credentials, series and the runtime-component contract. Feeds, markets and execution import
 * this (and protocol, net, http) and never each other.
 */
export type { RuntimeComponent } from './component';
export { ENDPOINT_ENV, POLYMARKET_ENDPOINTS, type VenueEndpoints } from './endpoints';
export { CONNECTION, type ApiCredentials, type ConnectionState, type FeedName, type RawSource } from './connection';
export { DEFAULT_CRYPTO_FEES, NO_FEES, makerFeeUsd, round5, takerFeePerShare, takerFeeUsd, type FeeSchedule } from './fees';
export { OrderBook, type BookLevel, type BookSide, type MarketDataListener, type TopOfBook } from './order-book';
export type { CancelOutcome, FillStatus, OrderMarketInfo, OrderType, PlaceOutcome, PlaceRequest, Side, VenueFill, VenueListener, VenueOrder } from './orders';
export { ReferenceStore, type PriceSample } from './reference-store';
export { ReferenceSet } from './reference-set';
export { ROUNDING, limitOrderAmounts, marketOrderAmounts, priceValid, snapPrice, toTickSize, type TickSize } from './rounding';
export { assetName, assetOfSymbol, defaultSlugScheme, kindOf, seriesDef, seriesKeyOf, windowSecOf, KNOWN_SERIES_IDS, type Asset, type SeriesDef, type SlugScheme, type WindowKind } from './series';
export { VenueClock, VENUE_OFFSET_NOISE_MS } from './venue-clock';
