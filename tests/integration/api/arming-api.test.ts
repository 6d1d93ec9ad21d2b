/**
 * GET/POST /api/arming over the real route handlers (withApi: origin and token checks, the zod body, the closed
 * error list) and `--arm` at boot (lib/server/boot.ts armAtStart), on a paper runtime, a bare runtime and a live
 * runtime on the embedded simulator (SimClock, a freshly generated wallet):
 * - refusals never change anything and are never 5xx: wrong confirmation / missing reason -> 422 with the field path,
 *   paper or bare runtime -> 409, not ready (not running, preflight not finished, kill switch halted) -> 409 with why;
 * - `--arm` waits for the preflight GO and arms as operator(cli); a paper runtime logs a warning and carries on;
 * - arm with the typed confirmation -> armed, audited with the request's actor, `arming.changed` published, the
 *   execution gate lets orders through; disarm (one call) -> refused at once and our resting order cancelled at the
 *   venue before the answer.
 */
import { Wallet } from '@ethersproject/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { orderMarketInfo } from '../../../bot/markets';
import { ARM_CONFIRMATION } from '../../../bot/risk';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import type { Logger } from '../../../bot/util/logger';
import { ARM_CONFIRMATION_TEXT, armingStatusSchema, statusSchema } from '../../../lib/schemas/api';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';
import { armAtStart } from '../../../lib/server/boot';
import type { RuntimeHolder } from '../../../lib/server/runtime-registry';
import { armingGetRoute, armingPostRoute } from '../../../lib/server/routes';
import { driveUntil } from '../sim/helpers';

const KEY = Symbol.for('updown.runtime.v1');
const ORIGIN = 'http://127.0.0.1:3000';
const DAY0_MS = 1791158400_000;
const TOKEN = 'arming-test-token-0123';

interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function captureLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => void lines.push({ level, obj, msg });
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal') } as unknown as Logger;
}

/** Put a holder where getRuntimeHolder() looks (the routes read runtime, env and shuttingDown from it). */
function install(runtime: Runtime, env: { CONSOLE_TOKEN?: string } = {}, logs: LogLine[] = []): { holder: RuntimeHolder; restore: () => void } {
  const g = globalThis as Record<symbol, unknown>;
  const prev = g[KEY];
  const holder = { runtime, env: { ...env }, logger: captureLogger(logs), shuttingDown: false } as unknown as RuntimeHolder;
  g[KEY] = holder;
  return {
    holder,
    restore: () => {
      g[KEY] = prev;
    },
  };
}

interface Reply {
  status: number;
  json: Record<string, unknown> & { error?: { code: string; message: string; fields?: { path: string; message: string }[] } };
}

