/**
 * The DataView of a VenueSession: what the preflight's data stages read (reference freshness, current windows,
 * book readiness, the last lookup failure per slug). Used over the runtime's own stack and over the doctor's probe
 * stack alike, so both judge the same things the same way.
 *
 * Invariants: read-only over the stack; the lookup-failure table follows `market.lookup_failed` on the bus, holds at
 * most 32 slugs and is released by `dispose()`.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';

import { windowAt, type Asset, type WindowKind } from '../markets';
import type { DataView } from './context';
import type { ReferenceStore } from '../core';
import type { ClobMarketFeed, FeedGate, PolyboltFeed, RtdsFeed } from '../feeds';
import type { HeartbeatLoop } from '../execution';
import type { MarketCatalog } from '../markets';

/** What the preflight reads from a running venue session (structurally: a VenueSession; no import of the session). */
export interface SessionView {
  readonly reference: ReferenceStore;
  readonly refFeed: PolyboltFeed | RtdsFeed | undefined;
  readonly referenceFeed: 'polybolt' | 'rtds';
  readonly gate: Pick<FeedGate, 'isStale'>;
  readonly catalog: Pick<MarketCatalog, 'get'>;
  readonly marketFeed: Pick<ClobMarketFeed, 'book' | 'conn'>;
  readonly heartbeat?: Pick<HeartbeatLoop, 'ok' | 'consecutiveFailures' | 'answered'> | undefined;
}

export interface StackDataView extends DataView {
  dispose(): void;
}

export function stackDataView(stack: SessionView, o: { bus: EventBus; clock: Clock; asset: Asset; kinds: readonly WindowKind[] }): StackDataView {
  const failures = new Map<string, string>();
  const unsubscribe = o.bus.on('market.lookup_failed', (e) => {
    failures.delete(e.slug);
    failures.set(e.slug, `${e.reason} (attempt ${e.attempt})`);
    if (failures.size > 32) failures.delete(failures.keys().next().value!);
  });
  const referenceFeed = stack.refFeed ? stack.referenceFeed : 'none';
  return {
    referenceFeed,
    reference() {
      const latest = stack.reference.live.latest();
      const connection = stack.refFeed?.conn.connectionState ?? 'none';
      const ageMs = latest ? Math.max(0, o.clock.nowMs() - latest.tsMs) : undefined;
      return { fresh: referenceFeed !== 'none' && !stack.gate.isStale(stack.referenceFeed) && latest !== undefined, ...(latest ? { priceUsd: latest.price } : {}), ...(ageMs !== undefined ? { ageMs } : {}), connection };
    },
    windows() {
      return o.kinds.map((kind) => {
        const slug = windowAt(o.asset, kind, o.clock.nowMs()).slug;
        const r = stack.catalog.get(slug);
        return { kind, slug, ...(r ? { found: { state: r.state, version: r.version, upTokenId: r.upTokenId, downTokenId: r.downTokenId } } : {}) };
      });
    },
    bookReady: (t) => !!stack.marketFeed.book(t)?.ready,
    lastLookupFailure: (slug) => failures.get(slug),
    marketConnection: () => stack.marketFeed.conn.connectionState,
    dispose: unsubscribe,
  };
}
