'use client';
/**
 * Holds TanStack queries back until the first page load has hydrated. Why: a page under a route `loading.tsx` sits
 * in a Suspense boundary, and React hydrates such a boundary in a later, low-priority pass. Without the gate the
 * navigation bar (hydrated first) fetches /api/status, the answer lands in the shared cache, and a page component
 * that hydrates afterwards reads it through useSyncExternalStore and renders data where the server rendered
 * "Loading…": a hydration mismatch (React error #418) and a client re-render of the whole page.
 *
 * Invariants: while the gate is shut (server render and client hydration) every useQuery reads the cache without
 * subscribing, so nothing is fetched and the cache stays as the server saw it (empty). `HydrationMarker` sits
 * after the page in tree order inside its own Suspense boundary, so its effect runs once the boundaries before it
 * have hydrated; the gate then opens after the document has finished loading (streamed parts included), or at
 * the latest MAX_WAIT_MS later. Once open it stays open (client navigations render, they do not hydrate).
 */
import { IsRestoringProvider } from '@tanstack/react-query';
import { createContext, type ReactNode, Suspense, useContext, useEffect, useState } from 'react';

const MAX_WAIT_MS = 1_500;

const OpenGate = createContext<(() => void) | null>(null);

export function QueryHydrationGate({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [openGate] = useState(() => () => setOpen(true));
  return (
    <OpenGate.Provider value={openGate}>
      <IsRestoringProvider value={!open}>{children}</IsRestoringProvider>
    </OpenGate.Provider>
  );
}

function MarkerEffect() {
  const openGate = useContext(OpenGate);
  useEffect(() => {
    if (!openGate) return;
    const open = () => {
      window.removeEventListener('load', onLoad);
      clearTimeout(timer);
      openGate();
    };
    // One more task after `load`, so that hydration work React queued for late-streamed parts runs first.
    const onLoad = () => void setTimeout(open, 0);
    const timer = setTimeout(open, MAX_WAIT_MS);
    if (document.readyState === 'complete') onLoad();
    else window.addEventListener('load', onLoad);
    return () => {
      window.removeEventListener('load', onLoad);
      clearTimeout(timer);
    };
  }, [openGate]);
  return null;
}

/** Place after the page (last child inside QueryHydrationGate). */
export function HydrationMarker() {
  return (
    <Suspense fallback={null}>
      <MarkerEffect />
    </Suspense>
  );
}
