/**
 * GET /api/learning and POST /api/learning/reset (issue 14): the learning engine's state per trend-window instance
 * (trades since the last step, last updates, current weights) and its reset.
 *
 * Invariants: the state is read from the runtime's store (the learning component keeps nothing else), so a reset
 * here is what the running learner sees at its next event; the reset is a mutating route behind withApi's origin and
 * operator checks and leaves one `learning.reset` audit row; restoring the default weights is a config change by the
 * operator (journaled and audited by the config service); a refused restore answers 422 with the fields.
 */
import 'server-only';
import { isConfigError, type ConfigService } from '../../bot/config';
import { configServiceWriter } from '../../bot/learning/weight-writer';
import { learningInstanceView, learningViews, resetLearning } from '../../bot/learning/learning-view';
import { LearningStore } from '../../bot/store/learning-store';
import { learningResetRequestSchema, learningResetResponseSchema, learningResponseSchema, type LearningResetResponse, type LearningResponse } from '../schemas/learning';
import { ApiProblem, withApi } from './api';
import type { RuntimeHolder } from './runtime-registry';

function storeOf(holder: RuntimeHolder): LearningStore {
  return new LearningStore(holder.runtime.store.db);
}

function configService(holder: RuntimeHolder): ConfigService {
  if (!holder.config) throw new ApiProblem('unavailable', 'the config service is not running');
  return holder.config;
}

export const learningGetRoute = withApi({ mutating: false }, ({ holder }): LearningResponse =>
  learningResponseSchema.parse({ instances: learningViews(storeOf(holder), holder.runtime.config) }),
);

export const learningResetRoute = withApi({ body: learningResetRequestSchema, audit: { action: 'learning.reset' } }, ({ holder, body, actor, source, auditDetail }): LearningResetResponse => {
  Object.assign(auditDetail, { strategyId: body.strategyId, restoreDefaults: body.restoreDefaults === true, reason: body.reason });
  const store = storeOf(holder);
  const known = holder.runtime.config.strategies.some((s) => s.id === body.strategyId) || store.get(body.strategyId) !== undefined;
  if (!known) throw new ApiProblem('not_found', `no strategy instance '${body.strategyId}' and no learning state for it`);
  const writer = body.restoreDefaults ? configServiceWriter(configService(holder), source) : undefined;
  try {
    const r = resetLearning(store, writer, { strategyId: body.strategyId, actor, reason: body.reason, ...(body.restoreDefaults ? { restoreDefaults: true } : {}) });
    Object.assign(auditDetail, { cleared: r.cleared, ...(r.configVersion !== undefined ? { configVersion: r.configVersion } : {}) });
    return learningResetResponseSchema.parse({
      strategyId: body.strategyId,
      cleared: r.cleared,
      ...(r.configVersion !== undefined ? { configVersion: r.configVersion } : {}),
      instance: learningInstanceView(store, holder.runtime.config, body.strategyId),
    });
  } catch (err) {
    if (isConfigError(err)) {
      const code = err.kind === 'conflict' ? 'conflict' : 'validation_failed';
      throw new ApiProblem(code, `restoring the default weights was refused: ${err.message.slice(0, 200)}`, err.issues.map((i) => ({ path: i.path, message: i.message })));
    }
    if (err instanceof ApiProblem) throw err;
    throw new ApiProblem('not_found', err instanceof Error ? err.message : String(err));
  }
});
