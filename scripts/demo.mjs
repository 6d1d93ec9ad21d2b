// `npm run demo`: the console on http://127.0.0.1:3000 with the bot paper-trading against the built-in simulator.
import { buildIfStale, listenHost, refuseUnsafeBinding, startNext } from './lib.mjs';

// A non-loopback HOST without CONSOLE_TOKEN: refused before building or starting anything.
refuseUnsafeBinding(process.env);
buildIfStale();
const port = Number(process.env.PORT ?? 3000);
console.log(`Up/Down Console demo: http://${listenHost(process.env)}:${port}  (paper trading, simulator venue)`);
startNext({
  port,
  env: {
    VENUE: 'sim',
    TRADING_MODE: 'paper',
    DATA_DIR: process.env.DATA_DIR ?? './data/demo',
    SIM_SPEED: process.env.SIM_SPEED ?? '1',
    // BTC and ETH 5m + 15m and BTC hourly, each with its own strategies (edit it, or point CONFIG_FILE elsewhere).
    CONFIG_FILE: process.env.CONFIG_FILE ?? 'scripts/demo-config.json',
  },
});
