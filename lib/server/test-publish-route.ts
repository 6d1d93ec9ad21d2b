/**
 * Test-only: POST /api/test/publish publishes one strategy `strategy.signal` or `learning.update` event on the
 * runtime's bus, so e2e specs can show the Strategy page's signals before (or without) a strategy emitting them.
 *
 * Invariants: off (404) unless UPDOWN_ENABLE_TEST_ROUTES=1; only these two event types; the body is parsed with the
 * events' own schemas (a malformed record → 422, never a half-valid event on the bus); mutating (token / session and
 * same-origin checks of withApi apply), not audited.
 */
import 'server-only';
import { z } from 'zod';
import { learningUpdateSchema, signalRecordSchema } from '../schemas/events/strategy';
import { ApiProblem, withApi } from './api';

export const testPublishBodySchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('strategy.signal'), record: signalRecordSchema }),
  z.strictObject({ type: z.literal('learning.update'), update: learningUpdateSchema }),
]);

export const testPublishRoute = withApi({ body: testPublishBodySchema, audit: false }, ({ holder, body }) => {
  if (!holder.env.UPDOWN_ENABLE_TEST_ROUTES) throw new ApiProblem('not_found', 'not found');
  const e = body.type === 'strategy.signal'
    ? holder.runtime.bus.publish({ type: 'strategy.signal', record: body.record })
    : holder.runtime.bus.publish({ type: 'learning.update', update: body.update });
  return { seq: e.seq };
});
