/**
 * The replay page in Chromium: pick the bundled real sample, start it, wait until it is computed, move the slider
 * to a chosen second and check that the book tops on the page are the server's frame at that cursor, that the mid
 * chart drew a line, and that the browser logged no error. Screenshots at desktop and phone sizes.
 */
import { expect, type Page, test } from '@playwright/test';
import { screenshotDesktopAndPhone, watchErrors, gotoPage } from './helpers';

const SAMPLE = 'samples/polymarket-btc-5m-books';

interface Book {
  tokenId: string;
  bestBid: number | null;
  bestAsk: number | null;
  bidSize: number | null;
  askSize: number | null;
}

/** The page's renderers, restated: probabilities with 3 dp, shares as integers or up to 2 dp, — for null. */
const prob = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const shares = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));


/** Set the range input as a user's drag would: the native value setter, then input and change events. */
async function setRange(page: Page, value: number) {
  await page.getByTestId('replay-range').evaluate((el, v) => {
    const input = el as HTMLInputElement;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, String(v));
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

test('replaying the real sample: slider, book tops equal to the server frame, chart drawn', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/replay');
  await expect(page.getByRole('link', { name: 'Replay' })).toBeVisible();

  const sessions = (await (await request.get('/api/sessions')).json()) as { sessions: { ref: string; kind: string; attribution?: string; startMs: number; endMs: number }[] };
  const sample = sessions.sessions.find((s) => s.ref === SAMPLE);
  expect(sample, 'the sessions list offers the bundled sample').toBeTruthy();

  await page.getByTestId('session-select').selectOption(SAMPLE);
  await expect(page.getByTestId('session-attribution')).toContainText(sample!.attribution!.slice(0, 40));
  await page.getByTestId('btn-replay-start').click();
  await expect(page.getByTestId('replay-status')).toHaveText('ready', { timeout: 90_000 });

  // A second 60 % into the session (whole seconds from the start, the range input's step).
  const target = sample!.startMs + Math.round(((sample!.endMs - sample!.startMs) * 0.6) / 1000) * 1000;
  await setRange(page, target);
  await expect(page.getByTestId('cursor-time')).toHaveText(new Date(target).toISOString().slice(11, 19));
  await expect.poll(async () => ((await request.get('/api/replay')).json() as Promise<{ cursorMs: number }>).then((s) => s.cursorMs)).toBe(target);
  const frameTime = page.getByTestId('frame-time');
  await expect(frameTime).toHaveAttribute('data-ts', String(target));
  await expect(frameTime).toHaveAttribute('data-fetching', '0');

  const res = await request.get(`/api/replay/frame?t=${target}`);
  expect(res.ok()).toBe(true);
  const frame = (await res.json()) as { tsMs: number; books: Book[] };
  expect(frame.tsMs).toBe(target);
  expect(frame.books.length, 'the sample has books 60 % into it').toBeGreaterThan(0);
  const rows = page.getByTestId('book-row');
  await expect(rows).toHaveCount(frame.books.length);
  for (const b of frame.books) {
    const row = page.locator(`[data-testid="book-row"][data-token="${b.tokenId}"]`);
    await expect(row.getByTestId('book-bid')).toHaveText(prob(b.bestBid));
    await expect(row.getByTestId('book-ask')).toHaveText(prob(b.bestAsk));
    await expect(row.getByTestId('book-bid-size')).toHaveText(shares(b.bidSize));
    await expect(row.getByTestId('book-ask-size')).toHaveText(shares(b.askSize));
  }
  // At least one side is quoted somewhere, so the comparison above was not only dashes.
  expect(frame.books.some((b) => b.bestBid !== null || b.bestAsk !== null)).toBe(true);

  // The chart: a line with points.
  const chart = page.getByTestId('mid-chart');
  await expect(chart).toBeVisible({ timeout: 30_000 });
  const d = await chart.locator('path.recharts-line-curve').first().getAttribute('d');
  expect(d ?? '').toMatch(/^M[\d.]+,[\d.]+L/);
  expect(Number(await chart.getAttribute('data-points'))).toBeLessThanOrEqual(400);

  await screenshotDesktopAndPhone(page, 'replay', page.getByTestId('books-table'));

  expect(errors).toEqual([]);
});
