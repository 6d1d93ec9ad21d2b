/**
 * Every operator action against the demo server (paper, simulator, no token: actor operator(local)) leaves exactly
 * one operator audit row with the right actor, action, source address and before/after: start, stop, restart,
 * kill-switch moves (and a move to the state it is in), re-activation, config change / no-op / revert / profile,
 * arming (refused on paper) and disarming, backtest and sweep start and cancel, the what-if start, login and logout.
 * A config dry run is a preview and leaves none. Start / stop / restart requested by an operator leave no runtime
 * lifecycle row of their own (actor `runtime`: those are for boot and shutdown), checked; rows of automatic safety
 * actions (other actors) are not requests and are not counted. The CSV export holds the same rows.
 */
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import type { AuditEntryView } from '../../lib/schemas/audit';
import { status } from './helpers';

const SAMPLE = 'samples/polymarket-btc-5m-books';
type Entry = AuditEntryView;

async function entries(request: APIRequestContext): Promise<Entry[]> {
  const res = await request.get('/api/audit?limit=1000');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { entries: Entry[] }).entries;
}

/** Run one action; answer its HTTP status and the audit rows it added (operator rows, runtime lifecycle rows). */
async function act(request: APIRequestContext, run: () => Promise<APIResponse>): Promise<{ res: APIResponse; ops: Entry[]; lifecycle: string[] }> {
  const last = (await entries(request))[0]?.id ?? 0;
  const res = await run();
  const added = (await entries(request)).filter((e) => e.id > last).reverse();
  return {
    res,
    ops: added.filter((e) => e.actor.startsWith('operator') || e.actor === 'anonymous'),
    lifecycle: added.filter((e) => e.actor === 'runtime').map((e) => e.action),
  };
}

/** Exactly one operator row: operator(local), this action, from 127.0.0.1, with these detail fields. */
function one(ops: Entry[], action: string, detail: Record<string, unknown> = {}): Entry {
  expect(ops.map((e) => e.action)).toEqual([action]);
  const e = ops[0]!;
  expect(e.source).toBe('127.0.0.1');
  expect(e.detail).toMatchObject({ source: '127.0.0.1', ...detail });
  return e;
}

test.describe.configure({ mode: 'serial' });

test('runtime, kill switch and arming: one audit row per action with before and after', async ({ request }) => {
  test.setTimeout(120_000);
  await expect.poll(async () => (await status(request)).state, { timeout: 30_000 }).toBe('running');
  if ((await status(request)).killSwitch.state !== 'active') await request.post('/api/kill-switch', { data: { state: 'active', reason: 'audit-actions: clean start' } });

  let r = await act(request, () => request.post('/api/bot/stop', { data: { reason: 'audit stop' } }));
  expect(r.res.status()).toBe(200);
  one(r.ops, 'runtime.stop.requested', { from: 'running', to: 'stopped', reason: 'audit stop' });
  expect(r.lifecycle).toEqual([]);
  r = await act(request, () => request.post('/api/bot/start', { data: { reason: 'audit start' } }));
  one(r.ops, 'runtime.start.requested', { from: 'stopped', to: 'running', reason: 'audit start' });
  expect(r.lifecycle).toEqual([]);
  r = await act(request, () => request.post('/api/bot/restart', { data: {} }));
  one(r.ops, 'runtime.restart.requested', { from: 'running', to: 'running', reason: 'console restart' });
  expect(r.lifecycle).toEqual([]);

  const kill = (state: string, reason: string) => act(request, () => request.post('/api/kill-switch', { data: { state, reason } }));
  r = await kill('reducing', 'audit reduce');
  one(r.ops, 'killswitch.set', { from: 'active', to: 'reducing', reason: 'audit reduce', automatic: false });
  r = await kill('reducing', 'audit reduce again');
  expect(r.res.status()).toBe(200);
  one(r.ops, 'killswitch.unchanged', { from: 'reducing', to: 'reducing' });
  r = await kill('halted', 'audit halt');
  one(r.ops, 'killswitch.set', { from: 'reducing', to: 'halted' });
  r = await kill('active', 'audit re-activate');
  one(r.ops, 'killswitch.set', { from: 'halted', to: 'active', reason: 'audit re-activate' });
  r = await kill('halted', 'x');
  expect(r.res.status()).toBe(422);
  one(r.ops, 'killswitch.set.refused', { status: 422, code: 'validation_failed' });

  r = await act(request, () => request.post('/api/arming', { data: { action: 'arm', confirm: 'ARM LIVE', reason: 'audit arm on paper' } }));
  expect(r.res.status()).toBe(409);
  one(r.ops, 'arming.refused', { code: 'not_required', from: 'disarmed', to: 'disarmed' });
  r = await act(request, () => request.post('/api/arming', { data: { action: 'disarm', reason: 'audit disarm' } }));
  expect(r.res.status()).toBe(200);
  one(r.ops, 'arming.unchanged', { action: 'disarm', from: 'disarmed', to: 'disarmed' });
});

