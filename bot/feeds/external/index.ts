/** External signal sources for trend-window (issue 14): Deribit put/call ratio and Fear & Greed, polled by the runtime. */
export { ExternalSignalPoller, readExternalBody, type ExternalReplayStats, type ExternalSignalPollerOptions, type ExternalSignalSnapshot, type ExternalSignalUrls } from './poller';
export { externalSignalUrlsFor } from './urls';
export { parsePutCall, putCallScore, deribitSummaryUrl, deribitBookSummaryResponseSchema, DEFAULT_PUT_CALL_SCORING, type PutCallScoring } from './deribit-put-call';
export { parseFearGreed, fearGreedScore, fearGreedConfidence, fearGreedUrl, fearGreedResponseSchema, DEFAULT_FEAR_GREED_SCORING, type FearGreedScoring } from './fear-greed';
export { fetchJson, type FetchLike, type FetchOutcome } from './fetch-json';
export { BadBodyError, EXTERNAL_SIGNAL_IDS, type ExternalReading, type ExternalSignalId } from './reading';
export { decodeRecordedReading, encodeRecordedReading, recordedReadingSchema, type RecordedReading } from './recorded-reading';
