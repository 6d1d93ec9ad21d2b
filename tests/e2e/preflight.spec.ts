/** The preflight in the running console: GET /api/preflight returns the start report (GO on the simulator) and the dashboard's Preflight card shows it. */
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { preflightResponseSchema } from '../../lib/schemas/preflight';
import { gotoPage, watchErrors } from './helpers';

// Every test here fails on any browser console error or uncaught page error.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = watchErrors(page);
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('the start preflight is GO on the simulator: API report and dashboard card', async ({ page, request }) => {
  await expect
    .poll(async () => preflightResponseSchema.parse(await (await request.get('/api/preflight')).json()).report?.go ?? null, { timeout: 45_000 })
    .toBe(true);
  const body = preflightResponseSchema.parse(await (await request.get('/api/preflight')).json());
  expect(body.report!.trigger).toBe('start');
  expect(body.report!.stages.filter((s) => s.status === 'fail')).toEqual([]);
  expect(body.report!.stages.map((s) => s.id)).toEqual(expect.arrayContaining(['endpoint.clob', 'clock', 'geoblock', 'credentials', 'reference', 'windows', 'books']));
  const health = await (await request.get('/api/health')).json();
  expect(health.preflight.go).toBe(true);
  expect(Array.isArray(health.reasons)).toBe(true);

  await gotoPage(page, '/');
  await expect(page.getByTestId('preflight-card')).toBeVisible();
  await expect(page.getByTestId('preflight-badge')).toHaveText('GO');
  await expect(page.getByTestId('preflight-summary')).toContainText(/^GO \(\d+ ok/);
  await expect(page.getByTestId('health-badge')).toHaveText(/^(ok|degraded)$/);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.setViewportSize({ width: 1600, height: 1400 });
  await page.screenshot({ path: 'test-results/screenshots/dashboard-preflight.png', fullPage: true });
});
