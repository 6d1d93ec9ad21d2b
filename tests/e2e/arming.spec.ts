/**
 * Live arming in Chromium.
 * - Paper (the default e2e server): the badge says PAPER, the dashboard says arming is not needed, an arm is 409.
 * - Live: a second console (its own free port and data directory; TRADING_MODE=live on the embedded simulator, a
 *   freshly generated signing key, ARM_AT_START=1 as `npm start -- --arm` passes it; the simulator at real speed: at
 *   10x one CI run saw the arm gone right after the page load — most likely a CPU stall, 10x longer in venue time,
 *   tripping an automatic halt, which disarms by design) comes up and arms itself as
 *   operator(cli) once the preflight says GO: LIVE — ARMED badge and the red strip. One click disarms (LIVE —
 *   DISARMED, amber). The arm dialog keeps its button disabled until ARM LIVE is typed, shows the server's refusals
 *   inline (no reason; kill switch halted, with the not-ready reason shown before submitting) and arms once they are
 *   fixed; the strip's Disarm is one click too.
 */
import { Wallet } from '@ethersproject/wallet';
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armingStatusSchema } from '../../lib/schemas/api';
import { gotoPage, watchErrors } from './helpers';

// Every test here fails on any browser console error or uncaught page error.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = watchErrors(page);
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const shot = async (page: Page, name: string) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
};

test('paper: PAPER badge, arming not needed, an arm is refused with 409', async ({ page, request }) => {
  await gotoPage(page, '/');
  await expect(page.getByTestId('mode-badge')).toHaveText('PAPER');
  await expect(page.getByTestId('mode-badge')).toHaveAttribute('data-look', 'paper');
  await expect(page.getByTestId('arming-card')).toContainText('Paper trading: orders are simulated, there is nothing to arm.');
  await expect(page.getByTestId('arming-state')).toHaveText('NOT NEEDED');
  await expect(page.getByTestId('live-armed-strip')).toHaveCount(0);
  await expect(page.getByTestId('btn-arm')).toHaveCount(0);
  const r = await request.post('/api/arming', { data: { action: 'arm', confirm: 'ARM LIVE', reason: 'e2e paper' } });
  expect(r.status()).toBe(409);
  expect(((await r.json()) as { error: { code: string } }).error.code).toBe('conflict');
  expect(armingStatusSchema.parse(await (await request.get('/api/arming')).json())).toMatchObject({ required: false, armed: false });
});

