/** Polymarket wire-protocol schemas, one module per surface; shared by the bot's clients and the simulator. */
export * from './common';
export * from './gamma';
export * from './clob-rest';
export * from './market-ws';
export { parseMarketFrame } from './market-text';
export * from './user-ws';
export * from './polybolt';
export * from './rtds';
export * from './spot';
