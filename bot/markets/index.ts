/** Markets: slug maths, the lifecycle table, the window catalog and book-shape statistics. */
export { windowAt, seriesWindowAt, nextWindow, parseSlug, slugFor, hourlySlug, secondsLeft, windowLengthMs, windowStarting, seriesKeyOfWindow, type Asset, type WindowKind, type MarketWindow } from './slug';
export { LIFECYCLE, lifecycleStates, transition as lifecycleTransition, stateByTime, type LifecycleState } from './lifecycle';
export { MarketCatalog, type MarketCatalogOptions } from './market-catalog';
export { orderMarketInfo, type WindowRecord } from './window-record';
export { GammaDirectory, RecordedDirectory, type MarketDirectory, type DirectoryMarket, type DirectoryLookup, type RecordedMarket } from './market-directory';
