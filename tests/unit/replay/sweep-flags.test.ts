/**
 * Sweeps are launched with SWEEP_NODE_FLAGS (bot/replay/sweep-flags.ts): `npm run sweep` passes every one of them to
 * node through tsx before the script, and node accepts them (a misspelt V8 flag makes node exit with "bad option").
 * The console's sweep child spreads the same constant into its spawn arguments (lib/server/sweep-process.ts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SWEEP_NODE_FLAGS } from '../../../bot/replay/sweep-flags';

describe('sweep launch flags', () => {
  it('npm run sweep gives node every SWEEP_NODE_FLAGS flag, before the script', () => {
    const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.sweep!;
    const words = script.split(/\s+/);
    expect(words[0]).toBe('tsx');
    const at = words.indexOf('scripts/sweep.ts');
    expect(at).toBeGreaterThan(0);
    expect(words.slice(1, at).sort()).toEqual([...SWEEP_NODE_FLAGS].sort());
  });

  it('node accepts the flags and a tsx launch passes them to the process', () => {
    const argv = JSON.parse(execFileSync(process.execPath, [...SWEEP_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], { encoding: 'utf8' })) as string[];
    expect(argv.slice(0, SWEEP_NODE_FLAGS.length)).toEqual([...SWEEP_NODE_FLAGS]);
    const viaTsx = JSON.parse(execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', ...SWEEP_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], { encoding: 'utf8' })) as string[];
    for (const f of SWEEP_NODE_FLAGS) expect(viaTsx).toContain(f);
    expect(() => execFileSync(process.execPath, ['--no-such-v8-flag-here', '-e', '0'], { stdio: 'pipe' })).toThrow(/bad option/);
  });

  it('the console spawns its sweep child with them', () => {
    expect(readFileSync('lib/server/sweep-process.ts', 'utf8')).toMatch(/spawn\(process\.execPath, \[\.\.\.SWEEP_NODE_FLAGS, '--import'/);
  });
});
