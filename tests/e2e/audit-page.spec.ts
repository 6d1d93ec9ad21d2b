/**
 * The Audit page in Chromium against the simulator (paper): an operator action (the kill switch, set over the API)
 * appears with its actor, source and reason as GET /api/audit reports them, and a second one arrives live without a
 * reload; a config change shows its diff; the action-prefix and actor filters give the API's rows; a bad filter is
 * refused in place (and by the API with a 400); the browser logs no error. Screenshots at desktop and phone sizes.
 */
import { expect, test } from '@playwright/test';
import { auditResponseSchema, type AuditResponse } from '../../lib/schemas/audit';
import { screenshotDesktopAndPhone, setKillSwitch, status, watchErrors, gotoPage } from './helpers';

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

async function audit(request: import('@playwright/test').APIRequestContext, qs = ''): Promise<AuditResponse> {
  const res = await request.get(`/api/audit${qs}`);
  expect(res.status()).toBe(200);
  return auditResponseSchema.parse(await res.json());
}

test('operator actions appear with actor, source and diff; filters match the API; updates arrive live', async ({ page, request }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await expect.poll(async () => (await status(request)).state, { timeout: 30_000 }).toBe('running');
  const tag = `e2e-audit-${Date.now()}`;

  // A config change with a diff, and a kill-switch move (both through the API, as the console's buttons do).
  const cfg = (await (await request.get('/api/config')).json()) as { version: number; config: { risk: { maxUsdPerTrade: number } } };
  const nextMax = cfg.config.risk.maxUsdPerTrade === 35 ? 36 : 35;
  const patched = await request.patch('/api/config', { data: { patch: { risk: { maxUsdPerTrade: nextMax } }, reason: `${tag} config`, expectVersion: cfg.version } });
  expect(patched.status()).toBe(200);
  expect((await setKillSwitch(request, 'reducing', `${tag} reduce`)).status()).toBe(200);

  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/audit');
  await expect(page.getByTestId('audit-table')).toBeVisible();

  // The kill-switch row: as the API reports it.
  const api = await audit(request, '?action=killswitch.set');
  const ks = api.entries.find((e) => e.summary.includes(`${tag} reduce`))!;
  expect(ks, 'the kill-switch change is in the audit trail').toBeTruthy();
  expect(ks.actor).toBe('operator(local)');
  const row = page.locator(`[data-testid="audit-row"][data-id="${ks.id}"]`);
  await expect(row.getByTestId('audit-actor')).toHaveText(ks.actor);
  await expect(row.getByTestId('audit-action')).toHaveText('killswitch.set');
  await expect(row.getByTestId('audit-source')).toHaveText(ks.source);
  await expect(row.getByTestId('audit-time')).toHaveText(when(ks.tsMs));
  await expect(row.getByTestId('audit-summary')).toContainText('active → reducing');
  // Newest first: the rows are in descending id order.
  const ids = await page.getByTestId('audit-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-id'))));
  expect(ids.length).toBeGreaterThan(1);
  expect([...ids].sort((a, b) => b - a)).toEqual(ids);

  // The config change: its diff, readable, as stored.
  const c = (await audit(request, '?action=config.apply')).entries.find((e) => e.summary.includes(`${tag} config`))!;
  expect(c.diff).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'risk.maxUsdPerTrade', to: String(nextMax) })]));
  const crow = page.locator(`[data-testid="audit-row"][data-id="${c.id}"]`);
  await crow.click();
  const diffRow = page.getByTestId('audit-diff-row').filter({ hasText: 'risk.maxUsdPerTrade' });
  await expect(diffRow.locator('td').nth(1)).toHaveText(c.diff!.find((d) => d.path === 'risk.maxUsdPerTrade')!.from!);
  await expect(diffRow.locator('td').nth(2)).toHaveText(String(nextMax));
  await expect(page.getByTestId('audit-detail')).toContainText(`${tag} config`);

  // A second action arrives live (killswitch.changed event -> refetch), no reload.
  expect((await setKillSwitch(request, 'active', `${tag} back to active`)).status()).toBe(200);
  const back = (await audit(request, '?action=killswitch.set')).entries.find((e) => e.summary.includes(`${tag} back to active`))!;
  await expect(page.locator(`[data-testid="audit-row"][data-id="${back.id}"]`).getByTestId('audit-summary')).toContainText('reducing → active', { timeout: 5_000 });

  // Filters: the rows are the API's rows for the same query.
  await page.getByTestId('family-config').click();
  const cfgApi = await audit(request, '?action=config.');
  await expect.poll(async () => page.getByTestId('audit-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-id'))))).toEqual(cfgApi.entries.map((e) => e.id));
  expect(cfgApi.entries.every((e) => e.action.startsWith('config.'))).toBe(true);
  await page.getByTestId('family-config').click();
  await page.getByTestId('filter-actor').fill('OPERATOR(local');
  const actApi = await audit(request, '?actor=OPERATOR(local');
  expect(actApi.entries.length).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => page.getByTestId('audit-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-id'))))).toEqual(actApi.entries.map((e) => e.id));
  await expect(page.getByTestId('audit-actor').first()).toHaveText('operator(local)');

  // A bad filter: the field error in place, and the API says 400 with the parameter named.
  await page.getByTestId('filter-actor').fill('');
  await page.getByTestId('filter-action').fill('kill switch');
  await expect(page.getByTestId('filter-error')).toContainText('action');
  const bad = await request.get('/api/audit?action=kill%20switch&limit=0');
  expect(bad.status()).toBe(400);
  const body = (await bad.json()) as { error: { code: string; fields: { path: string }[] } };
  expect(body.error.code).toBe('bad_request');
  expect(body.error.fields.map((f) => f.path).sort()).toEqual(['action', 'limit']);
  await page.getByTestId('filter-action').fill('');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();

  await screenshotDesktopAndPhone(page, 'audit', page.getByTestId('audit-table'));
  expect(errors).toEqual([]);
});
