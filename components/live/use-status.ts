'use client';
/** GET /api/status through TanStack Query; refreshed by bus events (see bot-events.tsx). */
import { useQuery } from '@tanstack/react-query';
import { type Status, statusSchema } from '../../lib/schemas/api';
import { apiCall } from './api-client';

export const statusKey = ['status'] as const;

export function useStatus() {
  return useQuery({
    queryKey: statusKey,
    queryFn: async (): Promise<Status> => statusSchema.parse(await apiCall('/api/status')),
    refetchInterval: 10_000,
  });
}
