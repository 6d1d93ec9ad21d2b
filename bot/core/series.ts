/** Series vocabulary: which asset and which window length a market belongs to (slug maths: bot/markets/slug.ts). */
export type WindowKind = '5m' | '15m';
export type Asset = 'btc' | 'eth' | 'sol' | 'xrp';
