/**
 * Preflight stages about the venue's reachability and our standing with it: every endpoint the configuration uses
 * answers (HTTP) or completes a WebSocket handshake; our clock agrees with the venue's `GET /time`; the geoblock check
 * (`GET https://polymarket.com/api/geoblock`) does not block this IP.
 *
 * Invariants: unreachable required endpoints (Gamma, CLOB, market socket; the user socket in live) fail; the spot
 * stream (only the degraded-mode fallback) warns. Clock skew above `CLOCK_FAIL_MS` fails in both modes (window
 * boundaries are computed on our clock); geoblocked fails live and warns paper (no order is sent in paper).
 */

import { ClobPublicClient, getJson } from '../http/clob-public';
import { GeoblockResponse } from '../protocol';
import type { PreflightSession } from './context';
import { httpGet, wsHandshake } from './probes';
import { fail, failIf, ok, warn, type StageDef, type StageOutcome } from './runner';
import { ENDPOINT_ENV, type VenueEndpoints } from '../core';

export const CLOCK_WARN_MS = 2_000;
export const CLOCK_FAIL_MS = 5_000;

const reachFix = (key: keyof VenueEndpoints, url: string) =>
  `check the network path to ${url} (firewall, proxy, DNS, VPN); if ${ENDPOINT_ENV[key]} is set, check its value (unset it for Polymarket's)`;

function httpStage(s: PreflightSession, key: 'gamma' | 'clob', path: string): StageDef {
  const url = s.ctx.endpoints[key];
  return {
    id: `endpoint.${key}`,
    title: `endpoint ${key}`,
    async run() {
      const r = await httpGet(s.ctx.fetchFn ?? fetch, `${url}${path}`, s.httpTimeoutMs, () => s.ctx.clock.nowMs());
      if (!r.ok) return fail(`${url} unreachable (${r.reason})`, reachFix(key, url));
      if (r.status >= 500) return fail(`${url} answers HTTP ${r.status}`, `the venue reports an outage; wait and re-run (status: https://status.polymarket.com)`);
      if (r.status === 403 || r.status === 451) return fail(`${url} refuses this host (HTTP ${r.status})`, 'the venue blocks this IP or region; run from a permitted location');
      return ok(`${url} answers (HTTP ${r.status}, ${r.ms} ms)`);
    },
  };
}

function wsStage(s: PreflightSession, key: 'marketWs' | 'userWs' | 'polybolt' | 'rtds' | 'spot', required: boolean, note = ''): StageDef {
  const url = s.ctx.endpoints[key];
  const name = { marketWs: 'market-ws', userWs: 'user-ws', polybolt: 'polybolt', rtds: 'rtds', spot: 'spot' }[key];
  return {
    id: `endpoint.${name}`,
    title: `endpoint ${name}`,
    async run() {
      const r = await wsHandshake(url, s.httpTimeoutMs, () => s.ctx.clock.nowMs());
      if (r.ok) return ok(`${url} handshake ok (${r.ms} ms)`);
      return required ? fail(`${url} unreachable (${r.reason})`, reachFix(key, url)) : warn(`${url} unreachable (${r.reason})${note}`, reachFix(key, url));
    },
  };
}

/** One stage per endpoint this configuration uses. */
export function endpointStages(s: PreflightSession): StageDef[] {
  const live = s.ctx.mode === 'live';
  const ref = s.ctx.data?.referenceFeed ?? (s.ctx.credentials.ok ? s.ctx.credentials.resolved.reference : 'none');
  return [
    httpStage(s, 'gamma', '/markets?limit=1'),
    httpStage(s, 'clob', '/ok'),
    wsStage(s, 'marketWs', true),
    ...(live ? [wsStage(s, 'userWs', true)] : []),
    ...(ref === 'polybolt' ? [wsStage(s, 'polybolt', true)] : []),
    ...(ref === 'rtds' ? [wsStage(s, 'rtds', true)] : []),
    wsStage(s, 'spot', false, ' — spot is only the fallback when the reference is stale'),
  ];
}

const secs = (ms: number) => `${ms >= 0 ? '+' : '-'}${(Math.abs(ms) / 1000).toFixed(1)} s`;

/** Our clock against the venue's `GET /time` (whole seconds: about ±0.5 s of resolution). */
export function clockStage(s: PreflightSession): StageDef {
  return {
    id: 'clock',
    title: 'clock skew',
    needs: ['endpoint.clob'],
    async run(): Promise<StageOutcome> {
      const { clock } = s.ctx;
      const before = clock.nowMs();
      const r = await new ClobPublicClient(s.ctx.endpoints.clob, s.ctx.fetchFn ?? fetch).serverTimeSec();
      const after = clock.nowMs();
      if (!r.ok) return fail(`GET /time failed (${r.reason})`, reachFix('clob', s.ctx.endpoints.clob));
      const skewMs = Math.round((before + after) / 2 - (r.value * 1000 + 500));
      const fix = 'sync the system clock with NTP (`timedatectl set-ntp true`, or chrony/ntpd) and re-run: windows open and close on the venue clock, and L2 signatures carry our timestamp';
      const what = `${secs(skewMs)} vs venue (our clock is ${(Math.abs(skewMs) / 1000).toFixed(1)} s ${skewMs >= 0 ? 'ahead of' : 'behind'} GET /time)`;
      if (Math.abs(skewMs) > CLOCK_FAIL_MS) return fail(what, fix);
      if (Math.abs(skewMs) > CLOCK_WARN_MS) return warn(what, fix);
      return ok(`${secs(skewMs)} vs venue`);
    },
  };
}

/** polymarket.com's geoblock answer for this IP. */
export function geoblockStage(s: PreflightSession): StageDef {
  const url = s.ctx.endpoints.geoblock;
  return {
    id: 'geoblock',
    title: 'geoblock',
    async run() {
      const r = await getJson(s.ctx.fetchFn ?? fetch, url, GeoblockResponse, undefined, s.httpTimeoutMs);
      if (!r.ok) return failIf(s.required, `could not check ${url} (${r.reason})`, reachFix('geoblock', url));
      const g = r.value;
      const where = [g.country, g.region].filter(Boolean).join('-') || 'unknown region';
      if (g.blocked) {
        return failIf(
          s.required,
          `geoblocked: Polymarket refuses orders from this IP (${g.ip ?? '?'}, ${where})${s.required ? '' : ' — paper trading and market data still work'}`,
          'run the bot from a location where Polymarket permits trading; do not route around the block',
        );
      }
      return ok(`not blocked (${where})`);
    },
  };
}
