/**
 * Whole-config validation: the one zod schema (lib/schemas/config.ts), each strategy instance's params against its
 * strategy's own schema (bot/strategies/registry.ts), then the guardrails. Every problem is an issue with a
 * document path and a rule; unknown keys are reported one per key (`risk.foo`), never as "the object".
 * Guardrails run even when the schema fails (over the loosely typed candidate) so one refusal lists everything.
 */
import type { z } from 'zod';
import { runtimeConfigSchema, type RuntimeConfig } from '../../lib/schemas/config';
import type { ConfigIssue } from '../../lib/schemas/config-api';
import { isStrategyId, parseStrategyConfig, strategyIds } from '../strategies/registry';
import { checkGuardrails, type GuardedConfig, type GuardrailContext } from './guardrails';
import { isPlainObject, pathKey } from './merge-patch';

export type ValidationResult = { ok: true; config: RuntimeConfig; issues: [] } | { ok: false; issues: ConfigIssue[] };

export function validateConfig(candidate: unknown, ctx: GuardrailContext): ValidationResult {
  const issues: ConfigIssue[] = [];
  const parsed = runtimeConfigSchema.safeParse(candidate);
  if (!parsed.success) issues.push(...fromZod(parsed.error.issues, ''));
  const loose = parsed.success ? (parsed.data as GuardedConfig) : looseView(candidate);
  (loose.strategies ?? []).forEach((s, i) => {
    if (typeof s.type !== 'string' || !isPlainObject(s.params)) return; // the schema reports these
    if (!isStrategyId(s.type)) {
      issues.push({ path: `strategies.${i}.type`, rule: 'schema.unknown_strategy', message: `unknown strategy type '${s.type.slice(0, 60)}' (known: ${strategyIds.join(', ')})` });
      return;
    }
    try {
      parseStrategyConfig(s.type, s.params);
    } catch (err) {
      const zi = (err as { issues?: z.core.$ZodIssue[] }).issues;
      if (Array.isArray(zi)) issues.push(...fromZod(zi, `strategies.${i}.params`));
      else issues.push({ path: `strategies.${i}.params`, rule: 'schema', message: err instanceof Error ? err.message : String(err) });
    }
  });
  issues.push(...checkGuardrails(loose, ctx));
  const seen = new Set<string>();
  const unique = issues.filter((x) => {
    const k = `${x.path}|${x.rule}|${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (unique.length === 0 && parsed.success) return { ok: true, config: parsed.data, issues: [] };
  return { ok: false, issues: unique };
}

export function fromZod(zi: readonly z.core.$ZodIssue[], prefix: string): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const i of zi) {
    const base = [prefix, ...i.path.map((seg) => pathKey(String(seg)))].filter((s) => s !== '').join('.');
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: base ? `${base}.${pathKey(k)}` : pathKey(k), rule: 'schema.unrecognized_keys', message: `unknown field ${JSON.stringify(k.slice(0, 60))}` });
    } else out.push({ path: base || '(root)', rule: `schema.${i.code}`, message: i.message });
  }
  return out;
}

function looseView(candidate: unknown): GuardedConfig {
  if (!isPlainObject(candidate)) return {};
  const risk = isPlainObject(candidate.risk) ? candidate.risk : {};
  const strategies = Array.isArray(candidate.strategies) ? candidate.strategies.map((s) => (isPlainObject(s) ? s : {})) : [];
  return { mode: candidate.mode, risk, strategies };
}
