/** Shared feed types: names, connection states (a table), and the HTTP fetch signature feeds use for resyncs. */
import type { TransitionTable } from '../util/state-machine';

export type FeedName = 'clob-market' | 'clob-user' | 'polybolt' | 'rtds' | 'spot';
/**
 * What the raw-frame tap (the recorder) sees: every socket's text frames, the market-data REST answers, and the
 * external signal readings (bot/feeds/external/recorded-reading.ts).
 */
export type RawSource = FeedName | 'clob-rest' | 'external';
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

export const CONNECTION: TransitionTable<ConnectionState> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'backoff', 'closed'],
  open: ['backoff', 'closed'],
  backoff: ['connecting', 'closed'],
  closed: ['connecting'],
};

export interface ApiCredentials {
  key: string;
  secret: string;
  passphrase: string;
}