test('config change, no-op, dry run, revert and profile: one audit row each (none for the dry run), with the diff', async ({ request }) => {
  const cfg = async () => (await (await request.get('/api/config')).json()) as { version: number; config: { risk: { maxUsdPerTrade: number } } };
  const start = await cfg();
  const from = start.config.risk.maxUsdPerTrade;
  const to = from === 4 ? 3 : 4;
  const patch = (data: Record<string, unknown>) => act(request, () => request.patch('/api/config', { data }));

  let r = await patch({ patch: { risk: { maxUsdPerTrade: to } }, reason: 'audit change', expectVersion: start.version });
  expect(r.res.status()).toBe(200);
  const applied = one(r.ops, 'config.apply', { version: start.version + 1, reason: 'audit change' });
  expect(applied.diff).toEqual([expect.objectContaining({ path: 'risk.maxUsdPerTrade', from: String(from), to: String(to) })]);
  r = await patch({ patch: { risk: { maxUsdPerTrade: to } }, reason: 'audit same again' });
  one(r.ops, 'config.apply.unchanged', { version: start.version + 1 });
  r = await patch({ patch: { risk: { maxUsdPerTrade: from } }, reason: 'audit preview', dryRun: true });
  expect(r.res.status()).toBe(200);
  expect(r.ops).toEqual([]);
  r = await patch({ patch: { risk: { maxUsdPerTrade: 'four' } }, reason: 'audit bad type' });
  expect(r.res.status()).toBe(422);
  one(r.ops, 'config.apply.refused');

  r = await act(request, () => request.post('/api/config/revert', { data: { version: start.version, reason: 'audit revert' } }));
  expect(r.res.status()).toBe(200);
  const reverted = one(r.ops, 'config.revert', { version: start.version + 2 });
  expect(reverted.diff).toEqual([expect.objectContaining({ path: 'risk.maxUsdPerTrade', from: String(to), to: String(from) })]);
  r = await act(request, () => request.post('/api/config/revert', { data: { version: 99_999, reason: 'audit revert nowhere' } }));
  expect(r.res.status()).toBe(404);
  one(r.ops, 'config.revert.not_found');

  r = await act(request, () => request.post('/api/config/profile', { data: { profile: 'low_vol', reason: 'audit profile' } }));
  expect(r.res.status()).toBe(200);
  const prof = one(r.ops, 'config.profile', { version: start.version + 3 });
  expect(prof.diff!.length).toBeGreaterThan(0);
  // Back to where the suite started (itself one more audited change).
  r = await act(request, () => request.post('/api/config/revert', { data: { version: start.version, reason: 'audit restore' } }));
  one(r.ops, 'config.revert', { version: start.version + 4 });
});

test('backtest, sweep and what-if start and cancel; login and logout: one audit row each; the CSV export agrees', async ({ request }) => {
  test.setTimeout(90_000);
  let r = await act(request, () => request.post('/api/backtests', { data: { sessions: [SAMPLE] } }));
  expect(r.res.status()).toBe(202);
  const bt = ((await r.res.json()) as { id: string }).id;
  one(r.ops, 'backtest.start', { id: bt, sessions: [SAMPLE] });
  r = await act(request, () => request.delete(`/api/backtests/${bt}`));
  // Cancelled while running, or refused (409) when it had already finished: one row either way, naming the job.
  one(r.ops, r.res.status() === 200 ? 'backtest.cancel' : 'backtest.cancel.refused', { id: bt });
  expect([200, 409]).toContain(r.res.status());

  r = await act(request, () => request.post('/api/sweeps', { data: { sessions: [SAMPLE], grid: { 'time-bucket.entryBidThreshold': [0.55, 0.6] } } }));
  expect(r.res.status()).toBe(202);
  const sw = ((await r.res.json()) as { id: string }).id;
  one(r.ops, 'sweep.start', { id: sw, grid: ['time-bucket.entryBidThreshold'] });
  r = await act(request, () => request.delete(`/api/sweeps/${sw}`));
  one(r.ops, r.res.status() === 200 ? 'sweep.cancel' : 'sweep.cancel.refused', { id: sw });
  r = await act(request, () => request.delete('/api/sweeps/sweep-00000000-0000-4000-8000-000000000000'));
  expect(r.res.status()).toBe(404);
  one(r.ops, 'sweep.cancel.refused', { status: 404 });

  r = await act(request, () => request.post('/api/config/what-if', { data: { patch: { risk: { maxUsdPerTrade: 3 } }, windows: 1 } }));
  one(r.ops, r.res.status() === 202 ? 'whatif.start' : 'whatif.start.refused', { status: r.res.status(), request: { patch: { risk: { maxUsdPerTrade: 3 } }, windows: 1 } });
  if (r.res.status() === 202) {
    const w = (await r.res.json()) as { current: { id: string }; edited: { id: string } };
    for (const id of [w.current.id, w.edited.id]) await request.delete(`/api/backtests/${id}`);
  }

  // No CONSOLE_TOKEN on the demo server: a login is refused (nothing to log in to); logout is an operator action.
  r = await act(request, () => request.post('/api/auth/login', { data: { token: 'whatever-token-value' } }));
  expect(r.res.status()).toBe(409);
  expect(r.ops.map((e) => [e.actor, e.action, e.source])).toEqual([['anonymous', 'auth.login.refused', '127.0.0.1']]);
  r = await act(request, () => request.post('/api/auth/logout'));
  expect(r.res.status()).toBe(200);
  one(r.ops, 'auth.logout');

  const csv = await request.get('/api/audit?format=csv&action=auth.');
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const lines = (await csv.text()).split('\r\n').filter(Boolean);
  const json = (await (await request.get('/api/audit?action=auth.&limit=1000')).json()) as { entries: Entry[] };
  expect(lines[0]).toBe('id,time_utc,ts_ms,actor,action,source,from,to,summary,diff,detail');
  expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(json.entries.map((e) => e.id));
});
