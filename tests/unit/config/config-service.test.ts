/**
 * The config service: layer precedence and source reporting, apply / refuse / rollback over fake targets,
 * restart-required fields pending until a start, hash and journal, revert, optimistic concurrency and serialization,
 * profiles, the config.changed event and the audit trail.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFieldGroups, configTarget, hashConfig, isConfigError, stableStringify, type ConfigError } from '../../../bot/config';
import { openStore } from '../../../bot/store';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import { botEventSchema } from '../../../lib/schemas/events';
import { FakeTarget, openHarness, tempDir } from './helpers';

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (isConfigError(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const field = (h: ReturnType<typeof openHarness>, path: string) => h.svc.describe().find((f) => f.path === path)!;

describe('layers', () => {
  it('defaults ← profile ← file ← env ← console, and each field reports the layer its value came from', () => {
    const h = openHarness({
      env: { CONFIG_PROFILE: 'live', TRADING_MODE: 'paper', SIM_SEED: '7' },
      file: { risk: { maxUsdPerTrade: 20, maxDailyLossUsd: 90 }, sim: { seed: 3 }, heartbeatMs: 2000 },
    });
    expect(field(h, 'risk.maxTradesPerHour')).toMatchObject({ value: 30, source: 'profile', default: 120, hot: true });
    expect(field(h, 'risk.maxUsdPerTrade')).toMatchObject({ value: 20, source: 'file' });
    expect(field(h, 'risk.maxDailyLossUsd')).toMatchObject({ value: 90, source: 'file' });
    expect(field(h, 'sim.seed')).toMatchObject({ value: 7, source: 'env', hot: false });
    expect(field(h, 'mode')).toMatchObject({ value: 'paper', source: 'env', enum: ['paper', 'live', 'replay'] });
    expect(field(h, 'heartbeatMs')).toMatchObject({ value: 2000, source: 'file', minimum: 100, maximum: 60_000 });
    expect(field(h, 'venue')).toMatchObject({ value: 'sim', source: 'default' });
    // Strategy params: the profile replaced the whole list; fields it does not set are the strategy's defaults.
    expect(field(h, 'strategies.1.params.dMin')).toMatchObject({ value: 10, source: 'profile', default: 5, hot: true });
    expect(field(h, 'strategies.1.params.pHatModel')).toMatchObject({ value: 'twap', source: 'default', enum: ['twap', 'spot'] });
    expect(field(h, 'strategies.1.params.maxAttemptsPerWindow')).toMatchObject({ hot: false });

    h.svc.apply({ risk: { maxUsdPerTrade: 15 }, sim: { seed: 11 } }, 'op', 'console wins', 'local');
    expect(field(h, 'risk.maxUsdPerTrade')).toMatchObject({ value: 15, source: 'console' });
    expect(field(h, 'sim.seed')).toMatchObject({ value: 11, source: 'console' });
    // null resets the console edit: the layers below show again.
    h.svc.apply({ risk: { maxUsdPerTrade: null } }, 'op', 'reset', 'local');
    expect(field(h, 'risk.maxUsdPerTrade')).toMatchObject({ value: 20, source: 'file' });
    expect(h.svc.sources()).toMatchObject({ profile: { name: 'live', from: 'env' }, file: { exists: true }, envVars: ['TRADING_MODE', 'SIM_SEED', 'CONFIG_PROFILE'] });
  });

  it('a bad layer refuses the start naming the variable, the file or the field and its layer', () => {
    expect(refusal(() => openHarness({ env: { TRADING_MODE: 'yolo' } })).issues).toEqual([expect.objectContaining({ path: 'env.TRADING_MODE' })]);
    expect(refusal(() => openHarness({ env: { CONFIG_PROFILE: 'turbo' } })).issues[0]!.path).toBe('env.CONFIG_PROFILE');
    const dir = tempDir();
    expect(refusal(() => openHarness({ dir, file: '{ not json' })).issues[0]!.message).toContain(join(dir, 'config.json'));
    expect(refusal(() => openHarness({ file: '[1,2]' })).issues[0]!.message).toContain('JSON object');
    expect(refusal(() => openHarness({ file: '{"__proto__": {"risk": 1}}' })).issues[0]).toMatchObject({ path: '__proto__', rule: 'patch.forbidden_key' });
    const unknown = refusal(() => openHarness({ file: { risk: { maxUsdPerTrad: 1 } } }));
    expect(unknown.issues[0]).toMatchObject({ path: 'risk.maxUsdPerTrad', rule: 'schema.unrecognized_keys' });
    const unsafe = refusal(() => openHarness({ file: { risk: { maxUsdPerTrade: 60, maxDailyLossUsd: 50 } } }));
    expect(unsafe.issues[0]).toMatchObject({ path: 'risk.maxUsdPerTrade', rule: 'per-trade-within-daily-loss' });
    expect(unsafe.issues[0]!.message).toContain('from the file layer');
    expect(unsafe.message).toContain('risk.maxUsdPerTrade');
    const live = refusal(() => openHarness({ env: { TRADING_MODE: 'live' } }));
    expect(live.issues.map((i) => i.rule)).toEqual(['live-needs-credentials']);
  });
});

describe('apply, refuse, rollback', () => {
  it('hot fields reach every concerned target at once; restart fields stay pending', () => {
    const h = openHarness();
    const start = h.svc.effective();
    const risk = new FakeTarget('risk', configFieldGroups.risk, start);
    const strategies = new FakeTarget('strategies', configFieldGroups.strategies, start);
    const heartbeat = new FakeTarget('heartbeat', configFieldGroups.heartbeat, start);
    for (const t of [risk, strategies, heartbeat]) h.svc.register(t);
    const r = h.svc.apply({ risk: { maxUsdPerTrade: 25 }, sim: { seed: 9 }, autoStart: false }, 'op', 'tighten', '10.0.0.5');
    expect(r).toMatchObject({ applied: true, changed: true, version: 2, hot: ['risk.maxUsdPerTrade'] });
    expect(r.pending.map((c) => c.path)).toEqual(['autoStart', 'sim.seed']);
    expect(risk.state.risk.maxUsdPerTrade).toBe(25);
    expect(risk.state.sim.seed).toBe(42); // targets get the running config: restart fields untouched
    expect(strategies.applies$ + heartbeat.applies$).toBe(0);
    expect(h.svc.effective().risk.maxUsdPerTrade).toBe(25);
    expect(h.svc.effective().sim.seed).toBe(42);
    expect(h.svc.desired().sim.seed).toBe(9);
    expect(h.svc.pending().map((c) => c.path)).toEqual(['autoStart', 'sim.seed']);
    expect(h.svc.history(1)[0]).toMatchObject({ version: 2, status: 'pending', actor: 'op', source: '10.0.0.5', reason: 'tighten' });
    // A later change keeps the pending ones pending (and supersedes the earlier pending version).
    h.svc.apply({ heartbeatMs: 500 }, 'op', 'faster', 'local');
    expect(heartbeat.state.heartbeatMs).toBe(500);
    expect(h.svc.history(2).map((v) => v.status)).toEqual(['pending', 'superseded']);
    // At a start the pending changes become live.
    const next = h.svc.pendingApplied();
    expect(next.sim.seed).toBe(9);
    expect(h.svc.pending()).toEqual([]);
    expect(h.svc.history(1)[0]!.status).toBe('applied');
    expect(h.events.filter((e) => e.type === 'config.changed').map((e) => (e as { kind: string }).kind)).toEqual(['apply', 'apply', 'restart']);
  });

  it('strategy instances: add, remove, enable and params are hot; a type change or a cold param is pending', () => {
    const h = openHarness();
    const t = new FakeTarget('strategies', configFieldGroups.strategies, h.svc.effective());
    const budgets = new FakeTarget('budgets', configFieldGroups.budgets, h.svc.effective());
    h.svc.register(t);
    h.svc.register(budgets);
    const list = defaultRuntimeConfig().strategies.filter((s) => s.id !== 'trend-window');
    list.push({ id: 'hammer-b', type: 'hammer', budgetUsd: 5, params: { dMin: 9 } });
    list[0]!.params = { enabled: false, maxStopOrders: 2 };
    list[1]!.budgetUsd = 45;
    const r = h.svc.apply({ strategies: list }, 'op', 'rework', 'local');
    expect(r.hot.sort()).toEqual(['strategies.hammer-b', 'strategies.hammer.budgetUsd', 'strategies.time-bucket.params.enabled', 'strategies.trend-window'].sort());
    expect(r.pending.map((c) => c.path)).toEqual(['strategies.time-bucket.params.maxStopOrders']);
    expect(t.state.strategies.map((s) => s.id)).toEqual(['time-bucket', 'hammer', 'late-sweep', 'maker', 'hammer-b']);
    expect(t.state.strategies[0]!.params).toEqual({ enabled: false });
    expect(budgets.state.strategies[1]!.budgetUsd).toBe(45);
    const typeChange = h.svc.desired().strategies.map((s) => (s.id === 'hammer-b' ? { ...s, type: 'late-sweep', params: {} } : s));
    const r2 = h.svc.apply({ strategies: typeChange }, 'op', 'retype', 'local');
    expect(r2.hot).toEqual([]);
    expect(r2.pending.map((c) => c.path)).toContain('strategies.hammer-b');
    expect(t.state.strategies.find((s) => s.id === 'hammer-b')!.type).toBe('hammer');
  });

  it('a throwing target leaves every target, the journal, the layers and the version as before', () => {
    const h = openHarness();
    const start = h.svc.effective();
    const a = new FakeTarget('risk', configFieldGroups.risk, start);
    const b = new FakeTarget('strategies', configFieldGroups.strategies, start, (n) => n.strategies.some((s) => s.params.dMin === 13));
    const c = new FakeTarget('heartbeat', configFieldGroups.heartbeat, start);
    [a, b, c].forEach((t) => h.svc.register(t));
    const before = { version: h.svc.version, hash: h.svc.hash, desired: h.svc.desired(), layers: h.svc.layers(), history: h.svc.history(10) };
    const list = defaultRuntimeConfig().strategies.map((s) => (s.id === 'hammer' ? { ...s, params: { dMin: 13 } } : s));
    const err = refusal(() => h.svc.apply({ risk: { maxUsdPerTrade: 11 }, heartbeatMs: 700, strategies: list }, 'op', 'boom', 'local'));
    expect(err.kind).toBe('refused');
    expect(err.issues).toEqual([expect.objectContaining({ path: 'strategies.hammer.params.dMin', rule: 'target' })]);
    expect(err.issues[0]!.message).toContain('strategies refused the change: strategies cannot take it; nothing was applied');
    expect(a.state).toEqual(start); // applied, then rolled back
    expect(a.calls).toEqual(['apply', 'apply']);
    expect(c.calls).toEqual([]); // never reached
    expect({ version: h.svc.version, hash: h.svc.hash, desired: h.svc.desired(), layers: h.svc.layers(), history: h.svc.history(10) }).toEqual(before);
    expect(h.store.config.latestVersion()).toBe(1);
    expect(h.events.some((e) => e.type === 'config.changed')).toBe(false);
    expect(h.store.audit.recent(1)[0]).toMatchObject({ actor: 'op', action: 'config.apply.refused' });
  });

  it('refusals name every field and rule and change nothing; a dry run applies nothing', () => {
    const h = openHarness();
    const t = new FakeTarget('risk', configFieldGroups.risk, h.svc.effective());
    h.svc.register(t);
    const err = refusal(() =>
      h.svc.apply({ risk: { maxUsdPerTrade: 500, bogus: 1 }, heartbeatMs: 5, strategies: [{ id: 'Bad Id', type: 'nope' }] }, 'op', 'x', 'local'),
    );
    expect(err.issues.map((i) => `${i.path} ${i.rule}`).sort()).toEqual(
      [
        'risk.bogus schema.unrecognized_keys',
        'heartbeatMs schema.too_small',
        'strategies.0.id schema.invalid_format',
        'risk.maxUsdPerTrade per-trade-within-daily-loss',
      ].sort(),
    );
    expect(h.svc.version).toBe(1);
    const dry = h.svc.apply({ risk: { maxUsdPerTrade: 12 } }, 'op', 'try', 'local', { dryRun: true });
    expect(dry).toMatchObject({ applied: false, dryRun: true, changed: true, version: 1, hot: ['risk.maxUsdPerTrade'] });
    expect(dry.diff).toEqual([{ path: 'risk.maxUsdPerTrade', from: 50, to: 12, hot: true }]);
    expect(t.applies$).toBe(0);
    expect(h.svc.version).toBe(1);
    expect(h.svc.effective().risk.maxUsdPerTrade).toBe(50);
    const same = h.svc.apply({}, 'op', 'nothing', 'local');
    expect(same).toMatchObject({ applied: false, changed: false, version: 1 });
    // Deleting a key no layer has (found by the B17 fuzz) is a no-op too, not a new version with an empty diff.
    const ghost = h.svc.apply({ sim: { '<script>': null }, risk: { nothere: null } }, 'op', 'delete nothing', 'local');
    expect(ghost).toMatchObject({ applied: false, changed: false, version: 1, diff: [] });
    expect(h.svc.version).toBe(1);
    // ... but an unknown section is refused even when its value is an empty object.
    expect(refusal(() => h.svc.apply({ riskk: {} }, 'op', 'typo', 'local')).issues.map((i) => `${i.path} ${i.rule}`)).toEqual(['riskk schema.unrecognized_keys']);
    expect(h.svc.version).toBe(1);
  });
});

describe('journal, hash, revert', () => {
  it('hash is the sha256 of stable JSON; history keeps every version with actor, source, reason and diff', () => {
    const h = openHarness();
    expect(h.svc.hash).toBe(hashConfig(h.svc.desired()));
    expect(hashConfig({ b: 1, a: { d: [1, 2], c: null } })).toBe(hashConfig({ a: { c: null, d: [1, 2] }, b: 1 }));
    expect(stableStringify({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    h.svc.apply({ risk: { maxTradesPerHour: 60 } }, 'alice', 'calmer', '192.168.1.2');
    h.svc.apply({ heartbeatMs: 2500 }, 'bob', 'slower heartbeat', 'local');
    const hist = h.svc.history(10);
    expect(hist.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(hist[1]).toMatchObject({ actor: 'alice', source: '192.168.1.2', reason: 'calmer', diff: [{ path: 'risk.maxTradesPerHour', from: 120, to: 60, hot: true }] });
    expect(hist[2]).toMatchObject({ actor: 'system', source: 'startup', reason: 'initial configuration' });
    for (const v of hist) expect(hashConfig(h.store.config.get(v.version)!.config)).toBe(v.hash);
    expect(h.svc.history(1)).toHaveLength(1);
    const audit = h.store.audit.recent(5).map((a) => a.action);
    expect(audit.slice(0, 2)).toEqual(['config.apply', 'config.apply']);
    expect(h.store.audit.recent(1)[0]!.detail).toMatchObject({ version: 3, reason: 'slower heartbeat', source: 'local', hot: ['heartbeatMs'] });
  });

  it('revert brings an earlier version back exactly (hash equal), as a new version', () => {
    const h = openHarness();
    const t = new FakeTarget('risk', configFieldGroups.risk, h.svc.effective());
    h.svc.register(t);
    h.svc.apply({ risk: { maxUsdPerTrade: 30 } }, 'op', 'v2', 'local');
    const v2 = h.svc.hash;
    h.svc.apply({ risk: { maxUsdPerTrade: 35, maxTradesPerHour: 10 }, sim: { seed: 5 } }, 'op', 'v3', 'local');
    const r = h.svc.revert(2, 'op', 'too aggressive', 'local');
    expect(r).toMatchObject({ applied: true, version: 4, hash: v2 });
    expect(r.note).toBeUndefined();
    expect(t.state.risk).toMatchObject({ maxUsdPerTrade: 30, maxTradesPerHour: 120 });
    expect(h.svc.pending()).toEqual([]); // the seed change never ran, and is gone again
    expect(h.svc.history(1)[0]).toMatchObject({ version: 4, reason: 'revert to version 2: too aggressive' });
    expect(refusal(() => h.svc.revert(99, 'op', 'x', 'local')).kind).toBe('not_found');
  });

  it('restart-required changes survive a restart of the process and are applied by it; changed layers journal a startup version', () => {
    const dir = tempDir();
    const file = join(dir, 'db.sqlite');
    const h1 = openHarness({ dir, store: openStore(file) });
    h1.svc.apply({ sim: { speed: 4 } }, 'op', 'faster sim', 'local');
    expect(h1.svc.history(1)[0]!.status).toBe('pending');
    h1.store.close();
    const h2 = openHarness({ dir, store: openStore(file) });
    expect(h2.svc.effective().sim.speed).toBe(4);
    expect(h2.svc.version).toBe(2);
    expect(h2.svc.history(1)[0]!.status).toBe('applied');
    expect(h2.store.audit.recent(1)[0]!.action).toBe('config.pending_applied');
    h2.store.close();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ heartbeatMs: 3000 }));
    const h3 = openHarness({ dir, store: openStore(file), env: { SIM_SEED: '8' } });
    expect(h3.svc.version).toBe(3);
    expect(h3.svc.history(1)[0]).toMatchObject({ source: 'startup', reason: 'start: the config file, environment or profile changed' });
    expect(h3.svc.history(1)[0]!.diff.map((d) => d.path)).toEqual(['sim.seed', 'heartbeatMs']);
    expect(h3.svc.effective().sim.speed).toBe(4); // the console edit is still there
    h3.store.close();
  });
});

describe('concurrency', () => {
  it('expectVersion: a stale edit gets a conflict, not a silent overwrite', () => {
    const h = openHarness();
    const seen = h.svc.version;
    h.svc.apply({ risk: { maxUsdPerTrade: 40 } }, 'alice', 'first', 'local', { expectVersion: seen });
    const err = refusal(() => h.svc.apply({ risk: { maxUsdPerTrade: 45 } }, 'bob', 'second', 'local', { expectVersion: seen }));
    expect(err.kind).toBe('conflict');
    expect(err.message).toContain('version 2, not 1');
    expect(h.svc.desired().risk.maxUsdPerTrade).toBe(40);
  });

  it('a version written by another process is a conflict for an edit that expected the old one', () => {
    const dir = tempDir();
    const file = join(dir, 'db.sqlite');
    const server = openHarness({ dir, store: openStore(file) });
    const cli = openHarness({ dir, store: openStore(file), mode: 'offline' });
    cli.svc.apply({ heartbeatMs: 900 }, 'cli', 'offline edit', 'cli');
    expect(refusal(() => server.svc.apply({ heartbeatMs: 800 }, 'op', 'x', 'local', { expectVersion: server.svc.version })).kind).toBe('conflict');
    server.store.close();
    cli.store.close();
  });

  it('one change at a time: a change started from inside another is refused as a conflict', () => {
    const h = openHarness();
    let inner: unknown;
    h.svc.register(
      configTarget('nested', configFieldGroups.heartbeat, () => {
        try {
          h.svc.apply({ risk: { maxUsdPerTrade: 1 } }, 'op', 'nested', 'local');
        } catch (err) {
          inner = err;
        }
      }),
    );
    h.svc.apply({ heartbeatMs: 1500 }, 'op', 'outer', 'local');
    expect(isConfigError(inner) && inner.kind).toBe('conflict');
    expect(h.svc.version).toBe(2);
    expect(h.svc.desired().risk.maxUsdPerTrade).toBe(50);
  });
});

describe('profiles and events', () => {
  it('choosing a profile drops console edits of its fields, reports file/env overrides, and persists the choice', () => {
    const dir = tempDir();
    const file = join(dir, 'db.sqlite');
    const h = openHarness({ dir, store: openStore(file), file: { risk: { maxDailyLossUsd: 60 } } });
    h.svc.apply({ risk: { maxUsdPerTrade: 30, errorCooldownSec: 5 }, heartbeatMs: 1200 }, 'op', 'mine', 'local');
    const r = h.svc.selectProfile('live', 'op', 'going live', 'local');
    expect(r.shadowed).toEqual(['risk.maxDailyLossUsd']);
    const cfg = h.svc.desired();
    expect(cfg.risk).toMatchObject({ maxUsdPerTrade: 10, errorCooldownSec: 60, maxDailyLossUsd: 60 });
    expect(cfg.heartbeatMs).toBe(1200); // not a profile field: the console edit stays
    expect(cfg.mode).toBe('paper'); // profiles never arm live trading
    expect(h.svc.profiles().active).toEqual({ name: 'live', from: 'console' });
    h.store.close();
    const again = openHarness({ dir, store: openStore(file), env: { CONFIG_PROFILE: 'high_vol' } });
    expect(again.svc.profile()).toEqual({ name: 'live', from: 'console' });
    again.store.close();
  });

  it('config.changed carries version, hash, actor, a bounded diff and the hot / pending lists, and parses with the event schema', () => {
    const h = openHarness();
    h.svc.apply({ risk: { maxUsdPerTrade: 33 }, venue: 'polymarket' }, 'op', 'both kinds', 'local');
    const e = h.events.find((x) => x.type === 'config.changed')!;
    expect(botEventSchema.parse(e)).toMatchObject({
      type: 'config.changed',
      version: 2,
      hash: h.svc.hash,
      kind: 'apply',
      actor: 'op',
      reason: 'both kinds',
      changed: 2,
      hot: ['risk.maxUsdPerTrade'],
      pending: ['venue'],
      diff: [
        { path: 'venue', from: '"sim"', to: '"polymarket"', hot: false },
        { path: 'risk.maxUsdPerTrade', from: '50', to: '33', hot: true },
      ],
    });
  });
});
