'use client';
/**
 * useCoalescedEvents(init, reduce, maxHz): a page's own live state folded from the bot event stream. Every event
 * goes through `reduce` synchronously (outside React); the folded value reaches React state at most `maxHz` times a
 * second, so a chart re-renders ~10 times/s however busy the stream is.
 *
 * Invariants: `reduce` must be pure and return a NEW value when the event changes the state, or undefined when the
 * event is not relevant (no re-render is scheduled). The latest `reduce` is always used (no re-subscribe when it
 * changes identity). `init` runs once. Keep the state bounded (e.g. cap series length inside `reduce`).
 */
import { useEffect, useEffectEvent, useState } from 'react';
import type { BotEvent } from '../../lib/schemas/events';
import { useBotEvents } from './bot-events';
import { createCoalescer, intervalForHz } from './coalescer';

export function useCoalescedEvents<S>(init: () => S, reduce: (s: S, e: BotEvent) => S | undefined, maxHz = 10): S {
  const { subscribe } = useBotEvents();
  const [state, setState] = useState<S>(init);
  const [coalescer] = useState(() => createCoalescer<S>({ initial: state, intervalMs: intervalForHz(maxHz), onFlush: (v) => setState(() => v) }));
  const onEvent = useEffectEvent((e: BotEvent) => coalescer.update((s) => reduce(s, e)));

  useEffect(() => coalescer.setIntervalMs(intervalForHz(maxHz)), [coalescer, maxHz]);
  useEffect(() => {
    coalescer.resume();
    const unsubscribe = subscribe((e) => onEvent(e));
    return () => {
      unsubscribe();
      coalescer.pause();
    };
  }, [subscribe, coalescer]);

  return state;
}
