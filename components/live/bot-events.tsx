'use client';
/**
 * One EventSource per tab on /api/events, shared through context. Every frame is validated with the same
 * zod union the bot publishes; the browser resumes with Last-Event-ID on reconnect, and on `resync` (or a
 * new server instance) refetches state over REST. Keeps a bounded list of recent events.
 *
 * Invariants: `subscribe(fn)` listeners get every validated event synchronously, in order. The context value
 * (recent, heartbeat, last kill switch / runtime state, bad-frame count) is folded per event outside React and
 * flushed into React state at most once per FLUSH_MS (components/live/coalescer.ts), so a busy stream re-renders
 * consumers at most ~10 times a second. `recent` holds at most MAX_RECENT events and is cleared (immediately) when
 * the server instance changes.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type BotEvent, botEventSchema, type EventOf } from '../../lib/schemas/events';
import { createCoalescer } from './coalescer';
import { statusKey } from './use-status';

const MAX_RECENT = 200;
const FLUSH_MS = 100;

export interface BotEventsState {
  connected: boolean;
  instanceId: string | null;
  recent: BotEvent[];
  heartbeat: EventOf<'runtime.heartbeat'> | null;
  lastKillSwitch: EventOf<'killswitch.changed'> | null;
  lastRuntimeState: EventOf<'runtime.state'> | null;
  badFrames: number;
  /** Subscribe to every validated event (for pages that keep their own series). */
  subscribe(fn: (e: BotEvent) => void): () => void;
}

/** The part of the state folded from the event stream (coalesced). */
type EventFold = Pick<BotEventsState, 'recent' | 'heartbeat' | 'lastKillSwitch' | 'lastRuntimeState' | 'badFrames'>;

const emptyFold: EventFold = { recent: [], heartbeat: null, lastKillSwitch: null, lastRuntimeState: null, badFrames: 0 };

function foldEvent(s: EventFold, e: BotEvent): EventFold {
  const recent = s.recent.length >= MAX_RECENT ? [...s.recent.slice(s.recent.length - MAX_RECENT + 1), e] : [...s.recent, e];
  const next = { ...s, recent };
  if (e.type === 'runtime.heartbeat') next.heartbeat = e;
  if (e.type === 'killswitch.changed') next.lastKillSwitch = e;
  if (e.type === 'runtime.state') next.lastRuntimeState = e;
  return next;
}

/** Events after which the status (runtime state, kill switch, arming, preflight verdict) is refetched. */
const STATUS_EVENTS = new Set<BotEvent['type']>(['runtime.state', 'killswitch.changed', 'arming.changed', 'preflight.report']);

const Ctx = createContext<BotEventsState | null>(null);

export function BotEventsProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const listeners = useRef(new Set<(e: BotEvent) => void>());
  const [connected, setConnected] = useState(false);
  const [instanceId, setInstanceId] = useState<string | null>(null);
  const [fold, setFold] = useState<EventFold>(emptyFold);
  const [coalescer] = useState(() => createCoalescer<EventFold>({ initial: emptyFold, intervalMs: FLUSH_MS, onFlush: setFold }));

  useEffect(() => {
    coalescer.resume();
    let knownInstance: string | null = null;
    const es = new EventSource('/api/events');
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    es.addEventListener('hello', (m) => {
      const hello = JSON.parse((m as MessageEvent<string>).data) as { instanceId: string };
      if (knownInstance !== null && knownInstance !== hello.instanceId) {
        // A new server instance: its events must not mix with the old one's; show the cleared list at once.
        coalescer.update((s) => ({ ...s, recent: [] }));
        coalescer.flush();
      }
      knownInstance = hello.instanceId;
      setInstanceId(hello.instanceId);
      void qc.invalidateQueries({ queryKey: statusKey });
    });
    es.addEventListener('resync', () => void qc.invalidateQueries());
    es.onmessage = (m: MessageEvent<string>) => {
      let parsed: BotEvent;
      try {
        const r = botEventSchema.safeParse(JSON.parse(m.data));
        if (!r.success) throw new Error('bad');
        parsed = r.data;
      } catch {
        coalescer.update((s) => ({ ...s, badFrames: s.badFrames + 1 }));
        return;
      }
      for (const l of listeners.current) l(parsed);
      coalescer.update((s) => foldEvent(s, parsed));
      if (STATUS_EVENTS.has(parsed.type)) void qc.invalidateQueries({ queryKey: statusKey });
    };
    return () => {
      es.close();
      coalescer.pause();
    };
  }, [qc, coalescer]);

  // Stable across renders, so that subscribers do not re-subscribe on every flush.
  const subscribe = useCallback((fn: (e: BotEvent) => void) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  const value = useMemo<BotEventsState>(() => ({ ...fold, connected, instanceId, subscribe }), [fold, connected, instanceId, subscribe]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useBotEvents(): BotEventsState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useBotEvents outside BotEventsProvider');
  return v;
}
