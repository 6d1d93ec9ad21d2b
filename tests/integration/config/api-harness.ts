/**
 * The /api/config route handlers (lib/server/config-routes.ts, through withApi) over a config service, without a
 * runtime: a holder with just `config` and `env` is put where getRuntimeHolder() looks, and requests are real
 * `Request` objects. serve() puts the same handlers behind a loopback HTTP server (for the CLI's online path).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigService } from '../../../bot/config';
import {
  configGetRoute,
  configHistoryRoute,
  configPatchRoute,
  configProfileRoute,
  configProfilesRoute,
  configRevertRoute,
  configSchemaRoute,
} from '../../../lib/server/config-routes';

const KEY = Symbol.for('updown.runtime.v1');
export const ORIGIN = 'http://127.0.0.1:3000';

export function installHolder(svc: ConfigService, env: { CONSOLE_TOKEN?: string } = {}): () => void {
  const g = globalThis as Record<symbol, unknown>;
  const prev = g[KEY];
  g[KEY] = { config: svc, env: { ...env }, runtime: undefined, shuttingDown: false };
  return () => {
    g[KEY] = prev;
  };
}

type Route = (req: Request) => Promise<Response>;

const ROUTES: Record<string, Partial<Record<string, Route>>> = {
  '/api/config': { GET: configGetRoute, PATCH: configPatchRoute },
  '/api/config/schema': { GET: configSchemaRoute },
  '/api/config/history': { GET: configHistoryRoute },
  '/api/config/revert': { POST: configRevertRoute },
  '/api/config/profiles': { GET: configProfilesRoute },
  '/api/config/profile': { POST: configProfileRoute },
};

export interface Reply {
  status: number;
  json: Record<string, unknown>;
  text: string;
}

export async function callRoute(method: string, path: string, opts: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(path, ORIGIN);
  const route = ROUTES[url.pathname]?.[method];
  if (!route) throw new Error(`no route ${method} ${url.pathname}`);
  const headers: Record<string, string> = { host: '127.0.0.1:3000', ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  const res = await route(new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the assertions look at text
  }
  return { status: res.status, json, text };
}

/** The handlers behind a loopback HTTP server on a free port. */
export async function serve(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', ORIGIN);
      const route = ROUTES[url.pathname]?.[req.method ?? 'GET'];
      if (!route) {
        res.writeHead(404).end('{}');
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      void route(new Request(url, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) })).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
