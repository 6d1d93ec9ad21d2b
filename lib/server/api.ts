/**
 * withApi(): the wrapper every route handler goes through.
 * - One error shape ({ error: { code, message, fields? } }) with a closed list of codes.
 * - Mutating methods: same-origin check (Origin / Sec-Fetch-Site; `Origin: null` refused) and, when
 *   CONSOLE_TOKEN is set, the operator token (Authorization: Bearer … or x-operator-token), compared in
 *   constant time. Auth lives here, not in middleware, so middleware bypass headers change nothing.
 * - JSON bodies only, at most 64 KiB, parsed once with the route's zod schema; failures -> 422 with field paths.
 */
import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type ApiErrorCode, apiErrorStatus } from '../schemas/api';
import { getRuntimeHolder, type RuntimeHolder } from './runtime-registry';

const MAX_BODY_BYTES = 64 * 1024;

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
  /** Who is acting, for the audit trail. */
  actor: string;
}

interface Options<S extends z.ZodType | undefined> {
  body?: S;
  mutating?: boolean;
}

type Body<S> = S extends z.ZodType ? z.infer<S> : undefined;

export function withApi<S extends z.ZodType | undefined = undefined>(
  opts: Options<S>,
  handler: (ctx: ApiContext<Body<S>>) => Promise<Response | unknown> | Response | unknown,
): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    try {
      const holder = getRuntimeHolder();
      const mutating = opts.mutating ?? req.method !== 'GET';
      if (mutating) checkMutating(req, holder.env.CONSOLE_TOKEN);
      const body = opts.body ? await readBody(req, opts.body) : undefined;
      const actor = holder.env.CONSOLE_TOKEN ? 'operator(token)' : 'operator(local)';
      const out = await handler({ req, body: body as Body<S>, holder, actor });
      return out instanceof Response ? out : Response.json(out, { headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      if (err instanceof ApiProblem) return errorResponse(err.code, err.message, err.fields);
      const message = err instanceof Error ? err.message : String(err);
      return errorResponse('internal', `internal error: ${message.slice(0, 200)}`);
    }
  };
}

export function checkMutating(req: Request, token: string | undefined): void {
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
    if (!host || originHost !== host) throw new ApiProblem('forbidden', `cross-origin request refused (${origin})`);
  }
  if (site && site !== 'same-origin' && site !== 'none') throw new ApiProblem('forbidden', `cross-site request refused (${site})`);
  if (token) {
    const auth = req.headers.get('authorization');
    const given = auth?.startsWith('Bearer ') ? auth.slice(7) : req.headers.get('x-operator-token') ?? '';
    if (!safeEqual(given, token)) throw new ApiProblem('unauthorized', 'operator token required');
  }
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get('content-type') ?? '';
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new ApiProblem('payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
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
