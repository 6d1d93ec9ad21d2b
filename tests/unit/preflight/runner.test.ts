/**
 * The preflight runner: a stage never throws out (an exception is a `fail`), never outlives its timeout on the
 * injected clock, `needs` skips a stage whose dependency failed, the report lists stages in definition order, and
 * GO means no stage failed (warnings and skips do not count). Plus the alerts a report and a health condition raise.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { fail, ok, runStages, skip, warn, type StageDef } from '../../../bot/preflight/runner';
import { reportLines } from '../../../bot/preflight';
import { botEventSchema } from '../../../lib/schemas/events';
import { alertFromEvent } from '../../../lib/schemas/trading';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('preflight runner', () => {
  it('turns exceptions and hangs into failures, skips dependants, keeps definition order', async () => {
    const clock = new SimClock(1_000_000);
    const order: string[] = [];
    const defs: StageDef[] = [
      { id: 'hang', title: 'hangs', run: () => new Promise(() => {}) },
      { id: 'boom', title: 'throws', run: () => Promise.reject(new Error('kaput')) },
      { id: 'sync-boom', title: 'throws synchronously', run: () => { throw new Error('sync kaput'); } },
      { id: 'dep', title: 'needs boom', needs: ['boom'], run: async () => ok('never') },
      { id: 'late', title: 'after hang', after: ['hang'], run: async () => (order.push('late'), warn('slow', 'wait')) },
      { id: 'fine', title: 'fine', run: async () => (order.push('fine'), ok('yes')) },
    ];
    const p = runStages(defs, { clock, mode: 'live', venue: 'test', trigger: 'doctor', stageTimeoutMs: 5_000 });
    await settle();
    clock.advanceBy(5_000);
    const r = await p;
    expect(r.stages.map((s) => s.id)).toEqual(['hang', 'boom', 'sync-boom', 'dep', 'late', 'fine']);
    expect(r.stages.map((s) => s.status)).toEqual(['fail', 'fail', 'fail', 'skip', 'warn', 'ok']);
    expect(r.stages[0]!.detail).toMatch(/timed out/);
    expect(r.stages[0]!.ms).toBe(5_000);
    expect(r.stages[1]!.detail).toBe('check failed: kaput');
    expect(r.stages[3]!.detail).toBe('skipped: throws failed');
    expect(order).toEqual(['fine', 'late']);
    expect(r.go).toBe(false);
    expect(r.summary).toBe('NO-GO (hang, boom, sync-boom)');
    const lines = reportLines(r);
    expect(lines[0]).toMatch(/^\[FAIL\] hangs: no answer within 5 s \(timed out\) — fix: /);
    expect(lines[4]).toBe('[WARN] after hang: slow — fix: wait');
    expect(lines.at(-1)).toMatch(/^SUMMARY: NO-GO \(hang, boom, sync-boom\)/);
  });

  it('is GO with warnings and skips', async () => {
    const clock = new SimClock(0);
    const r = await runStages(
      [
        { id: 'a', title: 'a', run: async () => ok('fine') },
        { id: 'b', title: 'b', run: async () => warn('meh') },
        { id: 'c', title: 'c', run: async () => skip('n/a') },
      ],
      { clock, mode: 'paper', venue: 'test', trigger: 'start' },
    );
    expect(r.go).toBe(true);
    expect(r.summary).toBe('GO (1 ok, 1 warn, 1 skipped)');
    expect(reportLines(r).at(-1)).toBe('SUMMARY: GO (1 ok, 1 warn, 1 skipped)');
  });

  it('a NO-GO that is news is an alert with the fix; a repeated one and a GO are not', async () => {
    const clock = new SimClock(0);
    const report = await runStages([{ id: 'clock', title: 'clock skew', run: async () => fail('-30.0 s vs venue', 'sync the clock') }], { clock, mode: 'live', venue: 'test', trigger: 'start' });
    const ev = (changed: boolean) => botEventSchema.parse({ type: 'preflight.report', seq: 1, tsEventMs: 0, tsRecvMs: 0, report, changed });
    expect(alertFromEvent(ev(true))).toMatchObject({ kind: 'preflight', severity: 'danger', title: 'preflight NO-GO (clock)', detail: 'clock skew: -30.0 s vs venue — fix: sync the clock' });
    expect(alertFromEvent(ev(false))).toBeUndefined();
    const cond = botEventSchema.parse({ type: 'health.condition', seq: 2, tsEventMs: 0, tsRecvMs: 0, condition: 'venue_unreachable', active: true, severity: 'warn', title: 'venue unreachable', detail: 'endpoint clob: ECONNREFUSED' });
    expect(alertFromEvent(cond)).toMatchObject({ kind: 'health', severity: 'warn', title: 'venue unreachable' });
  });
});
