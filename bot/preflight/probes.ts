/**
 * Network probes for the preflight: is an HTTP endpoint answering, does a WebSocket endpoint complete its handshake.
 * Each carries our User-Agent and a network timeout, and resolves with a typed result (never throws). The probe
 * only proves reachability: a WebSocket is closed right after it opens, nothing is subscribed or sent.
 *
 * Invariants: every socket opened here is closed or terminated before the promise resolves; reasons name the
 * cause the operator can act on (`ECONNREFUSED`, `HTTP 451`, `timeout after 5000 ms`).
 */
import WebSocket from 'ws';
import { USER_AGENT } from '../protocol';

export type ProbeResult = { ok: true; status: number; ms: number; text: string } | { ok: false; reason: string; status?: number };

export type FetchFn = typeof fetch;

/** The most useful words of a network error (`ECONNREFUSED 127.0.0.1:9`, `getaddrinfo ENOTFOUND host`, ...). */
export function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code ?? e?.cause?.errors?.[0]?.code;
  const msg = e?.cause?.message ?? e?.message ?? String(err);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

/** GET `url`; any HTTP answer is a result (`ok` false only for network failures). Body kept up to 2 KiB. */
export async function httpGet(fetchFn: FetchFn, url: string, timeoutMs: number, nowMs: () => number): Promise<ProbeResult> {
  const t0 = nowMs();
  try {
    const res = await fetchFn(url, { headers: { 'user-agent': USER_AGENT, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    const text = (await res.text()).slice(0, 2048);
    return { ok: true, status: res.status, ms: Math.max(0, nowMs() - t0), text };
  } catch (err) {
    return { ok: false, reason: networkReason(err, timeoutMs) };
  }
}

/** Open a WebSocket to `url` and close it as soon as the handshake completes. */
export function wsHandshake(url: string, timeoutMs: number, nowMs: () => number): Promise<ProbeResult> {
  const t0 = nowMs();
  return new Promise((resolve) => {
    let done = false;
    let ws: WebSocket;
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      try {
        ws?.terminate();
      } catch {
        /* already closed */
      }
      resolve(r);
    };
    try {
      ws = new WebSocket(url, { headers: { 'user-agent': USER_AGENT }, handshakeTimeout: timeoutMs });
    } catch (err) {
      finish({ ok: false, reason: networkReason(err, timeoutMs) });
      return;
    }
    ws.on('open', () => finish({ ok: true, status: 101, ms: Math.max(0, nowMs() - t0), text: '' }));
    ws.on('unexpected-response', (_req, res) => finish({ ok: false, status: res.statusCode, reason: `HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trim() }));
    ws.on('error', (err) => finish({ ok: false, reason: /handshake timed out/i.test(err.message) ? `timeout after ${timeoutMs} ms` : networkReason(err, timeoutMs) }));
  });
}
