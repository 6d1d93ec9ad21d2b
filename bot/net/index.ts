/** Socket plumbing shared by the data-side feeds and the order-side user socket: reconnecting WebSocket, health, backoff. */
export { Backoff, type BackoffOptions } from './backoff';
export { FeedHealth, type FeedHealthOptions } from './feed-health';
export { WsConnection, type WsConnectionOptions } from './ws-connection';
