/** The simulated Polymarket (SPEC §5): `startSim(options)` plus the types a test or the demo needs. */
export { startSim, simEndpoints, type SimHandle, type SimUrls } from './start-sim';
export type { SimOptions, SimServerName } from './options';
export type { SimModel, Settlement } from './model';
export type { FaultSpec, FaultKind, ActiveFault } from './faults';
export { DEFAULT_SERIES, placeholderSeriesId, SIM_SERIES_IDS, simSeriesFor, type SeriesSpec, type SettlementSource, type SlugScheme, windowSlug, windowStartSec } from './series';
export { simAssetsFor, type SimAsset } from './sim-assets';
export type { CorrelationInput } from './correlation';
