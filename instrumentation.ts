// Next.js instrumentation hook: boot the bot runtime once per server process (node runtime only).
// Kept tiny on purpose: Node APIs in this file would trigger Edge-runtime warnings.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { boot } = await import('./lib/server/boot');
    await boot();
  }
}
