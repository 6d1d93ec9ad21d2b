/** The dashboard in Chromium: live state over SSE, Start/Stop/Restart, the kill switch with confirmation. */
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { setKillSwitch, status, gotoPage, watchErrors } from './helpers';

test.describe.configure({ mode: 'serial' });

// Every test here fails on any browser console error or uncaught page error.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = watchErrors(page);
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

test('Stop, Start, Restart and the kill switch work from the page', async ({ page, request }) => {
  await gotoPage(page, '/');
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  await expect(page.getByTestId('runtime-state')).toHaveText('running');
  await expect(page.getByTestId('mode-badge')).toHaveText('PAPER');
  const id = (await status(request)).instanceId;
  await expect(page.getByTestId('instance-id')).toHaveText(id.slice(0, 8));

  await page.getByTestId('btn-stop').click();
  await expect(page.getByTestId('runtime-state')).toHaveText('stopped');
  expect((await status(request)).state).toBe('stopped');
  await expect(page.getByTestId('runtime-uptime')).toHaveText('00:00:00');

  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('runtime-state')).toHaveText('running');
  await expect(page.getByTestId('runtime-uptime')).not.toHaveText('00:00:00', { timeout: 5_000 });

  const before = (await status(request)).bus.lastSeq;
  await page.getByTestId('btn-restart').click();
  await expect.poll(async () => (await status(request)).bus.lastSeq).toBeGreaterThan(before + 3);
  await expect(page.getByTestId('runtime-state')).toHaveText('running');
  await expect(page.getByTestId('recent-events')).toContainText('stopping → stopped (console restart)');

  // Halting needs a confirmation with a reason.
  await page.getByTestId('ks-halted').click();
  await expect(page.getByTestId('ks-dialog')).toBeVisible();
  await page.getByTestId('ks-confirm').click();
  await expect(page.getByTestId('ks-error')).toContainText(/at least 3/);
  expect((await status(request)).killSwitch.state).toBe('active');
  await page.getByTestId('ks-reason').fill('e2e halt');
  await page.getByTestId('ks-confirm').click();
  await expect(page.getByTestId('killswitch-state')).toHaveText('HALTED');
  await expect(page.getByTestId('killswitch-reason')).toContainText('e2e halt');
  expect((await status(request)).killSwitch.state).toBe('halted');

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/dashboard-halted.png', fullPage: true });

  await page.getByTestId('ks-active').click();
  await page.getByTestId('ks-reason').fill('e2e resume');
  await page.getByTestId('ks-confirm').click();
  await expect(page.getByTestId('killswitch-state')).toHaveText('ACTIVE');
});

test('a kill-switch change made elsewhere reaches the page within a second', async ({ page, request }) => {
  await gotoPage(page, '/');
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  await expect(page.getByTestId('killswitch-state')).toHaveText('ACTIVE');
  const res = await setKillSwitch(request, 'halted', 'from the API');
  expect(res.status()).toBe(200);
  await expect(page.getByTestId('killswitch-state')).toHaveText('HALTED', { timeout: 1_000 });
  await expect(page.getByTestId('killswitch-reason')).toContainText('from the API', { timeout: 1_000 });
  await setKillSwitch(request, 'active', 'restore after test');
  await expect(page.getByTestId('killswitch-state')).toHaveText('ACTIVE', { timeout: 1_000 });
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/dashboard.png', fullPage: true });
});

test('the Alerts card says the webhook is not configured and what to set (the demo has none), with no test button', async ({ page, request }) => {
  await gotoPage(page, '/');
  const api = (await (await request.get('/api/alerts')).json()) as { configured: boolean; host: string | null };
  expect(api).toMatchObject({ configured: false, host: null });
  await expect(page.getByTestId('webhook-state')).toHaveAttribute('data-configured', 'false');
  await expect(page.getByTestId('webhook-state')).toContainText('ALERT_WEBHOOK_URL');
  await expect(page.getByTestId('webhook-test')).toHaveCount(0);
});