test.describe('live console on the simulator', () => {
  test.describe.configure({ mode: 'serial' });
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;
  let base = '';
  let out = '';

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'updown-arming-'));
    child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        DATA_DIR: dataDir,
        TRADING_MODE: 'live',
        VENUE: 'sim',
        SIM_SPEED: '1',
        POLY_PRIVATE_KEY: Wallet.createRandom().privateKey,
        POLY_PRIVATE_KEY_FILE: '',
        ARM_AT_START: '1',
        LOG_LEVEL: 'warn',
        UPDOWN_ENABLE_TEST_ROUTES: '0',
        CONSOLE_TOKEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    const c = child;
    exited = new Promise((resolve) => c.once('exit', (code) => resolve(code)));
    await expect.poll(async () => (await fetch(`${base}/api/health`).then((r) => r.json()).catch(() => ({}))).state, { timeout: 60_000 }).toBe('running');
  });

  test.afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });

  const arming = async () => armingStatusSchema.parse(await fetch(`${base}/api/arming`).then((r) => r.json()));
  const killSwitch = (state: string, reason: string) =>
    fetch(`${base}/api/kill-switch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state, reason }) }).then((r) => r.status);

  test('--arm at start arms at GO; one click disarms; the dialog arms only with ARM LIVE and a reason; the strip disarms', async ({ page }) => {
    test.setTimeout(120_000);
    // ARM_AT_START=1: armed by operator(cli) as soon as the start's preflight says GO.
    await expect.poll(async () => (await arming()).armed, { timeout: 60_000 }).toBe(true);
    expect(await arming()).toMatchObject({ required: true, actor: 'operator(cli)', reason: '--arm at start' });
    expect(out).toContain('LIVE TRADING ARMED (--arm at start)');

    await page.setViewportSize({ width: 1440, height: 1100 });
    await gotoPage(page, `${base}/`);
    await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
    // Still armed after the page load (a failure here names what disarmed it: an automatic halt says which trigger).
    expect(await arming()).toMatchObject({ armed: true, reason: '--arm at start' });
    const badge = page.getByTestId('mode-badge');
    await expect(badge).toHaveText('LIVE — ARMED');
    await expect(badge).toHaveAttribute('data-look', 'live-armed');
    await expect(page.getByTestId('live-armed-strip')).toBeVisible();
    await expect(page.getByTestId('live-armed-strip')).toContainText('armed by operator(cli)');
    await expect(page.getByTestId('arming-state')).toHaveText('ARMED');
    await expect(page).toHaveTitle(/^● LIVE ARMED — /);
    await shot(page, 'arming-live-armed');

    // One click, no dialog.
    await page.getByTestId('btn-disarm').click();
    await expect(badge).toHaveText('LIVE — DISARMED');
    await expect(badge).toHaveAttribute('data-look', 'live-disarmed');
    await expect(page.getByTestId('live-armed-strip')).toHaveCount(0);
    await expect(page.getByTestId('arming-state')).toHaveText('DISARMED');
    await expect(page).not.toHaveTitle(/LIVE ARMED/);
    expect(await arming()).toMatchObject({ armed: false, actor: 'operator(local)', reason: 'disarmed from the console' });
    await expect(page.getByTestId('arming-last')).toContainText('Disarmed at');
    await shot(page, 'arming-live-disarmed');

    // The dialog: disabled until the text matches exactly.
    await page.getByTestId('btn-arm').click();
    const dialog = page.getByTestId('arm-dialog');
    await expect(dialog).toBeVisible();
    const submit = page.getByTestId('arm-submit');
    await expect(submit).toBeDisabled();
    await page.getByTestId('arm-confirm').fill('arm live');
    await expect(submit).toBeDisabled();
    await page.getByTestId('arm-confirm').fill('ARM LIVE');
    await expect(submit).toBeEnabled();
    // No reason: the dialog checks the body with the server's schema, shows the field error inline, sends nothing.
    await submit.click();
    await expect(page.getByTestId('arm-error')).toContainText(/at least 3 characters/);
    expect((await arming()).armed).toBe(false);

    // Kill switch halted elsewhere: the dialog says why an arm would be refused, and the refusal (409) shows inline.
    expect(await killSwitch('halted', 'e2e arming: halted')).toBe(200);
    await expect(page.getByTestId('arm-not-ready')).toContainText('the kill switch is halted');
    await page.getByTestId('arm-reason').fill('e2e arm through the dialog');
    await submit.click();
    await expect(page.getByTestId('arm-error')).toContainText('cannot arm: the kill switch is halted');
    // That refusal is the server's (409): Chromium logs the refused request, and exactly that line is expected.
    expect(pageErrors.splice(0)).toEqual([expect.stringMatching(/status of 409 \(Conflict\)/)]);
    expect((await arming()).armed).toBe(false);
    await expect(badge).toHaveText('LIVE — DISARMED');

    // Re-activated: the not-ready note goes away and the same dialog arms.
    expect(await killSwitch('active', 'e2e arming: resume')).toBe(200);
    await expect(page.getByTestId('arm-not-ready')).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByTestId('arm-error')).toHaveCount(0); // the earlier refusal no longer stands
    await shot(page, 'arming-dialog');
    await submit.click();
    await expect(dialog).toHaveCount(0);
    await expect(badge).toHaveText('LIVE — ARMED');
    await expect(page.getByTestId('live-armed-strip')).toContainText('e2e arm through the dialog');
    expect(await arming()).toMatchObject({ armed: true, actor: 'operator(local)', reason: 'e2e arm through the dialog' });

    // The strip's Disarm: one click as well.
    await page.getByTestId('strip-disarm').click();
    await expect(badge).toHaveText('LIVE — DISARMED');
    await expect(page.getByTestId('live-armed-strip')).toHaveCount(0);
    expect(await arming()).toMatchObject({ armed: false, actor: 'operator(local)' });
  });
});
