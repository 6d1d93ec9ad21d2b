/**
 * The calibration page in Chromium: pick the bundled real sample, keep the default 3 × 2 time-bucket grid, start the
 * sweep, wait until it is done, and check that the table shows the server's result (GET /api/sweeps/<id>) row for
 * row, that clicking a metric header sorts the rows by it, that the heatmap has one cell per grid point carrying
 * that point's metric, and that the browser logged no error. Screenshots at desktop and phone sizes.
 */
import { expect, type Page, test } from '@playwright/test';
import { screenshotDesktopAndPhone, watchErrors, gotoPage } from './helpers';

const SAMPLE = 'samples/polymarket-btc-5m-books';
const METRICS = ['trades', 'win_rate', 'ev_error', 'max_drawdown', 'trades_per_hour', 'pnl_usd'] as const;
const KEYS = ['time-bucket.entryBidThreshold', 'time-bucket.slOffset'] as const;

interface Run {
  index: number;
  params: Record<string, number>;
  metrics: Record<string, number | string | null>;
  error?: string;
}
interface Job {
  id: string;
  status: string;
  progress: { done: number; total: number };
  result?: { runs: Run[]; robustRanges: { metric: string; top: number[] } };
}

/** The page's renderer, restated: trades integer, win rate percent 1 dp, ev_error 3 dp, others 2 dp, — for non-numbers. */
function shown(key: string, v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (key === 'trades') return String(Math.round(v));
  if (key === 'win_rate') return `${(v * 100).toFixed(1)}%`;
  return v.toFixed(key === 'ev_error' ? 3 : 2);
}


const rowOrder = (page: Page) => page.getByTestId('result-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-index'))));

test('a 3 × 2 sweep over the real sample: table equal to the job result, sorting, heatmap', async ({ page, request }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/calibration');
  await expect(page.getByRole('link', { name: 'Calibration' })).toBeVisible();
  // The page shows the newest sweep; another spec may have left one (audit-actions starts and cancels one), so the
  // page is either idle or shows a sweep that is over.
  await expect(page.getByTestId('sweep-idle').or(page.getByTestId('sweep-job'))).toBeVisible();
  const previousId = (await page.getByTestId('sweep-job').count()) > 0 ? await page.getByTestId('sweep-id').textContent() : null;
  await expect(page.getByTestId('sweep-job')).not.toHaveAttribute('data-status', 'running');

  await page.getByTestId('session-select').selectOption(SAMPLE);
  await expect(page.getByTestId('grid-key-0')).toHaveValue(KEYS[0]);
  await expect(page.getByTestId('grid-values-0')).toHaveValue('0.55,0.6,0.65');
  await expect(page.getByTestId('grid-key-1')).toHaveValue(KEYS[1]);
  await expect(page.getByTestId('grid-values-1')).toHaveValue('0.1,0.2');
  await page.getByTestId('btn-sweep-start').click();

  await expect(page.getByTestId('sweep-id')).not.toHaveText(previousId ?? '(none)');
  await expect(page.getByTestId('sweep-status')).toHaveText(/running|done/);
  await expect(page.getByTestId('sweep-status')).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByTestId('sweep-progress-text')).toHaveText('6/6 points');
  const id = (await page.getByTestId('sweep-id').textContent())!;
  const res = await request.get(`/api/sweeps/${id}`);
  expect(res.ok()).toBe(true);
  const job = (await res.json()) as Job;
  expect(job).toMatchObject({ id, status: 'done', progress: { done: 6, total: 6 } });
  const runs = job.result!.runs;
  expect(runs).toHaveLength(6);
  expect(runs.filter((r) => r.error), 'no point failed').toEqual([]);

  // Six rows, in point order before any sorting; every row equals the server's run.
  const rows = page.getByTestId('result-row');
  await expect(rows).toHaveCount(6);
  expect(await rowOrder(page)).toEqual([0, 1, 2, 3, 4, 5]);
  for (const run of runs) {
    const row = page.locator(`[data-testid="result-row"][data-index="${run.index}"]`);
    for (const k of KEYS) await expect(row.getByTestId(`param-${k}`)).toHaveText(String(run.params[k]));
    for (const m of METRICS) {
      await expect(row.getByTestId(`metric-${m}`)).toHaveText(shown(m, run.metrics[m]));
      expect(Number(await row.getByTestId(`metric-${m}`).getAttribute('data-value'))).toBe(run.metrics[m]);
    }
  }

  // Sorting by pnl_usd: best first, ties by point index; the sample's runs do not all share one pnl, so the order moves.
  const pnl = (r: Run) => r.metrics.pnl_usd as number;
  const expected = [...runs].sort((a, b) => pnl(b) - pnl(a) || a.index - b.index).map((r) => r.index);
  expect(new Set(runs.map(pnl)).size, 'the grid points differ in pnl').toBeGreaterThan(1);
  expect(expected).not.toEqual([0, 1, 2, 3, 4, 5]);
  await page.getByTestId('sort-pnl_usd').click();
  await expect(page.getByTestId('results-table')).toHaveAttribute('data-sort', 'pnl_usd:desc');
  expect(await rowOrder(page)).toEqual(expected);
  const shownPnl = await page.getByTestId('metric-pnl_usd').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
  expect(shownPnl).toEqual([...shownPnl].sort((a, b) => b - a));
  // A second click flips the direction.
  await page.getByTestId('sort-pnl_usd').click();
  await expect(page.getByTestId('results-table')).toHaveAttribute('data-sort', 'pnl_usd:asc');
  expect(await rowOrder(page)).toEqual([...runs].sort((a, b) => pnl(a) - pnl(b) || a.index - b.index).map((r) => r.index));

  // Heatmap: one cell per point, carrying that point's metric (the job's, pnl_usd by default).
  expect(job.result!.robustRanges.metric).toBe('pnl_usd');
  const cells = page.getByTestId('heatmap-cell');
  await expect(cells).toHaveCount(6);
  for (const run of runs) {
    const cell = page.locator(`[data-testid="heatmap-cell"][data-row="${run.params[KEYS[0]]}"][data-col="${run.params[KEYS[1]]}"]`);
    await expect(cell).toHaveText(shown('pnl_usd', run.metrics.pnl_usd));
  }
  await expect(page.getByTestId('heatmap-row-label')).toHaveText(['0.55', '0.6', '0.65']);
  await expect(page.getByTestId('heatmap-col-label')).toHaveText(['0.1', '0.2']);
  // Robust ranges: one line per parameter.
  await expect(page.getByTestId('range-row')).toHaveCount(2);

  await screenshotDesktopAndPhone(page, 'calibration', page.getByTestId('results-table'));

  expect(errors).toEqual([]);
});
