/**
 * Why a configuration change was not made. `refused`: the result would be invalid or unsafe, or a runtime part
 * refused it (issues name the fields and rules); `conflict`: the config moved on since the caller read it
 * (expectVersion) or another change is being applied; `not_found`: no such version. Nothing was applied in any case.
 */
import type { ConfigIssue } from '../../lib/schemas/config-api';

export type ConfigErrorKind = 'refused' | 'conflict' | 'not_found';

export class ConfigError extends Error {
  constructor(
    readonly kind: ConfigErrorKind,
    message: string,
    readonly issues: ConfigIssue[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof Error && err.name === 'ConfigError' && Array.isArray((err as ConfigError).issues);
}

/** One line per issue: `path: message [rule]`. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message} [${i.rule}]`).join('\n');
}
