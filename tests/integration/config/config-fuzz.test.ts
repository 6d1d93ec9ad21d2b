/**
 * Config fuzz: seeded random and hostile requests at PATCH /api/config (the real route handler behind withApi):
 * NaN / Infinity / huge numbers, wrong types, unknown keys, `__proto__` / `constructor` / `prototype` keys, deeply
 * nested junk, script strings, oversized bodies, wrong content types, non-JSON, stale versions — mixed with valid
 * edits. After every request: no 5xx; a refusal leaves config, version, hash, running config and targets exactly as
 * they were and names the field (422: every entry has a path) or the body problem (400/413/415: a message); an
 * accepted change is a whole valid config (schema, strategy schemas, guardrails) with the version one higher, and
 * the target saw exactly the running config. Reproducible: the generator is the seeded Prng.
 * B17 audit: every request leaves exactly one audit row (`config.apply` with the version and diff when applied,
 * `config.apply.*` otherwise) with the operator and the source address — except a dry run the body schema accepted,
 * which is a preview and leaves none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { configFieldGroups, hashConfig, validateConfig } from '../../../bot/config';
import { Prng } from '../../../bot/util/prng';
import { apiErrorCodes } from '../../../lib/schemas/api';
import { configPatchRequestSchema } from '../../../lib/schemas/config-api';
import { FakeTarget, openHarness } from '../../unit/config/helpers';
import { callRoute, installHolder } from './api-harness';

const KEY = Symbol.for('updown.runtime.v1');

/** A request the route will treat as a dry run: JSON, the right content type, and a body the schema accepts with dryRun. */
function parsedDryRun(req: { raw: string; type: string }): boolean {
  if (!req.type.includes('application/json')) return false;
  try {
    const body = configPatchRequestSchema.safeParse(JSON.parse(req.raw));
    return body.success && body.data.dryRun === true;
  } catch {
    return false;
  }
}

const SEED = 20261201;
const ROUNDS = 600;

const KNOWN: Record<string, string[]> = {
  '': ['mode', 'venue', 'autoStart', 'series', 'risk', 'sim', 'strategies', 'heartbeatMs'],
  risk: ['maxUsdPerTrade', 'maxDailyLossUsd', 'maxTradesPerHour', 'maxExposurePerWindowUsd', 'maxTotalExposureUsd', 'errorCooldownSec', 'staleFeedSec', 'allowSpotOnlyTrading'],
  sim: ['seed', 'speed'],
  params: ['dMin', 'hammerSecs', 'watchReturnThreshold', 'maxEntryPrice', 'enabled', 'pHatModel', 'slFloor', 'entryBidThreshold', 'maxAttemptsPerWindow'],
};
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', '$where', 'a.b', '🙂', '<script>'];
const STRINGS = ['<script>alert(1)</script>', "'; DROP TABLE config_versions; --", '../../etc/passwd', '\u0000', 'live', 'paper', 'hammer', 'x'.repeat(300), '1e400', 'NaN'];
const NUMBERS = [0, -0, -1, 1, 0.5, 0.99, 0.991, 1.0000001, 1e-300, 5e-324, 2 ** 53 + 1, 1e21, 1e308, -1e308, 123456789, 3.14159];

function value(rng: Prng, depth: number): unknown {
  switch (rng.int(0, 8)) {
    case 0:
      return NUMBERS[rng.int(0, NUMBERS.length - 1)];
    case 1:
      return STRINGS[rng.int(0, STRINGS.length - 1)];
    case 2:
      return rng.chance(0.5);
    case 3:
      return null;
    case 4:
      return depth < 4 ? Array.from({ length: rng.int(0, 3) }, () => value(rng, depth + 1)) : [];
    case 5:
      return depth < 4 ? object(rng, depth + 1, 'params') : {};
    case 6:
      return rng.int(1, 200);
    default:
      return rng.next();
  }
}

function object(rng: Prng, depth: number, level: string): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const key = rng.chance(0.15) ? HOSTILE_KEYS[rng.int(0, HOSTILE_KEYS.length - 1)]! : rng.chance(0.1) ? `k${rng.hex(2)}` : KNOWN[level]![rng.int(0, KNOWN[level]!.length - 1)]!;
    const v = key === 'risk' || key === 'sim' ? object(rng, depth + 1, key) : key === 'strategies' ? strategies(rng) : value(rng, depth);
    Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

