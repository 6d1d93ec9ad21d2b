// Types for scripts/start-args.mjs (the tests import it).
export declare const START_USAGE: string;
export type StartArgs =
  | { ok: true; arm: boolean; help: boolean; serverEnv: { ARM_AT_START: '0' | '1' } }
  | { ok: false; exitCode: number; message: string };
export declare function parseStartArgs(argv: readonly string[], env: Record<string, string | undefined>): StartArgs;
