/**
 * withApi(): the wrapper every route handler goes through.
 * - One error shape ({ error: { code, message, fields? } }) with a closed list of codes.
 * - Same origin: mutating methods (and every request when CONSOLE_PROTECT_READS is on) must not come cross-site:
 *   a foreign Origin, `Origin: null`, a malformed Origin or Sec-Fetch-Site other than same-origin/none -> 403.
 * - Operator authentication (lib/server/console-auth.ts) when CONSOLE_TOKEN is set: mutating methods, and reads too
 *   under CONSOLE_PROTECT_READS, need the token (Authorization: Bearer … / x-operator-token) or a login session
 *   cookie -> else 401. It lives here, in the route handler, not in middleware: middleware headers
 *   (x-middleware-subrequest …) change nothing. `public` routes (login, the health probe) skip it.
 * - Bodies: a declared Content-Length over 64 KiB is refused on every route before anything is read; bodies are read
 *   streaming with the same cap (lib/server/request-body.ts); JSON only, parsed once with the route's zod schema;
 *   failures -> 422 with field paths.
 * - Audit: every authenticated mutating request leaves exactly one audit row with actor, source address and detail:
 *   withApi writes it (`<action>`, `<action>.refused` for a 4xx, `<action>.failed` for a 5xx) unless the route says
 *   it records its own outcome (`recordsOwn`: withApi then writes only the refusals that happen before the handler).
 *   Unauthenticated requests leave no row (a stranger cannot grow the trail); logins are the login route's business.
 * - Source address: the first x-forwarded-for entry, which `next start` fills in from the socket's peer address when
 *   the request has none (requestSource); else `local`.
 */
import 'server-only';
import { isIP } from 'node:net';
import { z } from 'zod';
import { type ApiErrorCode, apiErrorStatus } from '../schemas/api';
import { actorFor, authenticate } from './console-auth';
import { BodyTooLarge, checkDeclaredLength, MAX_BODY_BYTES, readCappedText } from './request-body';
import { getRuntimeHolder, type RuntimeHolder } from './runtime-registry';

export class ApiProblem extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export function errorResponse(code: ApiErrorCode, message: string, fields?: { path: string; message: string }[], headers?: HeadersInit): Response {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status: apiErrorStatus[code], headers });
}

export interface ApiContext<B> {
  req: Request;
  body: B;
  holder: RuntimeHolder;
  /** Who is acting, for the audit trail: operator(local) (no token configured), operator(token), operator(session). */
  actor: string;
  /** Where the request came from (requestSource). */
  source: string;
  /** Merged into the audit row withApi writes for this request. */
  auditDetail: Record<string, unknown>;
  /** Write an audit row now, with this request's actor (or `actor`) and source (routes that record their own outcome). */
  audit: (action: string, detail?: Record<string, unknown>, actor?: string) => void;
  /** No audit row for this request (a dry run or a playback control: not an operator action). */
  skipAudit: () => void;
}

/** How a route is audited (see the header). Default for mutating routes: an action named after the path. */
export type AuditSpec = { action: string; recordsOwn?: boolean } | false;

interface Options<S extends z.ZodType | undefined> {
  body?: S;
  mutating?: boolean;
  audit?: AuditSpec;
  /** Reachable without operator authentication (the same-origin check still applies to mutating methods). */
  public?: boolean;
}

type Body<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Audit names of mutating routes whose files do not name one. */
const DERIVED_ACTIONS: Record<string, string> = { 'POST /api/config/what-if': 'whatif.start' };