function strategies(rng: Prng): unknown {
  if (rng.chance(0.2)) return value(rng, 3);
  const types = ['time-bucket', 'hammer', 'late-sweep', 'trend-window', 'two-sided-maker', 'nope', '<script>'];
  return Array.from({ length: rng.int(0, rng.chance(0.1) ? 20 : 5) }, (_, i) => ({
    id: rng.chance(0.9) ? `s${i}` : STRINGS[rng.int(0, STRINGS.length - 1)],
    type: types[rng.int(0, types.length - 1)],
    ...(rng.chance(0.7) ? { budgetUsd: NUMBERS[rng.int(0, NUMBERS.length - 1)] } : {}),
    params: rng.chance(0.8) ? object(rng, 2, 'params') : value(rng, 3),
  }));
}

/** A valid hot edit (should be accepted unless a guardrail says no). */
function validEdit(rng: Prng): Record<string, unknown> {
  const daily = rng.int(20, 500);
  return { risk: { maxDailyLossUsd: daily, maxUsdPerTrade: rng.int(1, daily), staleFeedSec: rng.int(1, 30) }, heartbeatMs: rng.int(100, 10_000) };
}

interface Req {
  raw: string;
  type: string;
  kind: string;
}

function request(rng: Prng, version: number): Req {
  const json = (body: unknown, kind: string): Req => ({ raw: JSON.stringify(body), type: 'application/json', kind });
  switch (rng.int(0, 13)) {
    case 0:
      return json({ patch: validEdit(rng), reason: 'fuzz valid edit', expectVersion: version, dryRun: rng.chance(0.2) }, 'valid');
    case 1:
      return json({ patch: validEdit(rng), reason: 'stale', expectVersion: Math.max(1, version - rng.int(1, 3)) }, 'stale');
    case 2: {
      // Non-finite and out-of-range numbers JSON.stringify cannot carry: written as literals.
      const lit = ['NaN', 'Infinity', '-Infinity', '1e309', '-1e400', '1e308', '0x10', '01', '.5', '+1'][rng.int(0, 9)];
      const path = ['"risk":{"maxUsdPerTrade":%}', '"heartbeatMs":%', '"sim":{"seed":%}', '"strategies":[{"id":"h","type":"hammer","params":{"dMin":%}}]'][rng.int(0, 3)]!;
      return { raw: `{"patch":{${path.replace('%', lit!)}},"reason":"fuzz numbers"}`, type: 'application/json', kind: 'numbers' };
    }
    case 3: {
      const where = ['', '"risk":{%}', '"strategies":[{"id":"a","type":"hammer","params":{%}}]', '"sim":{%}'][rng.int(0, 3)]!;
      const key = ['__proto__', 'constructor', 'prototype'][rng.int(0, 2)];
      const inner = `"${key}":{"polluted":true,"maxUsdPerTrade":1}`;
      return { raw: `{"patch":{${where ? where.replace('%', inner) : inner}},"reason":"fuzz proto"}`, type: 'application/json', kind: 'proto' };
    }
    case 4: {
      const depth = rng.int(13, 400);
      return { raw: `{"patch":${'{"risk":'.repeat(1)}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}},"reason":"fuzz deep"}`, type: 'application/json', kind: 'deep' };
    }
    case 5:
      return { raw: JSON.stringify({ patch: { risk: { maxUsdPerTrade: 1 } }, reason: 'x'.repeat(rng.int(65_600, 200_000)) }), type: 'application/json', kind: 'oversized' };
    case 6:
      return { raw: JSON.stringify({ patch: validEdit(rng), reason: 'wrong type' }), type: ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', ''][rng.int(0, 3)]!, kind: 'content-type' };
    case 7: {
      const junk = ['{', '}', 'null', '[]', '"str"', '{"patch":', 'patch=1&reason=x', '\u0000\u0001', '{"patch":{},"reason":"abc",}', rng.hex(40)][rng.int(0, 9)]!;
      return { raw: junk, type: 'application/json', kind: 'non-json' };
    }
    case 8:
      return json({ patch: value(rng, 0), reason: 'fuzz patch shape' }, 'shape');
    case 9:
      return json({ patch: {}, reason: 'fuzz body', [HOSTILE_KEYS[rng.int(0, HOSTILE_KEYS.length - 1)]!]: 1, ...(rng.chance(0.5) ? { dryRun: 'yes' } : {}) }, 'body-keys');
    default:
      return json({ patch: object(rng, 0, ''), reason: STRINGS[rng.int(0, STRINGS.length - 1)]!.slice(0, 500) || 'fuzz', ...(rng.chance(0.3) ? { dryRun: true } : {}) }, 'random');
  }
}

describe('config fuzz: PATCH /api/config', () => {
  const h = openHarness();
  const target = new FakeTarget('all-hot', () => true, h.svc.effective());
  h.svc.register(target);
  const restore = installHolder(h.svc);
  // withApi writes the audit rows of refused bodies through the runtime's store: give the holder one (the service's).
  (globalThis as Record<symbol, { runtime?: unknown }>)[KEY]!.runtime = { store: h.store, clock: h.clock };
  afterAll(restore);
  const guard = { hasLiveCredentials: () => false, host: '127.0.0.1', consoleTokenSet: false };

  it(`B17: ${ROUNDS} seeded hostile and valid requests: nothing unsafe accepted, nothing partly applied, every refusal named, one audit row each, no 5xx`, async () => {
    const rng = new Prng(SEED);
    const counts: Record<string, number> = {};
    let accepted = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const before = { version: h.svc.version, hash: h.svc.hash, desired: h.svc.desired(), running: h.svc.effective(), target: target.state, journal: h.store.config.latestVersion() };
      const req = request(rng, before.version);
      const lastAudit = h.store.audit.recent(1)[0]?.id ?? 0;
      const r = await callRoute('PATCH', '/api/config', { raw: req.raw, headers: { ...(req.type ? { 'content-type': req.type } : {}), 'x-forwarded-for': '127.0.0.1' } });
      const tag = `round ${i} (${req.kind}) ${req.raw.slice(0, 200)} -> ${r.status} ${r.text.slice(0, 300)}`;
      const rows = h.store.audit.recent(5).filter((e) => e.id > lastAudit);
      if (parsedDryRun(req)) expect(rows, tag).toEqual([]);
      else {
        expect(rows.length, tag).toBe(1);
        expect(rows[0]!.actor, tag).toBe('operator(local)');
        expect(rows[0]!.detail.source, tag).toBe('127.0.0.1');
        expect(rows[0]!.action, tag).toMatch(r.status === 200 ? /^config\.apply(\.unchanged)?$/ : /^config\.apply\.(refused|conflict)$/);
        if (rows[0]!.action === 'config.apply') {
          expect(rows[0]!.detail.version, tag).toBe(h.svc.version);
          // The row's diff names the same fields the answer does (from/to summarised).
          const answered = (r.json.diff as { path: string }[]).map((d) => d.path);
          expect((rows[0]!.detail.diff as { path: string }[]).map((d) => d.path), tag).toEqual(answered);
        }
      }
      counts[`${req.kind}:${r.status}`] = (counts[`${req.kind}:${r.status}`] ?? 0) + 1;
      expect(r.status, tag).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted, tag).toBeUndefined();
      if (r.status !== 200) {
        const err = r.json.error as { code: string; message: string; fields?: { path: string; message: string }[] };
        expect(apiErrorCodes, tag).toContain(err.code);
        expect(err.message.length, tag).toBeGreaterThan(0);
        if (r.status === 422) {
          expect(err.fields?.length, tag).toBeGreaterThan(0);
          for (const f of err.fields!) expect(f.path.length > 0 && f.message.length > 0, tag).toBe(true);
        } else expect([400, 409, 413, 415], tag).toContain(r.status);
        expect({ version: h.svc.version, hash: h.svc.hash, desired: h.svc.desired(), running: h.svc.effective(), target: target.state, journal: h.store.config.latestVersion() }, tag).toEqual(before);
        continue;
      }
      const res = r.json as { applied: boolean; changed: boolean; version: number; hash: string };
      if (!res.applied) {
        expect(h.svc.version, tag).toBe(before.version);
        expect(h.svc.hash, tag).toBe(before.hash);
        continue;
      }
      accepted++;
      expect(res.version, tag).toBe(before.version + 1);
      expect(h.store.config.latestVersion(), tag).toBe(res.version);
      expect(res.hash, tag).toBe(hashConfig(h.svc.desired()));
      expect(validateConfig(h.svc.desired(), guard).issues, tag).toEqual([]);
      expect(validateConfig(h.svc.effective(), guard).issues, tag).toEqual([]);
      expect(target.state, tag).toEqual(h.svc.effective());
    }
    // The mix really exercised both sides.
    expect(accepted).toBeGreaterThan(20);
    for (const kind of ['numbers', 'proto', 'deep', 'oversized', 'content-type', 'non-json', 'random']) {
      expect(Object.keys(counts).some((k) => k.startsWith(`${kind}:`) && !k.endsWith(':200')), `${kind} refused at least once: ${JSON.stringify(counts)}`).toBe(true);
    }
    expect(configFieldGroups.risk('risk.maxUsdPerTrade')).toBe(true);
  });
});
