/**
 * Minimal HTTP plumbing for the simulated venue: a router with `:param` segments, bounded body reading, JSON
 * replies, and the HTTP faults that apply to any route (latency, forced status, late acknowledgement).
 *
 * Invariants:
 * - Bodies over 1 MiB get 413; a handler that throws gets 500 `{"error":"internal error"}`; the server never crashes.
 * - The raw body string is kept exactly as received (the L2 HMAC is computed over it).
 * - Delays use the injected Clock, so a SimClock-driven test controls them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import { type FaultRegistry, routeScope } from './faults';

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  params: Record<string, string>;
}

export interface Res {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: Req) => Res | Promise<Res>;

const MAX_BODY = 1024 * 1024;

export const json = (status: number, body: unknown, headers?: Record<string, string>): Res => ({ status, body, headers });
export const err = (status: number, error: string, extra?: Record<string, unknown>): Res => ({ status, body: { error, ...extra } });

export function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    const segs = path.split('/').filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== method || r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = r.parts[i]!;
        if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(segs[i]!);
        else if (p !== segs[i]) ok = false;
        if (!ok) break;
      }
      if (ok) return { handler: r.handler, params };
    }
    return undefined;
  }
}

const FORCED: Record<number, string> = {
  425: 'matching engine restarting',
  429: 'Too Many Requests',
  500: 'could not insert order',
  503: 'Trading is currently disabled. Check polymarket.com for updates',
};

function wait(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, 'sim.http.delay', resolve));
}

export function createHttpServer(name: string, router: Router, faults: FaultRegistry, clock: Clock): Server {
  const server = createServer((req, res) => {
    void handle(name, router, faults, clock, req, res);
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

async function handle(name: string, router: Router, faults: FaultRegistry, clock: Clock, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let out: Res;
  try {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const scope = routeScope(name, method, url.pathname);
    const lat = faults.find('latency', scope);
    if (lat?.spec.delayMs) await wait(clock, lat.spec.delayMs);
    const forced = faults.find('http_status', scope);
    if (raw === undefined) out = err(413, 'payload too large');
    else if (forced) {
      const status = forced.spec.status ?? 503;
      const headers: Record<string, string> = {};
      if (forced.spec.retryAfterSec !== undefined) headers['Retry-After'] = String(forced.spec.retryAfterSec);
      if (status === 429) {
        headers['Poly-RateLimit-Remaining'] = '0';
        headers['Poly-RateLimit-Reset'] = String(Math.ceil(clock.nowMs() / 1000) + (forced.spec.retryAfterSec ?? 1));
        headers['Poly-RateLimit-Tier'] = 'standard';
      }
      out = { status, body: { error: FORCED[status] ?? 'error' }, headers };
    } else {
      const m = router.match(method, url.pathname);
      out = m ? await m.handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, rawBody: raw, params: m.params }) : err(404, 'not found');
    }
    const late = method === 'POST' ? faults.find('late_ack', scope) : undefined;
    if (late?.spec.delayMs) await wait(clock, late.spec.delayMs);
  } catch (_e) {
    out = err(500, 'internal error');
  }
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...out.headers };
  let payload = '';
  if (out.body !== undefined) {
    payload = JSON.stringify(out.body);
    headers['Content-Type'] = 'application/json';
  }
  res.writeHead(out.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}
