/**
 * The preflight: every go/no-go check for one configuration, in the order they are reported —
 * endpoints, clock skew, geoblock, API credentials, closed-only, pUSD balance, allowances, conditional-token
 * approval, heartbeat, reference feed, current windows, books — run by the stage runner into one report.
 *
 * Invariants: `runPreflight` never throws and always closes what it opened (the L2 client); GO iff no stage failed;
 * which stages are required (fail) or informational (warn/skip) follows the mode, as each stage documents.
 */
import type { PreflightReport } from '../../lib/schemas/preflight';
import { closedOnlyStage, allowanceStage, balanceStage, credentialsStage, ctfApprovalStage, heartbeatStage } from './account-stages';
import { PreflightSession, type PreflightContext } from './context';
import { booksStage, referenceStage, windowsStage } from './data-stages';
import { clockStage, endpointStages, geoblockStage } from './endpoint-stages';
import { runStages, type StageDef } from './runner';

export function preflightStages(s: PreflightSession): StageDef[] {
  return [
    ...endpointStages(s),
    clockStage(s),
    geoblockStage(s),
    credentialsStage(s),
    closedOnlyStage(s),
    balanceStage(s),
    allowanceStage(s),
    ctfApprovalStage(s),
    heartbeatStage(s),
    referenceStage(s),
    windowsStage(s),
    booksStage(s),
  ];
}

export async function runPreflight(ctx: PreflightContext, o: { trigger: PreflightReport['trigger']; stageTimeoutMs?: number }): Promise<PreflightReport> {
  const session = new PreflightSession(ctx);
  try {
    return await runStages(preflightStages(session), { clock: ctx.clock, mode: ctx.mode, venue: ctx.venue, trigger: o.trigger, ...(o.stageTimeoutMs !== undefined ? { stageTimeoutMs: o.stageTimeoutMs } : {}) });
  } finally {
    session.close();
  }
}
