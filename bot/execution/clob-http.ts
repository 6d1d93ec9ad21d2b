/**
 * Minimal keep-alive HTTP(S) transport for the CLOB with L2 headers. Used for the latency-critical order post
 * (body bytes prepared in advance, one HMAC, one write) and for authenticated reads parsed with zod.
 *
 * Invariants: one agent per host with keep-alive (sockets reused); every request has a timeout and resolves
 * with a typed result (never throws for HTTP statuses); `onSent` fires right after the body is handed to the
 * socket (the latency benchmark's end mark); L2 timestamps come from the clock given (the session's venue clock:
 * ours plus the measured `GET /time` offset); every answer to an authenticated request is reported to
 * `onL2Answer` with the generation of the credentials that signed it (a 401 of superseded credentials is old news).
 */
import http from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import type { Clock } from '../clock';
import { USER_AGENT } from '../protocol';
import type { L2Signer } from './hmac';

export interface HttpResponse {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

export type Parsed<T> = { ok: true; value: T; status: number } | { ok: false; status: number; body: string; retryAfterMs?: number };

export class ClobHttp {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  /** Bumped on every credentials change. */
  generation = 0;
  /** Called with the HTTP status of every authenticated request's answer (0 = transport error). */
  onL2Answer: ((status: number, generation: number) => void) | undefined;

  constructor(
    host: string,
    /** The venue clock (L2 timestamps). */
    private readonly clock: Clock,
    private l2: L2Signer | undefined,
    private readonly timeoutMs = 10_000,
  ) {
    this.url = new URL(host);
    this.mod = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 16 });
  }

  close(): void {
    this.agent.destroy();
  }

  /** New API credentials (after a re-derive): later requests are signed with them. */
  setSigner(l2: L2Signer): void {
    this.l2 = l2;
    this.generation++;
  }

  private tsSec(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }

  /** Send a request; `path` may carry a query string (excluded from the HMAC). */
  request(method: string, path: string, body?: string, opts: { auth?: boolean; onSent?: () => void } = {}): Promise<HttpResponse> {
    const signPath = path.split('?')[0]!;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT };
    const authed = opts.auth !== false && this.l2 !== undefined;
    if (authed) Object.assign(headers, this.l2!.headers(this.tsSec(), method, signPath, body));
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const gen = this.generation;
    const sent = new Promise<HttpResponse>((resolve, reject) => {
      const req = this.mod.request(
        { protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port, method, path: (this.url.pathname.replace(/\/$/, '') + path), headers, agent: this.agent, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timeout')));
      req.on('error', reject);
      req.end(body);
      opts.onSent?.();
    });
    if (!authed || !this.onL2Answer) return sent;
    return sent.then(
      (r) => {
        this.onL2Answer?.(r.status, gen);
        return r;
      },
      (e: unknown) => {
        this.onL2Answer?.(0, gen);
        throw e;
      },
    );
  }

  async json<S extends z.ZodTypeAny>(method: string, path: string, schema: S, body?: string): Promise<Parsed<z.infer<S>>> {
    const r = await this.request(method, path, body);
    if (r.status < 200 || r.status >= 300) return { ok: false, status: r.status, body: r.text.slice(0, 500), ...retryAfter(r) };
    let raw: unknown;
    try {
      raw = JSON.parse(r.text);
    } catch {
      return { ok: false, status: r.status, body: 'malformed JSON' };
    }
    const p = schema.safeParse(raw);
    if (!p.success) return { ok: false, status: r.status, body: `schema: ${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}` };
    return { ok: true, value: p.data, status: r.status };
  }
}

export function retryAfter(r: HttpResponse): { retryAfterMs?: number } {
  const h = r.headers['retry-after'];
  const n = Number(Array.isArray(h) ? h[0] : h);
  if (Number.isFinite(n) && n >= 0) return { retryAfterMs: n * 1000 };
  try {
    const b = JSON.parse(r.text) as { retry_after_seconds?: unknown };
    if (typeof b.retry_after_seconds === 'number') return { retryAfterMs: b.retry_after_seconds * 1000 };
  } catch {
    /* not JSON */
  }
  return {};
}