async function call(method: 'GET' | 'POST', body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const route = method === 'GET' ? armingGetRoute : armingPostRoute;
  const h: Record<string, string> = { host: '127.0.0.1:3000', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers };
  const res = await route(new Request(`${ORIGIN}/api/arming`, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
  return { status: res.status, json: (await res.json()) as Reply['json'] };
}

const fieldPaths = (r: Reply) => (r.json.error?.fields ?? []).map((f) => f.path);

describe('/api/arming contract', () => {
  it('the console types the same confirmation the runtime checks', () => {
    expect(ARM_CONFIRMATION_TEXT).toBe(ARM_CONFIRMATION);
  });
});

describe('/api/arming on a paper runtime and a bare runtime', () => {
  let paper: Runtime;
  let bare: Runtime;
  beforeAll(() => {
    const clock = new SimClock(DAY0_MS);
    paper = createRuntime({ instanceId: 'arm-paper', version: 't', config: runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim' }), clock, store: openStore(':memory:') });
    bare = createRuntime({ instanceId: 'arm-bare', version: 't', config: runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim' }), clock, store: openStore(':memory:'), bare: true });
  });
  afterAll(async () => {
    await paper?.dispose('test done');
    await bare?.dispose('test done');
  });

  it('paper: GET says arming is not required; arm is 409 (not 5xx), audited as refused; disarm is a harmless 200; --arm logs a warning', async () => {
    const logs: LogLine[] = [];
    const { holder, restore } = install(paper, {}, logs);
    try {
      const get = await call('GET');
      expect(get.status).toBe(200);
      expect(armingStatusSchema.parse(get.json)).toEqual({ required: false, armed: false, sinceMs: null, actor: null, reason: null, armWhenReady: false });
      expect(statusSchema.parse(paper.status()).arming).toEqual(get.json);

      const arm = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'try on paper' });
      expect(arm.status).toBe(409);
      expect(arm.json.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/paper: there is nothing to arm/) });
      expect(paper.store.audit.recent(1)[0]).toMatchObject({ actor: 'operator(local)', action: 'arming.refused', detail: { code: 'not_required', reason: 'try on paper' } });

      const disarm = await call('POST', { action: 'disarm' });
      expect(disarm.status).toBe(200);
      expect(disarm.json).toMatchObject({ required: false, armed: false });

      expect(armAtStart(holder)).toBe('skipped');
      expect(logs.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringMatching(/^--arm ignored: this runtime trades on paper/)]);
      expect(paper.status().arming.armWhenReady).toBe(false);
    } finally {
      restore();
    }
  });

  it('bare runtime (no venue session): arm 409, disarm 200', async () => {
    const { restore } = install(bare);
    try {
      expect(bare.session).toBeUndefined();
      const arm = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'bare' });
      expect(arm.status).toBe(409);
      expect(arm.json.error?.message).toMatch(/no venue session/);
      expect((await call('POST', { action: 'disarm', reason: 'x' })).status).toBe(200);
    } finally {
      restore();
    }
  });

  it('body and request problems: 422 with field paths for a bad body (strict, discriminated), 403 cross-origin, 401 without the token', async () => {
    const { restore } = install(paper, { CONSOLE_TOKEN: TOKEN });
    try {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const unknownAction = await call('POST', { action: 'fire', reason: 'x' }, auth);
      expect(unknownAction.status).toBe(422);
      expect(fieldPaths(unknownAction)).toEqual(['action']);
      const extra = await call('POST', { action: 'disarm', reason: 'x', confirm: 'ARM LIVE' }, auth);
      expect(extra.status).toBe(422);
      expect(extra.json.error?.code).toBe('validation_failed');
      const noConfirm = await call('POST', { action: 'arm', reason: 'a reason' }, auth);
      expect(noConfirm.status).toBe(422);
      expect(fieldPaths(noConfirm)).toEqual(['confirm']);
      const noReason = await call('POST', { action: 'arm', confirm: 'ARM LIVE' }, auth);
      expect(noReason.status).toBe(422);
      expect(fieldPaths(noReason)).toEqual(['reason']);
      const shortReason = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: '  a  ' }, auth);
      expect(fieldPaths(shortReason)).toEqual(['reason']);
      expect((await call('POST', { action: 'disarm' }, { ...auth, origin: 'http://evil.example' })).status).toBe(403);
      expect((await call('POST', { action: 'disarm' }, { ...auth, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
      const noToken = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'no token' });
      expect(noToken.status).toBe(401);
      expect((await call('GET')).status).toBe(200); // reading needs no token
    } finally {
      restore();
    }
  });
});

