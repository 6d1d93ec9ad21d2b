// `npm run demo`: the console on http://127.0.0.1:3000 with the bot paper-trading against the built-in simulator.
import { buildIfStale, startNext } from './lib.mjs';

buildIfStale();
const port = Number(process.env.PORT ?? 3000);
console.log(`Up/Down Console demo: http://127.0.0.1:${port}  (paper trading, simulator venue)`);
startNext({
  port,
  env: {
    VENUE: 'sim',
    TRADING_MODE: 'paper',
    DATA_DIR: process.env.DATA_DIR ?? './data/demo',
    SIM_SPEED: process.env.SIM_SPEED ?? '1',
  },
});
