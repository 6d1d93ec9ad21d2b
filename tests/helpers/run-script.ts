/**
 * Run one of the project's TypeScript CLI scripts (scripts/*.ts) as a child process, the way an operator would, with
 * a clean environment: PATH, HOME and NODE_ENV=test plus what the test passes (no endpoint variables, credentials or
 * mode leak in from the shell running the tests). Resolves with the exit code and both streams.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ScriptRun> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'test' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, join(ROOT, 'scripts', script), ...args], { cwd: ROOT, env: { ...base, ...env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
