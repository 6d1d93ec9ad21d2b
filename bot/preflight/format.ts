/**
 * Text form of a preflight report, one marker line per stage and a final SUMMARY line (the smoke-script style):
 *
 *   [ OK ] clock skew: +0.2 s vs venue
 *   [FAIL] allowance: pUSD allowance for CTF Exchange V2 0xE111… is 0 — fix: approve pUSD for …
 *   SUMMARY: NO-GO (allowance)
 *
 * Invariant: pure formatting of the report (which never holds a secret).
 */
import type { PreflightReport, PreflightStage } from '../../lib/schemas/preflight';

const MARK: Record<PreflightStage['status'], string> = { ok: '[ OK ]', warn: '[WARN]', fail: '[FAIL]', skip: '[SKIP]' };

export function stageLine(s: PreflightStage): string {
  const fix = s.fix && (s.status === 'fail' || s.status === 'warn') ? ` — fix: ${s.fix}` : '';
  return `${MARK[s.status]} ${s.title}: ${s.detail}${fix}`;
}

export function reportLines(r: PreflightReport): string[] {
  const tail = r.go ? '' : ' — fix the [FAIL] lines above and re-run `npm run doctor`';
  return [...r.stages.map(stageLine), `SUMMARY: ${r.summary}${tail}`];
}
