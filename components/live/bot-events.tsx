'use client';
/**
 * One EventSource per tab on /api/events, shared through context. Every frame is validated with the same
 * zod union the bot publishes; the browser resumes with Last-Event-ID on reconnect, and on `resync` (or a
 * new server instance) refetches state over REST. Keeps a bounded list of recent events.
 */
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type BotEvent, botEventSchema, type EventOf } from '../../lib/schemas/events';
import { statusKey } from './use-status';

const MAX_RECENT = 200;

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

const Ctx = createContext<BotEventsState | null>(null);

export function BotEventsProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const listeners = useRef(new Set<(e: BotEvent) => void>());
  const [state, setState] = useState<Omit<BotEventsState, 'subscribe'>>({
    connected: false,
    instanceId: null,
    recent: [],
    heartbeat: null,
    lastKillSwitch: null,
    lastRuntimeState: null,
    badFrames: 0,
  });

  useEffect(() => {
    const es = new EventSource('/api/events');
    es.onopen = () => setState((s) => ({ ...s, connected: true }));
    es.onerror = () => setState((s) => ({ ...s, connected: false }));
    es.addEventListener('hello', (m) => {
      const hello = JSON.parse((m as MessageEvent<string>).data) as { instanceId: string };
      setState((s) => (s.instanceId && s.instanceId !== hello.instanceId ? { ...s, instanceId: hello.instanceId, recent: [] } : { ...s, instanceId: hello.instanceId }));
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
        setState((s) => ({ ...s, badFrames: s.badFrames + 1 }));
        return;
      }
      for (const l of listeners.current) l(parsed);
      setState((s) => {
        const recent = s.recent.length >= MAX_RECENT ? [...s.recent.slice(s.recent.length - MAX_RECENT + 1), parsed] : [...s.recent, parsed];
        const next = { ...s, recent };
        if (parsed.type === 'runtime.heartbeat') next.heartbeat = parsed;
        if (parsed.type === 'killswitch.changed') next.lastKillSwitch = parsed;
        if (parsed.type === 'runtime.state') next.lastRuntimeState = parsed;
        return next;
      });
      // The status carries the runtime state, the kill switch and live arming (armed, and why an arm would be refused:
      // that follows the preflight verdict).
      if (parsed.type === 'runtime.state' || parsed.type === 'killswitch.changed' || parsed.type === 'arming.changed' || parsed.type === 'preflight.report') {
        void qc.invalidateQueries({ queryKey: statusKey });
      }
    };
    return () => es.close();
  }, [qc]);

  // Stable across renders, so that subscribers do not re-subscribe on every event.
  const subscribe = useCallback((fn: (e: BotEvent) => void) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  const value = useMemo<BotEventsState>(() => ({ ...state, subscribe }), [state, subscribe]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useBotEvents(): BotEventsState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useBotEvents outside BotEventsProvider');
  return v;
}
