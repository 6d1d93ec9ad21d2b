/**
 * Process boot (called once from the node instrumentation hook): create the runtime, start it when
 * configured, request the live arm when `npm start -- --arm` asked for it (ARM_AT_START), and stop everything
 * cleanly on SIGTERM/SIGINT (SSE streams first, or `next start` would stay alive for minutes holding them open).
 */
import 'server-only';
import { getRuntimeHolder, type RuntimeHolder } from './runtime-registry';

const BOOTED = Symbol.for('updown.booted.v1');

export async function boot(): Promise<void> {
  const g = globalThis as typeof globalThis & { [BOOTED]?: boolean };
  if (g[BOOTED]) return;
  g[BOOTED] = true;
  let holder: ReturnType<typeof getRuntimeHolder>;
  try {
    holder = getRuntimeHolder();
  } catch (err) {
    // Unsafe or incomplete configuration: refuse to run rather than trade on it.
    console.error(`\nUp/Down Console refused to start:\n  ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    holder.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 8_000);
    force.unref();
    holder.shutdown(`signal ${signal}`).finally(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  if (holder.runtime.config.autoStart) {
    await holder.runtime.start('boot');
  }
  if (holder.env.ARM_AT_START) armAtStart(holder);
}

/**
 * `--arm`: arm live trading as soon as the start's preflight says GO (LiveArming.armWhenReady). It applies to the
 * start at boot only; a paper runtime (nothing to arm), AUTO_START=false or a failed start log why and carry on.
 */
export function armAtStart(holder: RuntimeHolder): 'requested' | 'skipped' {
  const { runtime, logger } = holder;
  const arming = runtime.session?.arming;
  if (!arming?.required) {
    logger.warn({ mode: runtime.config.mode }, '--arm ignored: this runtime trades on paper (live needs TRADING_MODE=live and a signing key)');
    return 'skipped';
  }
  const state = runtime.status().state;
  if (state !== 'running') {
    logger.error({ state, lastError: runtime.status().lastError }, `--arm not applied: the runtime is ${state} after boot (AUTO_START=false or a failed start); arm it in the console once it runs`);
    return 'skipped';
  }
  const off = runtime.bus.on('arming.changed', (e) => {
    if (!e.armed || e.actor !== 'operator(cli)') return;
    off();
    logger.warn({ actor: e.actor, reason: e.reason }, 'LIVE TRADING ARMED (--arm at start): orders go to the venue; disarm in the console (one click) or stop the server');
  });
  try {
    const snap = arming.armWhenReady({ actor: 'operator(cli)', reason: '--arm at start' });
    if (!snap.armed) logger.warn({ waitingFor: snap.notReady }, '--arm at start: live trading will be armed as soon as the preflight says GO');
    return 'requested';
  } catch (err) {
    off();
    logger.error({ err: err instanceof Error ? err.message : String(err) }, '--arm refused');
    return 'skipped';
  }
}
