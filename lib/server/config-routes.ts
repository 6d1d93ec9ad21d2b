/**
 * Route bodies of /api/config* (route files under app/api/config stay one-liners). Every operator action goes
 * through the config service (bot/config), which validates the whole result, applies all or nothing, journals and
 * audits it with the actor, the source address and the reason. Refusals: 422 with one entry per field
 * (`{ path, rule, message }`), 409 for a conflict (expectVersion, a change in progress), 404 for an unknown version.
 */
import 'server-only';
import { configJsonSchemas, isConfigError, type ConfigService } from '../../bot/config';
import { configPatchRequestSchema, configProfileRequestSchema, configRevertRequestSchema } from '../schemas/config-api';
import { getRuntimeHolder } from './runtime-registry';
import { ApiProblem, errorResponse, withApi } from './api';

/** The request's source address: the forwarded client address Next.js records, else "local". */
export function sourceAddress(req: Request): string {
  const fwd = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  const real = req.headers.get('x-real-ip')?.trim();
  const addr = fwd || real;
  return addr && addr.length <= 100 ? addr : 'local';
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
export const configPatchRoute = withApi({ body: configPatchRequestSchema }, ({ req, holder, body, actor }) => {
  try {
    return service(holder).apply(body.patch, actor, body.reason, sourceAddress(req), {
      ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
      ...(body.expectVersion !== undefined ? { expectVersion: body.expectVersion } : {}),
    });
  } catch (err) {
    return refusal(err);
  }
});

/** GET /api/config/history?limit=50 (newest first, at most 1000). */
export const configHistoryRoute = withApi({ mutating: false }, ({ req, holder }) => {
  const raw = new URL(req.url).searchParams.get('limit');
  const limit = raw !== null && /^\d{1,4}$/.test(raw) ? Math.min(1000, Math.max(1, Number(raw))) : 50;
  const svc = service(holder);
  return { version: svc.version, versions: svc.history(limit) };
});

/** POST /api/config/revert { version, reason, dryRun?, expectVersion? }. */
export const configRevertRoute = withApi({ body: configRevertRequestSchema }, ({ req, holder, body, actor }) => {
  try {
    return service(holder).revert(body.version, actor, body.reason, sourceAddress(req), {
      ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
      ...(body.expectVersion !== undefined ? { expectVersion: body.expectVersion } : {}),
    });
  } catch (err) {
    return refusal(err);
  }
});

/** GET /api/config/profiles: the active profile and every profile's patch. */
export const configProfilesRoute = withApi({ mutating: false }, ({ holder }) => service(holder).profiles());

/** POST /api/config/profile { profile, reason, dryRun?, expectVersion? }. */
export const configProfileRoute = withApi({ body: configProfileRequestSchema }, ({ req, holder, body, actor }) => {
  try {
    return service(holder).selectProfile(body.profile, actor, body.reason, sourceAddress(req), {
      ...(body.dryRun !== undefined ? { dryRun: body.dryRun } : {}),
      ...(body.expectVersion !== undefined ? { expectVersion: body.expectVersion } : {}),
    });
  } catch (err) {
    return refusal(err);
  }
});
