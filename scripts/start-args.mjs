// Command-line arguments of `npm start` (scripts/start.mjs), kept apart so that tests can check them.
//   --arm   arm live trading as soon as the start's preflight says GO (needs TRADING_MODE=live); the server gets
//           ARM_AT_START=1. Without --arm the server always gets ARM_AT_START=0, so a variable left in the shell
//           never arms anything.

export const START_USAGE = `usage: npm start [-- --arm]

  --arm   arm live trading at start, as soon as the preflight says GO
          (needs TRADING_MODE=live and POLY_PRIVATE_KEY or POLY_PRIVATE_KEY_FILE).
          Without it a live start comes up disarmed: arm it in the console (type ARM LIVE and a reason).`;

/**
 * @param {readonly string[]} argv the arguments after the script (process.argv.slice(2))
 * @param {Record<string, string | undefined>} env the environment the server would get
 * @returns {{ ok: true, arm: boolean, help: boolean, serverEnv: { ARM_AT_START: '0' | '1' } } | { ok: false, exitCode: number, message: string }}
 */
export function parseStartArgs(argv, env) {
  let arm = false;
  let help = false;
  for (const a of argv) {
    if (a === '--arm') arm = true;
    else if (a === '--help' || a === '-h') help = true;
    else return { ok: false, exitCode: 2, message: `npm start: unknown argument ${JSON.stringify(a)}\n\n${START_USAGE}` };
  }
  const mode = env.TRADING_MODE ?? 'paper';
  if (arm && mode !== 'live') {
    return {
      ok: false,
      exitCode: 2,
      message:
        `npm start: --arm arms live trading, but TRADING_MODE is ${JSON.stringify(mode)} (this start would paper-trade).\n` +
        '  Refusing. To trade live: TRADING_MODE=live POLY_PRIVATE_KEY_FILE=… npm start -- --arm (see "Going live safely" in the README).',
    };
  }
  return { ok: true, arm, help, serverEnv: { ARM_AT_START: arm ? '1' : '0' } };
}
