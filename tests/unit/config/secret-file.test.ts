/**
 * Secrets come from the environment or from a secret file only its owner can read (bot/config/server-env.ts
 * readSecret): a group- or world-readable file is refused with the variable, the path and the fix, never the content.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCredentials, readSecret } from '../../../bot/config/server-env';

const dir = mkdtempSync(join(tmpdir(), 'secret-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SECRET = 'a1b2c3d4e5f6-not-a-real-secret-value';
const env = (o: Record<string, string>) => o as unknown as NodeJS.ProcessEnv;

function secretFile(name: string, mode: number): string {
  const f = join(dir, name);
  writeFileSync(f, `${SECRET}\n`, { mode: 0o600 });
  chmodSync(f, mode);
  return f;
}

describe('readSecret', () => {
  it('the environment value wins; a 0600 or 0400 file is read and trimmed', () => {
    expect(readSecret('X', env({ X: ' direct ' }))).toBe('direct');
    expect(readSecret('X', env({ X_FILE: secretFile('ok600', 0o600) }))).toBe(SECRET);
    expect(readSecret('X', env({ X_FILE: secretFile('ok400', 0o400) }))).toBe(SECRET);
    expect(readSecret('X', env({}))).toBeUndefined();
  });

  it.each([0o640, 0o604, 0o644, 0o660, 0o777])('a file with mode %o is refused, naming the variable and the fix, never the content', (mode) => {
    const f = secretFile(`bad${mode.toString(8)}`, mode);
    let message = '';
    try {
      readSecret('POLY_API_SECRET', env({ POLY_API_SECRET_FILE: f }));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('POLY_API_SECRET_FILE');
    expect(message).toContain(`chmod 600 ${f}`);
    expect(message).toContain(`mode 0${mode.toString(8)}`);
    expect(message).not.toContain(SECRET);
  });

  it('a directory or a missing path is refused with its reason', () => {
    expect(() => readSecret('K', env({ K_FILE: dir }))).toThrow(/K_FILE: .* is not a regular file/);
    expect(() => readSecret('K', env({ K_FILE: join(dir, 'nope') }))).toThrow(/K_FILE: cannot read .*ENOENT/);
  });

  it('the trading credentials refuse a readable key file', () => {
    const f = secretFile('pk644', 0o644);
    expect(() => readCredentials(env({ POLY_PRIVATE_KEY_FILE: f }))).toThrow(/POLY_PRIVATE_KEY_FILE: .*readable by others/);
  });
});
