/**
 * Log fields of the server's runtime holder (lib/server/runtime-registry.ts createRuntimeHolder) captured from a
 * pino destination stream: every line — the holder's own, a child logger's and the runtime's internal ones — carries
 * `runId` (the runtime's instance id) and `configHash` (the hash in force), and a config change moves the hash on
 * every following line without rebinding any logger. A field the caller logs wins over the stamp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntimeHolder, type RuntimeHolder } from '../../../lib/server/runtime-registry';

interface Line {
  level: number;
  msg?: string;
  runId?: string;
  configHash?: string;
  [k: string]: unknown;
}

describe('log lines carry the run id and the config hash', () => {
  const lines: Line[] = [];
  const dest = { write: (s: string) => void lines.push(JSON.parse(s) as Line) };
  let dir: string;
  let holder: RuntimeHolder;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'updown-logfields-'));
    holder = createRuntimeHolder({
      env: { DATA_DIR: dir, VENUE: 'sim', TRADING_MODE: 'paper', AUTO_START: 'false', LOG_LEVEL: 'info' },
      logDestination: dest,
    });
  });
  afterAll(async () => {
    await holder?.shutdown('test done');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stamps the creation line with the instance id and the starting hash', () => {
    const created = lines.find((l) => l.msg === 'runtime created');
    expect(created).toBeDefined();
    expect(created!.runId).toBe(holder.runtime.instanceId);
    expect(created!.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created!.configHash).toBe(holder.config.hash);
    expect(created!.configHash).toMatch(/\w{8,}/);
  });

  it('a config change moves the hash on the lines of every logger, the runtime internal ones included', () => {
    const before = holder.config.hash;
    const child = holder.logger.child({ component: 'test' });
    child.info({}, 'before the change');
    const result = holder.config.apply({ heartbeatMs: 2_345 }, 'operator(test)', 'log fields test', 'test');
    expect(result).toBeDefined();
    const after = holder.config.hash;
    expect(after).not.toBe(before);
    child.info({}, 'after the change');
    holder.logger.warn({}, 'holder line');
    // The runtime logs a runtime.error through its own child logger (bound at creation, before the change).
    holder.runtime.bus.publish({ type: 'runtime.error', source: 'test', message: 'a runtime-internal line' });

    const at = (msg: string) => lines.find((l) => l.msg === msg)!;
    expect(at('before the change')).toMatchObject({ runId: holder.runtime.instanceId, configHash: before, component: 'test' });
    expect(at('after the change')).toMatchObject({ runId: holder.runtime.instanceId, configHash: after, component: 'test' });
    expect(at('holder line')).toMatchObject({ runId: holder.runtime.instanceId, configHash: after });
    expect(at('a runtime-internal line')).toMatchObject({ runId: holder.runtime.instanceId, configHash: after, source: 'test' });
    for (const l of lines) {
      expect(l.runId, l.msg).toBe(holder.runtime.instanceId);
      expect(typeof l.configHash, l.msg).toBe('string');
    }
  });

  it('a field the caller logs is not overwritten by the stamp', () => {
    holder.logger.info({ configHash: 'the-callers-own' }, 'own field');
    expect(lines.find((l) => l.msg === 'own field')).toMatchObject({ configHash: 'the-callers-own', runId: holder.runtime.instanceId });
  });
});
