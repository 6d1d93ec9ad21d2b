/**
 * Process boot (called once from the node instrumentation hook): create the runtime, start it when
 * configured, and stop everything cleanly on SIGTERM/SIGINT (SSE streams first, or `next start` would
 * stay alive for minutes holding them open).
 */
import 'server-only';
import { getRuntimeHolder } from './runtime-registry';

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
}
