/** Risk: the engine that approves orders, the kill switch (trading state), its automatic triggers, the halt loop and the UTC risk day. */
export { KillSwitch, KillSwitchError, type KillSwitchChange, type KillSwitchSnapshot } from './kill-switch';
export { RiskEngine, type OrderProposal, type RiskView, type RiskVerdict, type RiskStats } from './risk-engine';
export { AutoTriggers, type AutoTriggersOptions, type TriggerPort } from './auto-triggers';
export { HaltLoop, type HaltLoopOptions, type HaltPort } from './halt-loop';
export { RiskDay, utcDay, type RiskDayOptions } from './risk-day';
export { compareLedgers, createLedgerCheck, type LedgerSources, type LedgerSnapshot } from './ledger-check';
export { tripKillSwitch } from './trip';
export { LiveArming, ArmingError, ARM_CONFIRMATION, type ArmingSnapshot, type ArmingErrorCode, type LiveArmingOptions } from './live-arming';
