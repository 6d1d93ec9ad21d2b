/**
 * The config page in Chromium against the demo start (simulator, paper, recording on): the generated form shows the
 * live values GET /api/config reports; a bad value shows its field error and changes nothing; a good hot edit shows
 * the diff, applies, appears in history and is reverted with one click (values checked through the API); the
 * what-if replays the last recorded window with the current and the edited config and shows both backtests, equal
 * to the jobs' reports. Any browser console error fails the test. Screenshots at desktop and phone sizes.
 */
import { expect, type APIRequestContext, type Page, test } from '@playwright/test';
import { screenshotDesktopAndPhone, watchErrors, gotoPage } from './helpers';

test.describe.configure({ mode: 'serial' });

interface Field {
  path: string;
  value: unknown;
  source: string;
  hot: boolean;
}
interface ConfigBody {
  version: number;
  hash: string;
  config: { risk: { maxUsdPerTrade: number } };
  running: { risk: { maxUsdPerTrade: number } };
  fields: Field[];
}

const MAX = 'risk.maxUsdPerTrade';
const getConfig = async (request: APIRequestContext) => (await (await request.get('/api/config')).json()) as ConfigBody;
const field = (page: Page, path: string) => page.locator(`[data-testid="config-field"][data-path="${path}"]`);

async function openPage(page: Page) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/config');
  await expect(page.getByTestId('config-page')).toBeVisible();
}

test('renders every field with the live value, its layer and hot/restart', async ({ page, request }) => {
  const errors = watchErrors(page);
  await openPage(page);
  const body = await getConfig(request);
  await expect(page.getByTestId('config-version')).toHaveText(String(body.version));
  await expect(page.getByTestId('config-field')).toHaveCount(body.fields.length);
  for (const path of [MAX, 'mode', 'heartbeatMs']) {
    const f = body.fields.find((x) => x.path === path)!;
    const row = field(page, path);
    await expect(row.getByTestId('field-source')).toHaveText(f.source);
    await expect(row.getByText(f.hot ? 'hot' : 'process restart', { exact: true })).toHaveCount(1);
  }
  await expect(field(page, MAX).locator('input')).toHaveValue(String(body.config.risk.maxUsdPerTrade));
  await expect(field(page, 'mode').locator('select')).toHaveValue(String(body.fields.find((x) => x.path === 'mode')!.value));
  expect(errors).toEqual([]);
});

test('a bad value shows the field error and changes nothing', async ({ page, request }) => {
  const errors = watchErrors(page);
  await openPage(page);
  const before = await getConfig(request);
  const input = field(page, MAX).locator('input');
  await input.fill('-5');
  await expect(field(page, MAX).getByTestId('field-error')).toBeVisible();
  await expect(page.getByTestId('review-button')).toBeDisabled();
  await input.fill('abc');
  await expect(field(page, MAX).getByTestId('field-error')).toBeVisible();
  await expect(page.getByTestId('what-if-run')).toBeDisabled();
  const after = await getConfig(request);
  expect({ version: after.version, hash: after.hash, max: after.config.risk.maxUsdPerTrade }).toEqual({ version: before.version, hash: before.hash, max: before.config.risk.maxUsdPerTrade });
  expect(errors).toEqual([]);
});

test('a good hot edit: diff, apply, history, one-click revert', async ({ page, request }) => {
  const errors = watchErrors(page);
  await openPage(page);
  const before = await getConfig(request);
  const old = before.config.risk.maxUsdPerTrade;
  const next = old === 37 ? 38 : 37;
  await field(page, MAX).locator('input').fill(String(next));
  await expect(page.getByTestId('changes-count')).toContainText('1 field edited');
  await page.getByTestId('review-button').click();
  const row = page.locator(`[data-testid="diff-row"][data-path="${MAX}"]`);
  await expect(row.getByTestId('diff-from')).toHaveText(String(old));
  await expect(row.getByTestId('diff-to')).toHaveText(String(next));
  await expect(page.getByTestId('diff-row')).toHaveCount(1);
  await page.getByTestId('apply-confirm').click();
  await expect(page.getByTestId('config-notice')).toContainText(`Applied version ${before.version + 1}`);

  const applied = await getConfig(request);
  expect(applied.version).toBe(before.version + 1);
  expect(applied.config.risk.maxUsdPerTrade).toBe(next);
  expect(applied.running.risk.maxUsdPerTrade).toBe(next); // hot: running at once
  await expect(page.getByTestId('config-version')).toHaveText(String(applied.version));
  await expect(field(page, MAX).locator('input')).toHaveValue(String(next));
  await expect(field(page, MAX).getByTestId('field-source')).toHaveText('console');
  const hist = page.locator(`[data-testid="history-row"][data-version="${applied.version}"]`);
  await expect(hist.getByTestId('history-diff')).toContainText(`${MAX} ${old} → ${next}`);

  await page.locator(`[data-testid="history-row"][data-version="${before.version}"]`).getByTestId('revert-button').click();
  await expect(page.getByTestId('config-notice')).toContainText(`Reverted: now version ${before.version + 2}`);
  const reverted = await getConfig(request);
  expect(reverted.version).toBe(before.version + 2);
  expect(reverted.config.risk.maxUsdPerTrade).toBe(old);
  expect(reverted.running.risk.maxUsdPerTrade).toBe(old);
  await expect(field(page, MAX).locator('input')).toHaveValue(String(old));
  expect(errors).toEqual([]);
});

test('what-if: the last recorded window replayed with the current and the edited config, side by side', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  // The recorder flushes every few seconds: wait for a recording that holds frames and a window.
  await expect
    .poll(async () => {
      const s = (await (await request.get('/api/sessions')).json()) as { sessions: { kind: string; frames: number; markets: string[] }[] };
      return s.sessions.some((x) => x.kind === 'recording' && x.frames > 0 && x.markets.length > 0);
    }, { timeout: 60_000 })
    .toBe(true);
  await openPage(page);
  const before = await getConfig(request);
  await field(page, MAX).locator('input').fill('5');
  await page.getByTestId('what-if-windows').fill('1');
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/config/what-if')), page.getByTestId('what-if-run').click()]);
  expect(res.status()).toBe(202);
  const run = (await res.json()) as { current: { id: string }; edited: { id: string }; windows: { list: unknown[] }; changes: { path: string }[] };
  expect(run.windows.list).toHaveLength(1);
  expect(run.changes.map((c) => c.path)).toEqual([MAX]);
  await expect(page.getByTestId('what-if-current')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('what-if-edited')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  for (const [id, testId] of [[run.current.id, 'what-if-current'], [run.edited.id, 'what-if-edited']] as const) {
    const job = (await (await request.get(`/api/backtests/${id}`)).json()) as { status: string; result: { sessions: { report: { totals: { trades: number } } }[]; combined?: { totals: { trades: number } } } };
    expect(job.status).toBe('done');
    const totals = (job.result.combined ?? job.result.sessions[0]!.report).totals;
    await expect(page.getByTestId(`${testId}-trades`)).toHaveText(String(totals.trades));
  }
  await expect(page.getByTestId('what-if-table')).toBeVisible();
  // the what-if applied nothing
  const after = await getConfig(request);
  expect({ version: after.version, max: after.config.risk.maxUsdPerTrade }).toEqual({ version: before.version, max: before.config.risk.maxUsdPerTrade });
  await page.evaluate(() => window.scrollTo(0, 0)); // the changes panel is sticky: shoot it where it sits at the top
  await screenshotDesktopAndPhone(page, 'config', page.getByTestId('what-if-compare'));
  expect(errors).toEqual([]);
});
