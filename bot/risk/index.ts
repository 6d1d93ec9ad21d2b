/**
 * Risk: the engine that approves orders, the kill switch (trading state), its automatic triggers, the halt loop, the
 * UTC risk day, and the correlation between assets behind the cap on aggregate directional exposure.
 */
export { KillSwitch, KillSwitchError, type KillSwitchChange, type KillSwitchSnapshot } from './kill-switch';
export { RiskEngine, type CollateralGate, type OrderProposal, type RiskView, type RiskVerdict, type RiskStats } from './risk-engine';
export { AutoTriggers, type AutoTriggersOptions, type TriggerPort } from './auto-triggers';
export { HaltLoop, type HaltLoopOptions, type HaltPort } from './halt-loop';
export { RiskDay, utcDay, type RiskDayOptions } from './risk-day';
export { compareLedgers, createLedgerCheck, type LedgerSources, type LedgerSnapshot } from './ledger-check';
export { tripKillSwitch } from './trip';
export { LiveArming, ArmingError, ARM_CONFIRMATION, type ArmingSnapshot, type ArmingErrorCode, type LiveArmingOptions } from './live-arming';
export { CorrelationEstimator, correlationSettingsOf, type CorrelationMatrix, type CorrelationSettings, type PairCorrelation } from './correlation';
export {
  aggregateDirectionalUsd, clipRho, describeExposure, describePairs, directionalChange, directionalUsdFromLegs, rhoLookup, signedUsdByAsset,
  type DirectionalChange, type DirectionalEffect, type DirectionalLeg, type SignedUsdByAsset, type UpDown,
} from './directional-exposure';
export { startCorrelationPublisher, assetOfReferenceSymbol, type CorrelationPublisher, type CorrelationPublisherOptions } from './correlation-publisher';
export { CollateralBalance, AFTER_FILL_REFRESH_MS, type CollateralBalanceOptions, type CollateralPort, type CollateralReading, type CollateralSnapshot } from './balance-source';
export { buyCostUsd, insufficientBalanceReason, type BalanceCheckOrder } from './balance-check';
export { BalanceDrawdownTrigger, DrawdownWatch, type BalanceDrawdownOptions } from './balance-drawdown';
export { stackCollateralPort, type CollateralStack, type HeldPosition, type StackCollateralOptions } from './balance-port';
