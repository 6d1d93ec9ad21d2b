/**
 * Preflight stages about market data, read from a DataView (the running stack, or the doctor's probe stack):
 * the reference price is fresh, the current window of every configured series is found, and both books of each
 * current window are ready. Each waits on the injected Clock until the condition holds or the run's data deadline
 * passes (a just-started stack needs a few seconds), so a slow start is not a failure but a dead feed is.
 *
 * Invariants: no reference feed (paper on the real venue without CLOB API credentials) fails the reference stage
 * with the `npm run keys -- --new-wallet` fix; the deprecated RTDS feed is at best a warning.
 */
import { KEYS_COMMAND } from '../execution/keys-command';
import type { PreflightSession } from './context';
import { fail, ok, skip, warn, type StageDef } from './runner';
import { ENDPOINT_ENV } from '../core';

const noView = () => skip('no market data view in this run');

export function referenceStage(s: PreflightSession): StageDef {
  return {
    id: 'reference',
    title: 'reference feed',
    timeoutMs: (s.ctx.dataWaitMs ?? 20_000) + 10_000,
    async run() {
      const d = s.ctx.data;
      if (!d) return noView();
      if (d.referenceFeed === 'none') {
        return fail(
          'no reference price: the PolyBolt feed needs CLOB API credentials and none were found, so nothing can trade',
          `\`${KEYS_COMMAND} -- --new-wallet\` (creates a data-only paper wallet and its CLOB API credentials in the data directory), or set POLY_PRIVATE_KEY, or POLY_API_KEY / POLY_API_SECRET / POLY_API_PASSPHRASE`,
        );
      }
      const fresh = await s.waitFor(() => d.reference().fresh);
      const r = d.reference();
      const url = d.referenceFeed === 'polybolt' ? s.ctx.endpoints.polybolt : s.ctx.endpoints.rtds;
      if (!fresh) {
        return fail(
          `no fresh reference price from ${d.referenceFeed} within ${((s.dataDeadlineMs - s.startedMs) / 1000).toFixed(0)} s (connection ${r.connection}${r.ageMs !== undefined ? `, last price ${(r.ageMs / 1000).toFixed(1)} s ago` : ', no price yet'})`,
          d.referenceFeed === 'polybolt'
            ? `check that ${url} is reachable (${ENDPOINT_ENV.polybolt}) and that the CLOB API credentials are valid (PolyBolt refuses unknown keys: \`${KEYS_COMMAND}\`)`
            : `legacy RTDS is deprecated and may be gone: \`${KEYS_COMMAND} -- --new-wallet\` and unset REFERENCE_FEED`,
        );
      }
      const price = r.priceUsd !== undefined ? `BTC $${r.priceUsd.toLocaleString('en-US', { maximumFractionDigits: 2 })}` : 'fresh';
      if (d.referenceFeed === 'rtds') return warn(`${price} from legacy RTDS (deprecated; planned for removal)`, `\`${KEYS_COMMAND} -- --new-wallet\` and unset REFERENCE_FEED to use PolyBolt`);
      return ok(`${price} from ${d.referenceFeed}${r.ageMs !== undefined ? `, ${(r.ageMs / 1000).toFixed(1)} s old` : ''}`);
    },
  };
}

export function windowsStage(s: PreflightSession): StageDef {
  return {
    id: 'windows',
    title: 'current windows',
    timeoutMs: (s.ctx.dataWaitMs ?? 20_000) + 10_000,
    async run() {
      const d = s.ctx.data;
      if (!d) return noView();
      const found = await s.waitFor(() => d.windows().every((w) => w.found));
      const ws = d.windows();
      if (!found) {
        const missing = ws.filter((w) => !w.found).map((w) => `${w.slug}: ${d.lastLookupFailure(w.slug) ?? 'no answer yet'}`);
        return fail(
          `not found: ${missing.join('; ')}`,
          `check that ${s.ctx.endpoints.gamma} (${ENDPOINT_ENV.gamma}) and ${s.ctx.endpoints.clob} (${ENDPOINT_ENV.clob}) answer; "not listed yet" for a running window means this venue does not list the series`,
        );
      }
      return ok(ws.map((w) => `${w.kind} ${w.slug} (${w.found!.state}${w.found!.version === 'v2' ? ', v2' : ''})`).join(', '));
    },
  };
}

export function booksStage(s: PreflightSession): StageDef {
  return {
    id: 'books',
    title: 'books',
    needs: ['windows'],
    timeoutMs: (s.ctx.dataWaitMs ?? 20_000) + 10_000,
    async run() {
      const d = s.ctx.data;
      if (!d) return noView();
      const tokens = () => d.windows().flatMap((w) => (w.found ? [w.found.upTokenId, w.found.downTokenId] : []));
      const ready = await s.waitFor(() => tokens().length > 0 && tokens().every((t) => d.bookReady(t)));
      const all = tokens();
      const n = all.filter((t) => d.bookReady(t)).length;
      if (!ready) {
        return fail(
          `${n}/${all.length} books ready (market socket ${d.marketConnection()})`,
          `check that ${s.ctx.endpoints.marketWs} (${ENDPOINT_ENV.marketWs}) is reachable and sends book snapshots`,
        );
      }
      return ok(`${n}/${all.length} books ready`);
    },
  };
}
