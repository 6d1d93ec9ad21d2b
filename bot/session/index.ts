/** One start's venue session (market-data side + order side, reconciled before the first order) and its runtime component. */
export { TradingStack, TradingModeError, type TradingStackOptions } from './venue-session';
export { TradingComponent, type TradingComponentOptions } from './session-component';
