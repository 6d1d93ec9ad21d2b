// `npm start`: the console with the bot on the real Polymarket endpoints, paper trading unless
// TRADING_MODE=live (which also needs credentials; the runtime refuses to start without them). A live start comes
// up disarmed; `npm start -- --arm` arms it as soon as the preflight says GO (scripts/start-args.mjs).
import { buildIfStale, listenHost, refuseUnsafeBinding, startNext } from './lib.mjs';
import { parseStartArgs, START_USAGE } from './start-args.mjs';

const args = parseStartArgs(process.argv.slice(2), process.env);
if (!args.ok) {
  console.error(args.message);
  process.exit(args.exitCode);
}
if (args.help) {
  console.log(START_USAGE);
  process.exit(0);
}
// A non-loopback HOST without CONSOLE_TOKEN: refused before building or starting anything.
refuseUnsafeBinding(process.env);
buildIfStale();
const port = Number(process.env.PORT ?? 3000);
const mode = process.env.TRADING_MODE ?? 'paper';
const venue = process.env.VENUE ?? 'polymarket';
console.log(`Up/Down Console: http://${listenHost(process.env)}:${port}  (${mode} trading, ${venue} venue)`);
if (args.arm) console.log('--arm: live trading will be ARMED as soon as the preflight says GO (disarm in the console: one click)');
else if (mode === 'live') console.log('live mode comes up DISARMED: arm it in the console (type ARM LIVE and a reason) or restart with `npm start -- --arm`');
startNext({ port, env: { VENUE: venue, TRADING_MODE: mode, DATA_DIR: process.env.DATA_DIR ?? './data/live', ...args.serverEnv } });
