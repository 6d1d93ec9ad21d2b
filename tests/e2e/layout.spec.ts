/**
 * The console's shared frame in Chromium: every page in the navigation renders inside the one (console) layout
 * (the header survives client navigation), dark by default, with the manifest and icons linked; no browser console
 * error and no failed (>= 400) request for any asset a page asks for; the manifest, icons and /favicon.ico are
 * served with the right content types and sizes; unknown URLs get the 404 page with the navigation; the loading
 * skeleton shows while a page is on its way (screenshot); and a burst of bus events reaches the page in full
 * while the page re-renders at most ~10 times a second.
 */
import { expect, type Page, type Request, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { emit, watchErrors } from './helpers';

/** The pages the navigation lists (components/ui/nav-bar.tsx), in its order. */
const NAV: readonly (readonly [string, string])[] = [
  ['/', 'Dashboard'],
  ['/feeds', 'Feeds'],
  ['/strategy', 'Strategy'],
  ['/book', 'Book'],
  ['/orders', 'Orders'],
  ['/config', 'Config'],
  ['/replay', 'Replay'],
  ['/calibration', 'Calibration'],
  ['/audit', 'Audit'],
];
const THEME = '#020617';

const RESOURCE_404 = /^console: Failed to load resource: the server responded with a status of 404/;

/**
 * What a page got wrong: every response with status >= 400 (documents, scripts, styles, icons, fetches) and every
 * browser console error.
 */
function watchProblems(page: Page): () => { failed: string[]; errors: string[] } {
  const errors = watchErrors(page);
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return () => ({ failed, errors });
}

/** The frame every console page has: header with the product link, nav with every page, the page's link current. */
async function expectFrame(page: Page, path: string) {
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav).toBeVisible();
  for (const [, label] of NAV) await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  const current = NAV.find(([href]) => href === path)![1];
  await expect(nav.getByRole('link', { name: current, exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.locator('main')).not.toBeEmpty();
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  // The demo has no CONSOLE_TOKEN: nothing to log in to, so no session link.
  await expect(page.getByTestId('session-link')).toHaveCount(0);
}

async function expectHead(page: Page) {
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
  await expect(page.locator('head link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('head meta[name="theme-color"]')).toHaveAttribute('content', THEME);
  expect(await page.locator('head link[rel="icon"]').count()).toBeGreaterThan(0);
  // The body is dark: slate-950 background.
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toMatch(/^rgb\(255, 255, 255\)$/);
}

test('every page in the navigation renders in the shared frame without errors or failed requests', async ({ page, request }) => {
  test.setTimeout(120_000);
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  for (const [path] of NAV) {
    expect((await request.get(path)).status(), `${path} answers`).toBe(200);
    const res = await page.goto(path);
    expect(res?.status(), `${path} document`).toBe(200);
    await expectFrame(page, path);
    await expectHead(page);
  }
  expect(problems()).toEqual({ failed: [], errors: [] });
});

test('client navigation keeps the layout mounted and moves the current-page mark', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/');
  await expectFrame(page, '/');
  // A mark on the header element: a shared layout keeps the same DOM node across pages, a per-page frame would not.
  await page.locator('header').evaluate((h) => h.setAttribute('data-layout-mark', 'kept'));
  const nav = page.getByRole('navigation', { name: 'Pages' });
  for (const path of ['/feeds', '/replay', '/calibration', '/audit', '/']) {
    const label = NAV.find(([href]) => href === path)![1];
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path === '/' ? '/$' : path}$`));
    await expectFrame(page, path);
    await expect(page.locator('header')).toHaveAttribute('data-layout-mark', 'kept');
  }
  expect(problems()).toEqual({ failed: [], errors: [] });
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

test('manifest, icons and favicon are served with the right types', async ({ page, request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const manifest = (await res.json()) as { name: string; short_name: string; display: string; theme_color: string; background_color: string; start_url: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
  expect(manifest.name).toBe('Up/Down Console');
  expect(manifest.short_name.length).toBeLessThanOrEqual(12);
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('/');
  expect(manifest.theme_color).toBe(THEME);
  expect(manifest.background_color).toBe(THEME);
  expect(manifest.icons.some((i) => i.sizes === 'any' && i.type === 'image/svg+xml')).toBe(true);
  expect(manifest.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons) {
    const r = await request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()['content-type'], icon.src).toContain(icon.type);
    const body = await r.body();
    if (icon.type === 'image/png') {
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(body), icon.src).toEqual({ width: w, height: h });
    } else {
      expect(body.toString('utf8')).toContain('<svg');
    }
  }

  const favicon = await request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect((await favicon.body()).subarray(0, 4).toString('hex')).toBe('00000100'); // ICO header
  const apple = await request.get('/apple-touch-icon.png');
  expect(apple.status()).toBe(200);
  expect(pngSize(await apple.body())).toEqual({ width: 180, height: 180 });

  // Every icon the page links is served as an image.
  await page.goto('/');
  const hrefs = await page.locator('head link[rel~="icon"]').evaluateAll((ls) => ls.map((l) => (l as HTMLLinkElement).href));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    const r = await request.get(href);
    expect(r.status(), href).toBe(200);
    expect(r.headers()['content-type'], href).toMatch(/^image\//);
  }
});

test('an unknown address gets the 404 page with the navigation', async ({ page }) => {
  const problems = watchProblems(page);
  const res = await page.goto('/no-such-console-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toContainText('Page not found');
  await expect(page.getByRole('navigation', { name: 'Pages' })).toBeVisible();
  await expect(page.locator('head link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  // The only failure is the document's own 404 (and Chromium's console line for it).
  const { failed, errors } = problems();
  expect(failed).toEqual([`404 GET ${res!.url()}`]);
  expect(errors.filter((e) => !RESOURCE_404.test(e))).toEqual([]);
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
});

test('the loading skeleton fills the frame while a page is on its way', async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  // The router shows a route's loading UI at once only after it has prefetched the route (links in view prefetch
  // on idle; Next 16 asks for the route tree, then the segments): wait for two prefetch answers.
  let prefetches = 0;
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/calibration' && r.request().headers()['next-router-prefetch'] === '1') prefetches++;
  });
  await page.goto('/');
  await expectFrame(page, '/');
  await expect.poll(() => prefetches).toBeGreaterThanOrEqual(2);
  // Hold the navigation's server payload for /calibration (prefetches pass), so the route's loading UI is on screen.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const isNavigationPayload = (req: Request) => {
    const h = req.headers();
    return new URL(req.url()).pathname === '/calibration' && h['rsc'] === '1' && !h['next-router-prefetch'];
  };
  await page.route('**/calibration*', async (route) => {
    if (isNavigationPayload(route.request())) await held;
    await route.continue();
  });
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Calibration', exact: true }).click();
  const skeleton = page.getByTestId('page-skeleton');
  await expect(skeleton).toBeVisible();
  await expect(page.locator('header')).toBeVisible(); // inside the frame, not instead of it
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/layout-loading-desktop.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/screenshots/layout-loading-mobile.png' });
  release();
  await expect(skeleton).toHaveCount(0);
  await expectFrame(page, '/calibration');
  expect(problems()).toEqual({ failed: [], errors: [] });
});

test('a burst of events arrives in full while the page re-renders at most ~10 times a second', async ({ page, request }) => {
  const problems = watchProblems(page);
  await page.goto('/');
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  const card = page.getByTestId('recent-events');
  await expect(card).toBeVisible();
  // Count the commits that touch the recent-events card: one MutationObserver callback per React commit.
  await card.evaluate((el) => {
    const w = window as unknown as { __commits: number[] };
    w.__commits = [];
    new MutationObserver(() => w.__commits.push(performance.now())).observe(el, { subtree: true, childList: true, characterData: true });
  });
  // 40 bursts of 15 events, one after the other (each a request round trip): a stream spread over a few hundred
  // ms, which per-event rendering would commit at least once per burst.
  let lastSeq = 0;
  for (let i = 0; i < 40; i++) lastSeq = await emit(request, 15, 40);
  // The newest row is the last emitted event: nothing was lost on the way.
  await expect(card.locator('tbody tr').first().locator('td').first()).toHaveText(String(lastSeq), { timeout: 10_000 });
  const commits = await page.evaluate(() => (window as unknown as { __commits: number[] }).__commits);
  expect(commits.length).toBeGreaterThan(0);
  expect(commits.length, 'fewer commits than bursts').toBeLessThan(40);
  const spanMs = commits.at(-1)! - commits[0]!;
  test.info().annotations.push({ type: 'commits', description: `${commits.length} commits over ${Math.round(spanMs)} ms` });
  // ~10 flushes a second (plus the one that starts the span and other live updates of the card's rows).
  expect(commits.length, `${commits.length} commits over ${Math.round(spanMs)} ms`).toBeLessThanOrEqual(Math.ceil(spanMs / 100) + 3);
  expect(problems()).toEqual({ failed: [], errors: [] });
});

test('first loads on a slow CPU hydrate without a mismatch (queries wait for the page to hydrate)', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = watchProblems(page);
  await page.goto('/');
  // A slow CPU stretches hydration of the page's Suspense boundary (loading.tsx) past the nav bar's status fetch:
  // without the query gate this page logged React error #418 on about 4 of 10 loads.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 12 });
  for (let i = 0; i < 4; i++) {
    await page.goto(i % 2 ? '/replay' : '/');
    await expect(page.getByTestId('mode-badge')).toHaveText('PAPER', { timeout: 30_000 });
    await expect(page.getByTestId('stream-badge')).toHaveText('live stream', { timeout: 30_000 });
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  expect(problems()).toEqual({ failed: [], errors: [] });
});

test('data pages carry their first snapshot in the server-rendered HTML (no loading state in the document)', async ({ request }) => {
  // What each page shows only once it has data; the loading state it would show without a server snapshot.
  const pages: [string, string, string][] = [
    ['/feeds', 'data-testid="feeds-view"', 'data-testid="feeds-loading"'],
    ['/book', 'data-testid="book-window-slug"', 'data-testid="book-loading"'],
    ['/strategy', 'data-testid="instance-picker"', 'data-testid="strategy-loading"'],
    ['/orders', 'data-testid="orders-table"', 'data-testid="orders-loading"'],
    ['/audit', 'data-testid="audit-row"', 'data-testid="audit-loading"'],
    ['/config', 'data-testid="config-field"', 'data-testid="config-loading"'],
  ];
  for (const [path, loaded, loading] of pages) {
    const html = await (await request.get(path)).text();
    expect(html, `${path} server HTML has data`).toContain(loaded);
    expect(html, `${path} server HTML is not the loading state`).not.toContain(loading);
  }
});
