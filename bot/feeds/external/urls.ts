/**
 * Where the external signal sources are for a run: on venue=sim the embedded simulator's external-signals server
 * (both sources on one base URL), never the internet (a sim run with a test's own venue and no simulator URL polls
 * nothing); on the real venue the configured base URLs.
 */
import type { RuntimeConfig } from '../../../lib/schemas/config';
import type { ExternalSignalUrls } from './poller';

export function externalSignalUrlsFor(config: Pick<RuntimeConfig, 'venue' | 'externalSignals'>, simBaseUrl: string | undefined): ExternalSignalUrls | undefined {
  if (config.venue === 'sim') return simBaseUrl ? { deribit: simBaseUrl, fearGreed: simBaseUrl, label: 'simulator' } : undefined;
  return { deribit: config.externalSignals.deribitUrl, fearGreed: config.externalSignals.fearGreedUrl };
}
