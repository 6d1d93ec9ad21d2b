/**
 * Route bodies of /api/config* (route files under app/api/config stay one-liners). Every operator action goes
 * through the config service (bot/config), which validates the whole result, applies all or nothing, journals and
 * audits it with the actor, the source address and the reason. Refusals: 422 with one entry per field
 * (`{ path, rule, message }`), 409 for a conflict (expectVersion, a change in progress), 404 for an unknown version.
 *
 * Audit: one row per request that is not a dry run (a preview changes nothing and leaves none): the service writes
 * `config.<kind>` with the diff, or `config.<kind>.refused|conflict|not_found`; withApi writes the refusals of bodies
 * that never reach the service; the route writes `config.<kind>.unchanged` for a change that changes nothing.
 */
import 'server-only';
import { configJsonSchemas, isConfigError, type ConfigService } from '../../bot/config';
import { configPatchRequestSchema, configProfileRequestSchema, configRevertRequestSchema, type ConfigApplyResult } from '../schemas/config-api';
import { getRuntimeHolder } from './runtime-registry';
import { ApiProblem, errorResponse, requestSource, withApi, type ApiContext } from './api';

/** The request's source address (withApi's requestSource: x-forwarded-for as `next start` sets it, else "local"). */
export function sourceAddress(req: Request): string {
  return requestSource(req.headers);
}

type ChangeKind = 'apply' | 'revert' | 'profile';

/**
 * Run one config change for the route: a dry run leaves no audit row; a change that changed nothing leaves
 * `config.<kind>.unchanged`; an unknown version (refused before the service's audited section) leaves
 * `config.<kind>.not_found`; the service audits the rest (applied, refused, conflict).
 */
function change(kind: ChangeKind, ctx: Pick<ApiContext<unknown>, 'audit' | 'skipAudit'>, dryRun: boolean | undefined, reason: string, run: () => ConfigApplyResult): Response | ConfigApplyResult {
  if (dryRun) ctx.skipAudit();
  try {
    const res = run();
    if (!dryRun && !res.applied) ctx.audit(`config.${kind}.unchanged`, { reason, version: res.version, hash: res.hash });
    return res;
  } catch (err) {
    if (!dryRun && isConfigError(err) && err.kind === 'not_found') ctx.audit(`config.${kind}.not_found`, { reason, message: err.message.slice(0, 300) });
    return refusal(err);
  }
}

function refusal(err: unknown): Response {
  if (!isConfigError(err)) throw err;
  if (err.kind === 'conflict') return errorResponse('conflict', err.message);
  if (err.kind === 'not_found') return errorResponse('not_found', err.message);
  const fields = err.issues.length ? err.issues : [{ path: '(root)', rule: 'refused', message: err.message }];
  return errorResponse('validation_failed', `configuration refused: ${fields.length} problem(s)`, fields);
}

function service(holder: { config?: ConfigService }): ConfigService {
  if (!holder.config) throw new ApiProblem('unavailable', 'the config service is not running');
  return holder.config;
}

/** GET /api/config: config (latest version), running config, version, hash, pending, layers, and every field. */
export const configGetRoute = withApi({ mutating: false }, ({ holder }) => configView(service(holder)));

function configView(svc: ConfigService) {
  return {
    version: svc.version,
    hash: svc.hash,
    config: svc.desired(),
    running: svc.effective(),
    pending: svc.pending(),
    ...svc.sources(),
    fields: svc.describe(),
  };
}

/** The Config page's first render on the server: what GET /api/config, /history?limit=50 and /profiles answer. */
export function configSnapshotNow(): { config: unknown; history: unknown; profiles: unknown } | null {
  try {
    const svc = service(getRuntimeHolder());
    return { config: configView(svc), history: { version: svc.version, versions: svc.history(50) }, profiles: svc.profiles() };
  } catch {
    return null;
  }
}

/** GET /api/config/schema: JSON Schema of the config and of each strategy type's params (for the form). */
export const configSchemaRoute = withApi({ mutating: false }, () => configJsonSchemas());

/** PATCH /api/config { patch, reason, dryRun?, expectVersion? }. */
export const configPatchRoute = withApi({ body: configPatchRequestSchema, audit: { action: 'config.apply', recordsOwn: true } }, (ctx) => {
  const { holder, body, actor, source } = ctx;
  return change('apply', ctx, body.dryRun, body.reason, () =>
    service(holder).apply(body.patch, actor, body.reason, source, {
      ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
      ...(body.expectVersion !== undefined ? { expectVersion: body.expectVersion } : {}),
    }),
  );
});

/** GET /api/config/history?limit=50 (newest first, at most 1000). */
export const configHistoryRoute = withApi({ mutating: false }, ({ req, holder }) => {
  const raw = new URL(req.url).searchParams.get('limit');
  const limit = raw !== null && /^\d{1,4}$/.test(raw) ? Math.min(1000, Math.max(1, Number(raw))) : 50;
  const svc = service(holder);
  return { version: svc.version, versions: svc.history(limit) };
});

/** POST /api/config/revert { version, reason, dryRun?, expectVersion? }. */
export const configRevertRoute = withApi({ body: configRevertRequestSchema, audit: { action: 'config.revert', recordsOwn: true } }, (ctx) => {
  const { holder, body, actor, source } = ctx;
  return change('revert', ctx, body.dryRun, body.reason, () =>
    service(holder).revert(body.version, actor, body.reason, source, {
      ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
      ...(body.expectVersion !== undefined ? { expectVersion: body.expectVersion } : {}),
    }),
  );
});

/** GET /api/config/profiles: the active profile and every profile's patch. */
export const configProfilesRoute = withApi({ mutating: false }, ({ holder }) => service(holder).profiles());

/** POST /api/config/profile { profile, reason, dryRun?, expectVersion? }. */
export const configProfileRoute = withApi({ body: configProfileRequestSchema, audit: { action: 'config.profile', recordsOwn: true } }, (ctx) => {
  const { holder, body, actor, source } = ctx;
  return change('profile', ctx, body.dryRun, body.reason, () =>
    service(holder).selectProfile(body.profile, actor, body.reason, source, {
      ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
      ...(body.expectVersion !== undefined ? { expectVersion: body.expectVersion } : {}),
    }),
  );
});
