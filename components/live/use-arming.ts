'use client';
/**
 * Live arming from the browser: POST /api/arming (arm with the typed confirmation, or disarm in one call). The answer
 * (the arming snapshot) goes straight into the cached status so that the badge and the cards change at once; the
 * `arming.changed` event refetches the status for every other tab (bot-events.tsx).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { type ArmingStatus, armingRequestSchema, armingStatusSchema, type Status } from '../../lib/schemas/api';
import { apiCall } from './api-client';
import { statusKey } from './use-status';

export type ArmingAction = z.input<typeof armingRequestSchema>;

export function useArmingAction(opts: { onSuccess?: (s: ArmingStatus) => void; onError?: (e: Error) => void } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: ArmingAction): Promise<ArmingStatus> => armingStatusSchema.parse(await apiCall('/api/arming', { method: 'POST', body })),
    onSuccess: (snap) => {
      qc.setQueryData<Status>(statusKey, (s) => (s ? { ...s, arming: snap } : s));
      opts.onSuccess?.(snap);
    },
    onError: (e) => opts.onError?.(e),
    onSettled: () => qc.invalidateQueries({ queryKey: statusKey }),
  });
}

/** How the console shows the trading mode: paper, live but disarmed, live and armed. */
export type ModeLook = 'paper' | 'live-disarmed' | 'live-armed';

export function modeLook(s: Pick<Status, 'mode' | 'arming'>): ModeLook {
  if (s.mode !== 'live') return 'paper';
  return s.arming.armed ? 'live-armed' : 'live-disarmed';
}
