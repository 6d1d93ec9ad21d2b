/** Public venue REST clients (Gamma, CLOB public reads) and the JSON GET helper (User-Agent, timeout, zod). */
export { ClobPublicClient, getJson, summaryHash, type FetchFn, type HttpResult } from './clob-public';
export { GammaClient, type GammaLookup } from './gamma-client';
