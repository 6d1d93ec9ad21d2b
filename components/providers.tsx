'use client';
/** Client-side providers: TanStack Query and the live bot-event stream. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { BotEventsProvider } from './live/bot-events';

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } }));
  return (
    <QueryClientProvider client={client}>
      <BotEventsProvider>{children}</BotEventsProvider>
    </QueryClientProvider>
  );
}
