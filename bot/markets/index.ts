/** Markets: public API (slug maths, lifecycle table, order book, catalog, Gamma/CLOB public clients). */
export { windowAt, nextWindow, parseSlug, slugFor, secondsLeft, windowLengthMs, WINDOW_SEC, type Asset, type WindowKind, type MarketWindow } from './slug';
export { LIFECYCLE, lifecycleStates, transition as lifecycleTransition, stateByTime, type LifecycleState } from './lifecycle';
export { OrderBook, type BookLevel, type BookSide, type TopOfBook } from './order-book';
export { MarketCatalog, type MarketCatalogOptions } from './market-catalog';
export { orderMarketInfo, type WindowRecord } from './window-record';
export { GammaClient, type GammaLookup } from './gamma-client';
export { ClobPublicClient, getJson, type HttpResult, type FetchFn } from './clob-public';
