/**
 * One bounded JSON GET for the external signal sources: an AbortSignal timeout armed on the injected Clock, a cap
 * on the body size (read chunk by chunk, cancelled past the cap), and a clear split of what went wrong:
 * `failure` (network, timeout, HTTP status) or `bad-body` (too large, not JSON).
 *
 * Invariants: never throws; the timeout timer is always cancelled; the fetch function is injected (tests pass a
 * fake; the runtime passes globalThis.fetch).
 */
import type { Clock } from '../../clock';

/** The part of `fetch` this module uses. */
export type FetchLike = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

export type FetchOutcome = { ok: true; body: unknown } | { ok: false; kind: 'failure' | 'bad-body'; error: string };

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

async function readBounded(res: Response, maxBytes: number): Promise<string | undefined> {
  if (!res.body) {
    const t = await res.text();
    return Buffer.byteLength(t) > maxBytes ? undefined : t;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function fetchJson(fetchFn: FetchLike, url: string, timeoutMs: number, clock: Clock, maxBytes = MAX_BODY_BYTES): Promise<FetchOutcome> {
  const ctl = new AbortController();
  let timedOut = false;
  const cancel = clock.after(timeoutMs, 'external-signal.timeout', () => {
    timedOut = true;
    ctl.abort(new Error(`timed out after ${timeoutMs} ms`));
  });
  try {
    const res = await fetchFn(url, { signal: ctl.signal, headers: { accept: 'application/json', 'user-agent': 'updown-signals/1' } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, kind: 'failure', error: `HTTP ${res.status}` };
    }
    const text = await readBounded(res, maxBytes);
    if (text === undefined) return { ok: false, kind: 'bad-body', error: `body over ${maxBytes} bytes` };
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, kind: 'bad-body', error: 'body is not JSON' };
    }
  } catch (err) {
    if (timedOut) return { ok: false, kind: 'failure', error: `timed out after ${timeoutMs} ms` };
    const cause = (err as { cause?: { code?: string } } | undefined)?.cause?.code;
    return { ok: false, kind: 'failure', error: `${err instanceof Error ? err.message : String(err)}${cause ? ` (${cause})` : ''}`.slice(0, 200) };
  } finally {
    cancel();
  }
}
