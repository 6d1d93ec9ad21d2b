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
  'too_many_requests',
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
  too_many_requests: 429,
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

/** What the operator types to arm live trading (equal to bot/risk's ARM_CONFIRMATION; a test keeps them equal). */
export const ARM_CONFIRMATION_TEXT = 'ARM LIVE';

/** Live arming as GET /api/arming and /api/status report it (bot/risk/live-arming.ts ArmingSnapshot). */
export const armingStatusSchema = z.object({
  /** False in paper mode: orders never wait for an arm. */
  required: z.boolean(),
  armed: z.boolean(),
  sinceMs: z.number().nullable(),
  actor: z.string().nullable(),
  reason: z.string().nullable(),
  /** `--arm` at start waits for the preflight to say GO. */
  armWhenReady: z.boolean(),
  /** Why an arm would be refused right now. */
  notReady: z.string().optional(),
});
export type ArmingStatus = z.infer<typeof armingStatusSchema>;

/**
 * POST /api/arming: arm with the typed confirmation and a reason (both audited; the confirmation is checked by the
 * runtime: 422 on `confirm` when it is not exactly ARM LIVE), or disarm in one call (no confirmation; reason optional).
 */
export const armingRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('arm'),
    confirm: z.string().max(64),
    reason: z.string().trim().min(3, 'say why you arm live trading (at least 3 characters)').max(500),
  }),
  z.strictObject({
    action: z.literal('disarm'),
    reason: z.string().trim().max(500).optional(),
  }),
]);
export type ArmingRequest = z.infer<typeof armingRequestSchema>;

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
  arming: armingStatusSchema,
  bus: z.object({ published: z.number(), lastSeq: z.number(), handlerErrors: z.number(), eventsPerSec: z.number() }),
  sse: z.object({ clients: z.number(), dropped: z.number(), maxQueuedBytes: z.number() }).optional(),
  process: z.object({ rssBytes: z.number(), heapUsedBytes: z.number(), pid: z.number() }).optional(),
  version: z.string(),
});
export type Status = z.infer<typeof statusSchema>;