describe('/api/arming on a live runtime on the embedded simulator', () => {
  let rt: Runtime;
  let clock: SimClock;
  let restore: () => void;
  let holder: RuntimeHolder;
  const logs: LogLine[] = [];
  const events: Extract<BotEvent, { type: 'arming.changed' }>[] = [];
  const auth = { authorization: `Bearer ${TOKEN}` };
  const settle = async (turns = 6) => {
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 1));
  };

  beforeAll(() => {
    clock = new SimClock(DAY0_MS + 20_000);
    const config = runtimeConfigSchema.parse({ mode: 'live', venue: 'sim', sim: { seed: 23 } });
    const privateKey = Wallet.createRandom().privateKey;
    rt = createRuntime({ instanceId: 'arm-live', version: 't', config, clock, store: openStore(':memory:'), credentials: { privateKey, signatureType: 0 } });
    rt.bus.on('arming.changed', (e) => void events.push(e));
    ({ holder, restore } = install(rt, { CONSOLE_TOKEN: TOKEN }, logs));
  });

  afterAll(async () => {
    restore?.();
    await rt?.dispose('test done');
  });

  const arming = () => armingStatusSchema.parse(rt.status().arming);

  it('before the start: required, disarmed, and an arm is refused (409) because the bot is not running', async () => {
    const get = await call('GET');
    expect(get.status).toBe(200);
    expect(get.json).toMatchObject({ required: true, armed: false, armWhenReady: false, notReady: expect.stringMatching(/not running/) });
    const r = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'too early' }, auth);
    expect(r.status).toBe(409);
    expect(r.json.error?.message).toMatch(/^cannot arm: the bot is not running/);
    expect(arming().armed).toBe(false);
  });

  it('--arm at start waits for the preflight GO (arms refused meanwhile, 409), then arms as operator(cli)', async () => {
    const starting = rt.start('test');
    for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
    // Right after the start the preflight has not reported yet.
    expect(arming().notReady).toMatch(/preflight not finished/);
    const early = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'before GO' }, auth);
    expect(early.status).toBe(409);
    expect(early.json.error?.message).toMatch(/cannot arm: preflight not finished/);

    expect(armAtStart(holder)).toBe('requested');
    expect(arming()).toMatchObject({ armed: false, armWhenReady: true });
    expect(logs.some((l) => l.level === 'warn' && /--arm at start: live trading will be armed as soon as the preflight says GO/.test(l.msg ?? ''))).toBe(true);
    for (let i = 0; i < 600 && !arming().armed; i++) {
      clock.advanceBy(100);
      await settle();
    }
    expect(rt.session!.preflight.latest?.go).toBe(true);
    expect(arming()).toMatchObject({ required: true, armed: true, actor: 'operator(cli)', reason: '--arm at start', armWhenReady: false });
    expect(arming().notReady).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ armed: true, actor: 'operator(cli)', automatic: false });
    expect(logs.some((l) => l.level === 'warn' && /^LIVE TRADING ARMED \(--arm at start\)/.test(l.msg ?? ''))).toBe(true);
  }, 90_000);

  it('disarm is one call: 200 with the snapshot; the execution gate refuses orders again', async () => {
    const r = await driveUntil(clock, call('POST', { action: 'disarm' }, auth), 100);
    expect(r.status).toBe(200);
    expect(armingStatusSchema.parse(r.json)).toMatchObject({ armed: false, actor: 'operator(token)', reason: 'disarmed from the console' });
    expect(events.at(-1)).toMatchObject({ armed: false, actor: 'operator(token)', canceled: expect.any(Number) });
    expect(rt.store.audit.recent(5).find((a) => a.action === 'arming.disarmed')).toMatchObject({ actor: 'operator(token)' });
  });

  it('refusals change nothing: wrong confirmation and missing reason are 422 with the field path', async () => {
    const before = events.length;
    for (const confirm of ['arm live', 'ARM', 'ARMLIVE', 'ARM LIVE!', '']) {
      const r = await call('POST', { action: 'arm', confirm, reason: 'wrong text' }, auth);
      expect(r.status, confirm).toBe(422);
      expect(r.json.error).toMatchObject({ code: 'validation_failed', message: 'type ARM LIVE exactly to arm live trading', fields: [{ path: 'confirm', message: 'type ARM LIVE exactly to arm live trading' }] });
    }
    const noReason = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: '' }, auth);
    expect(noReason.status).toBe(422);
    expect(fieldPaths(noReason)).toEqual(['reason']);
    expect(arming().armed).toBe(false);
    expect(events.length).toBe(before);
    // One audit row per refused request: five wrong confirmations, then the missing reason (newest first).
    const rows = rt.store.audit.recent(6);
    expect(rows.map((r) => r.action)).toEqual(Array(6).fill('arming.refused'));
    expect(rows[0]).toMatchObject({ actor: 'operator(token)', detail: { code: 'validation_failed' } });
    for (const r of rows.slice(1)) expect(r).toMatchObject({ actor: 'operator(token)', detail: { code: 'confirmation' } });
  });

  it('arm with the typed confirmation: armed by the request actor, audited, published; orders pass the gate; disarm cancels our resting order at the venue', async () => {
    const stack = rt.session!.stack!;
    const cur = stack.catalog.current('5m')!;
    const order = (n: number) =>
      stack.place({ clientTag: `arm-test|${cur.window.slug}|m|${n}`, strategyId: 'arm-test', market: orderMarketInfo(cur, 'up'), side: 'BUY', price: 0.05, size: 10, orderType: 'GTC', postOnly: true });
    const refused = await driveUntil(clock, order(1), 100);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toMatch(/not armed/);

    const r = await call('POST', { action: 'arm', confirm: ' ARM LIVE ', reason: 'route test arm' }, auth);
    expect(r.status).toBe(200);
    expect(armingStatusSchema.parse(r.json)).toMatchObject({ required: true, armed: true, actor: 'operator(token)', reason: 'route test arm' });
    expect(rt.store.audit.recent(5).find((a) => a.action === 'arming.armed')).toMatchObject({ actor: 'operator(token)', detail: { reason: 'route test arm', automatic: false } });
    expect(events.at(-1)).toMatchObject({ armed: true, actor: 'operator(token)', reason: 'route test arm' });
    expect((await call('GET')).json).toMatchObject({ armed: true, actor: 'operator(token)' });
    // Arming again is idempotent.
    expect((await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'again' }, auth)).json).toMatchObject({ armed: true, reason: 'route test arm' });

    const placed = await driveUntil(clock, order(2), 100);
    expect(placed.ok, placed.ok ? '' : placed.reason).toBe(true);
    const orderId = placed.ok && placed.outcome.kind === 'accepted' ? placed.outcome.orderId : undefined;
    expect(orderId).toBeDefined();
    const atSim = () => (rt.simulator!.sim!.model.exchange.orders.get(orderId!) as { status: string } | undefined)?.status;
    expect(atSim()).toBe('LIVE');

    const d = await driveUntil(clock, call('POST', { action: 'disarm', reason: 'route test disarm' }, auth), 100);
    expect(d.status).toBe(200);
    expect(d.json).toMatchObject({ armed: false, actor: 'operator(token)', reason: 'route test disarm' });
    // The answer comes after the cancel: the order is already gone at the venue.
    expect(atSim()).toBe('CANCELED');
    expect(events.at(-1)).toMatchObject({ armed: false, reason: 'route test disarm', canceled: expect.any(Number) });
    expect(events.at(-1)!.canceled).toBeGreaterThanOrEqual(1);
    const after = await driveUntil(clock, order(3), 100);
    expect(after.ok ? '' : after.reason).toMatch(/not armed/);
    // Disarming a disarmed runtime is a harmless 200.
    expect((await driveUntil(clock, call('POST', { action: 'disarm' }, auth), 100)).json).toMatchObject({ armed: false, reason: 'route test disarm' });
  }, 60_000);

  it('a halted kill switch: GET says why, arm is 409 and changes nothing', async () => {
    rt.killSwitch.set({ state: 'halted', reason: 'arming test', actor: 'test', automatic: false });
    expect((await call('GET')).json.notReady).toMatch(/kill switch is halted/);
    const r = await call('POST', { action: 'arm', confirm: 'ARM LIVE', reason: 'while halted' }, auth);
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^cannot arm: the kill switch is halted/) });
    expect(arming().armed).toBe(false);
    rt.killSwitch.set({ state: 'active', reason: 'arming test done', actor: 'test', automatic: false });
    expect((await call('GET')).json.notReady).toBeUndefined();
  });
});
