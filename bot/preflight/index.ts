/** Preflight (go/no-go): stages, runner and the runtime's monitor (the standalone doctor is bot/doctor.ts). */
export { runPreflight, preflightStages } from './preflight';
export { runStages, runStage, type StageDef, type StageOutcome } from './runner';
export { PreflightSession, type PreflightContext, type DataView, type CredentialsInfo, type HeartbeatPolicy } from './context';
export { PreflightMonitor, credentialsInfo, venueLabel, type PreflightMonitorOptions } from './preflight-monitor';
export { stackDataView, type StackDataView } from './stack-view';
export { reportLines, stageLine } from './format';
export { CLOCK_FAIL_MS, CLOCK_WARN_MS } from './endpoint-stages';
