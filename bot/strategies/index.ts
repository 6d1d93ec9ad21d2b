/** Public surface of bot/strategies: the contract, the views, the registry and the pure maths. */
export type * from './context';
export type * from './events';
export * from './intents';
export * from './strategy';
export * from './registry';
export { takerFeePerShare, takerFeeUsd, DEFAULT_CRYPTO_FEES } from '../core/fees';
export { fairProb, pHatSpot, pHatTwap, twapVariance, observedTwapPart } from './hammer/fair-prob';
export { sigmaLogPerSqrtSec, trailingReturn } from './hammer/sigma';
export { normCdf } from './hammer/normal';