function derivedAction(req: Request): string {
  const path = new URL(req.url).pathname.replace(/\/+$/, '');
  const known = DERIVED_ACTIONS[`${req.method} ${path}`];
  if (known) return known;
  const parts = path.replace(/^\/api\//, '').split('/').filter((s) => s && !/^[a-z]+-[0-9a-f-]{36}$/.test(s));
  return `${parts.join('.').slice(0, 80)}.${req.method.toLowerCase()}`;
}

/** The request's source address: x-forwarded-for's first entry when it is an IP address, else `local`. */
export function requestSource(headers: Headers): string {
  const first = (headers.get('x-forwarded-for') ?? '').split(',')[0]!.trim().replace(/^\[(.*)\]$/, '$1');
  const addr = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(first) ? first.slice(7) : first;
  return isIP(addr) ? addr : 'local';
}

const isRead = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

export function withApi<S extends z.ZodType | undefined = undefined>(
  opts: Options<S>,
  handler: (ctx: ApiContext<Body<S>>) => Promise<Response | unknown> | Response | unknown,
): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    // The automatic audit row of this request (authenticated mutating requests only), and where ctx.audit writes.
    let audit: { action: string; detail: Record<string, unknown>; own: boolean; skip: boolean } | undefined;
    let target: { holder: RuntimeHolder; actor: string; source: string } | undefined;
    let handlerRan = false;
    const write = (action: string, detail: Record<string, unknown>, actor?: string) => {
      if (!target) return;
      try {
        const rt = target.holder.runtime;
        rt?.store.audit.record(rt.clock.nowMs(), actor ?? target.actor, action, { source: target.source, ...detail });
      } catch {
        // the audit row must never turn an answer into another error
      }
    };
    try {
      const holder = getRuntimeHolder();
      const env = holder.env as Partial<RuntimeHolder['env']>;
      const mutating = opts.mutating ?? !isRead(req.method);
      const protectReads = Boolean(env.CONSOLE_PROTECT_READS);
      if (mutating || protectReads) checkSameOrigin(req);
      const auth = authenticate(req.headers, env.CONSOLE_TOKEN, Date.now());
      if (!opts.public && (mutating || protectReads) && !auth.ok) throw new ApiProblem('unauthorized', auth.reason);
      const actor = auth.ok ? actorFor(auth.via) : 'anonymous';
      const source = requestSource(req.headers);
      target = { holder, actor, source };
      const spec = opts.audit ?? (mutating ? { action: derivedAction(req) } : false);
      if (spec && mutating && auth.ok) audit = { action: spec.action, detail: {}, own: spec.recordsOwn === true, skip: false };
      const body = opts.body ? await readBody(req, opts.body) : await drainBody(req);
      // A route without its own audit name: the row carries the request body (clipped; secrets redacted by the log).
      if (audit && !opts.audit && body !== undefined) {
        const text = JSON.stringify(body);
        audit.detail.request = text.length <= 2_000 ? body : `${text.slice(0, 2_000)}…`;
      }
      handlerRan = true;
      const a = audit;
      const out = await handler({
        req,
        body: body as Body<S>,
        holder,
        actor,
        source,
        auditDetail: a?.detail ?? {},
        audit: (action, detail = {}, actor) => write(action, detail, actor),
        skipAudit: () => {
          if (a) a.skip = true;
        },
      });
      const res = out instanceof Response ? out : Response.json(out, { headers: { 'Cache-Control': 'no-store' } });
      if (a && !a.own && !a.skip) write(res.status >= 400 ? `${a.action}.${res.status >= 500 ? 'failed' : 'refused'}` : a.action, { status: res.status, ...a.detail });
      return res;
    } catch (err) {
      const problem = err instanceof ApiProblem ? err : err instanceof BodyTooLarge ? new ApiProblem('payload_too_large', err.message) : undefined;
      const message = problem ? problem.message : `internal error: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`;
      const code: ApiErrorCode = problem ? problem.code : 'internal';
      if (audit && !audit.skip && (!audit.own || !handlerRan)) {
        write(`${audit.action}.${problem ? 'refused' : 'failed'}`, { status: apiErrorStatus[code], ...audit.detail, code, message: message.slice(0, 300), ...(problem?.fields ? { fields: problem.fields.slice(0, 20) } : {}) });
      }
      return errorResponse(code, message, problem?.fields);
    }
  };
}

/** Refuse cross-site requests: a foreign, `null` or malformed Origin, or Sec-Fetch-Site other than same-origin/none. */
export function checkSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  const site = req.headers.get('sec-fetch-site');
  if (origin !== null) {
    if (origin === 'null') throw new ApiProblem('forbidden', 'cross-origin request refused (Origin: null)');
    const host = req.headers.get('host');
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new ApiProblem('forbidden', 'malformed Origin header');
    }
    if (!host || originHost !== host) throw new ApiProblem('forbidden', `cross-origin request refused (${origin.slice(0, 100)})`);
  }
  if (site && site !== 'same-origin' && site !== 'none') throw new ApiProblem('forbidden', `cross-site request refused (${site.slice(0, 40)})`);
}

/** A route without a body schema: any body is read (capped) and dropped; a declared one over the cap is refused unread. */
async function drainBody(req: Request): Promise<undefined> {
  checkDeclaredLength(req.headers);
  if (req.body && !isRead(req.method)) await readCappedText(req);
  return undefined;
}

async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? '';
  const text = await readCappedText(req, MAX_BODY_BYTES);
  let json: unknown = {};
  if (text.trim().length > 0) {
    if (!type.includes('application/json')) throw new ApiProblem('unsupported_media_type', 'send JSON with Content-Type: application/json');
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiProblem('bad_request', 'body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiProblem(
      'validation_failed',
      'request body failed validation',
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    );
  }
  return parsed.data;
}
