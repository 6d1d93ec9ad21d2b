/**
 * Fields every bus event carries. seq is assigned by the bus (strictly increasing per runtime);
 * tsEventMs is when the fact happened (venue time when known), tsRecvMs when the bus accepted it.
 */
import { z } from 'zod';

export const eventBase = {
  seq: z.number().int().nonnegative(),
  tsEventMs: z.number().finite(),
  tsRecvMs: z.number().finite(),
};

/** Define one event schema: a literal type plus its payload fields. */
export function defineEvent<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ...eventBase, ...shape });
}
