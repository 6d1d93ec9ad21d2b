/**
 * GET /api/learning and POST /api/learning/reset through withApi with a stand-in runtime holder: the state per
 * trend-window instance (trades since the last step, last updates, weights), the reset (state cleared, one
 * `learning.reset` audit row, optional default weights as an operator config version), and the mutating route's
 * origin check and body validation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { learningResetResponseSchema, learningResponseSchema } from '../../../lib/schemas/learning';
import { learningGetRoute, learningResetRoute } from '../../../lib/server/learning';
import { learningParams, openLearningHarness, WEIGHTS0, type LearningHarness } from './harness';


const KEY = Symbol.for('updown.runtime.v1');
const g = globalThis as Record<symbol, unknown>;
const prev = g[KEY];

function install(h: LearningHarness): void {
  const svc = h.svc;
  g[KEY] = { env: {}, shuttingDown: false, config: svc, runtime: { clock: h.clock, store: h.store, get config() { return svc.effective(); } } };
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  learningResetRoute(new Request('http://127.0.0.1:3000/api/learning/reset', { method: 'POST', headers: { 'content-type': 'application/json', host: '127.0.0.1:3000', ...headers }, body: JSON.stringify(body) }));

describe('learning routes', () => {
  let h: LearningHarness | undefined;
  afterEach(() => {
    h?.close();
    h = undefined;
    g[KEY] = prev;
  });

  function withSteps() {
    h = openLearningHarness({ params: learningParams({ learningEveryTrades: 3 }) });
    for (let i = 0; i < 4; i++) h.trade(`w${i}`, { spike: i % 2 ? 1 : -1, bookImbalance: i % 2 ? -1 : 1 }, i % 2 ? 'up' : 'down');
    install(h);
    return h;
  }

  it('GET answers the state per trend-window instance', async () => {
    withSteps();
    const res = await learningGetRoute(new Request('http://127.0.0.1:3000/api/learning'));
    expect(res.status).toBe(200);
    const body = learningResponseSchema.parse(await res.json());
    const tw = body.instances.find((i) => i.strategyId === 'trend-window')!;
    expect(tw).toMatchObject({ configured: true, tradesSinceStep: 1, steps: 1, settledTotal: 4, params: { learningEnabled: true, learningEveryTrades: 3 } });
    expect(tw.lastUpdates).toHaveLength(1);
    // 3 of 3 right: z = √3 < Z_FULL, so 0.866 of the 0.05 step; the running weights are the step's `after`.
    expect(tw.lastUpdates[0]!.after.spike! - WEIGHTS0.spike).toBeCloseTo(0.05 * Math.sqrt(3) / 2, 8);
    expect(tw.weights).toMatchObject(tw.lastUpdates[0]!.after);
  });

  it('POST reset clears the state, restores the default weights and leaves one learning.reset audit row', async () => {
    const hh = withSteps();
    const res = await post({ strategyId: 'trend-window', restoreDefaults: true, reason: 'new regime' });
    expect(res.status).toBe(200);
    const body = learningResetResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ strategyId: 'trend-window', cleared: true, configVersion: hh.svc.version, instance: { tradesSinceStep: 0, steps: 0, lastUpdates: [] } });
    expect(body.instance.weights).toEqual(WEIGHTS0);
    const rows = hh.store.audit.recent(3);
    expect(rows.filter((r) => r.action === 'learning.reset')).toHaveLength(1);
    expect(rows.find((r) => r.action === 'learning.reset')!.detail).toMatchObject({ strategyId: 'trend-window', restoreDefaults: true, cleared: true });
    expect(rows.find((r) => r.action === 'config.apply')!.actor).toMatch(/^operator/);
  });

  it('POST refuses a cross-site request, a bad body and an unknown instance, changing nothing', async () => {
    const hh = withSteps();
    expect((await post({ strategyId: 'trend-window', reason: 'x' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ strategyId: 'trend-window' })).status).toBe(422);
    expect((await post({ strategyId: 'nope', reason: 'x' })).status).toBe(404);
    expect(hh.learning.get('trend-window')!.state.steps).toBe(1);
  });
});
