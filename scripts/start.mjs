// `npm start`: the console with the bot on the real Polymarket endpoints, paper trading unless
// TRADING_MODE=live (which also needs credentials; the runtime refuses to start without them).
import { buildIfStale, startNext } from './lib.mjs';

buildIfStale();
const port = Number(process.env.PORT ?? 3000);
const mode = process.env.TRADING_MODE ?? 'paper';
console.log(`Up/Down Console: http://127.0.0.1:${port}  (${mode} trading, polymarket venue)`);
startNext({ port, env: { VENUE: process.env.VENUE ?? 'polymarket', TRADING_MODE: mode, DATA_DIR: process.env.DATA_DIR ?? './data/live' } });
