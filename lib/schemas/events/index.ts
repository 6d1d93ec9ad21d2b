/**
 * The one discriminated union of bus events, shared by bot/, the SSE stream and the browser.
 * Each area defines its events in its own file (runtime.ts, ...) and is listed once below.
 * Data events are nouns (`book.snapshot`), happenings are past tense (`order.filled`).
 */
import { z } from 'zod';
import { runtimeEvents } from './runtime';
import { strategyEvents } from './strategy';
import { marketEvents } from './market';
import { feedEvents } from './feed';
import { executionEvents } from './execution';
import { riskEvents } from './risk';
import { healthEvents } from './health';
import { configEvents } from './config';
import { replayEvents } from './replay';

export { eventBase, defineEvent } from './base';
export * from './runtime';
export * from './strategy';
export * from './market';
export * from './feed';
export * from './execution';
export * from './risk';
export * from './health';
export * from './config';
export * from './replay';

export const botEventSchema = z.discriminatedUnion('type', [...runtimeEvents, ...strategyEvents, ...marketEvents, ...feedEvents, ...executionEvents, ...riskEvents, ...healthEvents, ...configEvents, ...replayEvents]);

export type BotEvent = z.infer<typeof botEventSchema>;
export type BotEventType = BotEvent['type'];
export type EventOf<T extends BotEventType> = Extract<BotEvent, { type: T }>;

/** What a publisher supplies: the bus fills in seq and tsRecvMs, and tsEventMs when omitted. */
export type EventInput<T extends BotEventType = BotEventType> = T extends BotEventType
  ? Omit<EventOf<T>, 'seq' | 'tsRecvMs' | 'tsEventMs'> & { tsEventMs?: number }
  : never;

export const botEventTypes: readonly BotEventType[] = botEventSchema.options.map(
  (o) => o.shape.type.value,
) as BotEventType[];
