/**
 * HTTP API contract shared by route handlers and the browser: request bodies, the one error shape and its
 * closed list of codes.
 */
import { z } from 'zod';
import { runtimeStateSchema, tradingStateSchema } from './events/runtime';

export const apiErrorCodes = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const apiErrorStatus: Record<ApiErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(apiErrorCodes),
    message: z.string(),
    fields: z.array(fieldErrorSchema).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const killSwitchRequestSchema = z.strictObject({
  state: tradingStateSchema,
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
});
export type KillSwitchRequest = z.infer<typeof killSwitchRequestSchema>;

export const botActionRequestSchema = z.strictObject({ reason: z.string().trim().max(500).optional() });

export const killSwitchStatusSchema = z.object({
  state: tradingStateSchema,
  reason: z.string(),
  actor: z.string(),
  automatic: z.boolean(),
  sinceMs: z.number(),
});
export type KillSwitchStatus = z.infer<typeof killSwitchStatusSchema>;

export const statusSchema = z.object({
  instanceId: z.string(),
  state: runtimeStateSchema,
  mode: z.string(),
  venue: z.string(),
  startedAtMs: z.number().nullable(),
  uptimeMs: z.number(),
  nowMs: z.number(),
  lastError: z.string().nullable(),
  killSwitch: killSwitchStatusSchema,
  bus: z.object({ published: z.number(), lastSeq: z.number(), handlerErrors: z.number(), eventsPerSec: z.number() }),
  sse: z.object({ clients: z.number(), dropped: z.number(), maxQueuedBytes: z.number() }).optional(),
  process: z.object({ rssBytes: z.number(), heapUsedBytes: z.number(), pid: z.number() }).optional(),
  version: z.string(),
});
export type Status = z.infer<typeof statusSchema>;
