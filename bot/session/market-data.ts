/**
 * The two market-data wirings a venue session can run on: live sockets + the venue's REST/Gamma, or a recorded
 * session (replay). The composition root picks one; the session and its feeds never look at the mode.
 *
 * REST answers are market data too: the market feed resnapshots books over `/book` (after a tick-size change, a
 * mismatch, a missing snapshot) and checks quiet sockets over `/books`. Live, every such answer is tapped as a
 * 'clob-rest' frame `{method, path, body, status, text}` with its receive time; in a replay the same request waits
 * for the recorded answer to the same request (delivered by the driver in receive-time order) and gets 503 when the
 * recording has none within `restWaitMs` — so a resync lands on exactly the snapshot it landed on live.
 *
 * Invariants: a recorded wiring never opens a socket or makes a network call; recorded answers nobody asked for are
 * kept briefly (bounded) for a request made a moment later, then dropped and counted.
 */
import type { Clock } from '../clock';
import { ClobPublicClient, GammaClient, type FetchFn } from '../http';
import { GammaDirectory, RecordedDirectory, type RecordedMarket } from '../markets/market-directory';
import type { IngestFrame, MarketDataWiring } from './venue-session';

interface RestFrame {
  method: string;
  path: string;
  body: string;
  status: number;
  text: string;
}

const keyOf = (method: string, path: string, body: string) => `${method} ${path} ${body}`;

function requestParts(input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]): { method: string; path: string; body: string } {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return { method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname + url.search, body: typeof init?.body === 'string' ? init.body : '' };
}

/** Tap the market-data REST answers (book snapshots, quiet checks) as 'clob-rest' frames. */
function tappedFetch(tap: (text: string) => void): FetchFn {
  return async (input, init) => {
    const res = await fetch(input, init);
    const { method, path, body } = requestParts(input, init);
    const route = path.split('?')[0];
    if (route !== '/book' && route !== '/books') return res;
    const text = await res.text();
    tap(JSON.stringify({ method, path, body, status: res.status, text } satisfies RestFrame));
    return new Response(text, { status: res.status, headers: res.headers });
  };
}

export function liveMarketData(): MarketDataWiring {
  return {
    transport: 'sockets',
    rest: (ep, tap) => new ClobPublicClient(ep.clob, tap ? tappedFetch(tap) : fetch),
    directory: (ep, rest) => new GammaDirectory(new GammaClient(ep.gamma), rest),
  };
}

/** Replay's REST: requests wait for the recorded answer to the same request. */
export class RecordedRest {
  readonly stats = { answered: 0, unanswered: 0, unasked: 0 };
  private readonly waiting = new Map<string, Array<(f: RestFrame | undefined) => void>>();
  private readonly early = new Map<string, { f: RestFrame; atMs: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly waitMs = 10_000,
  ) {}

  readonly fetch: FetchFn = (input, init) => {
    const { method, path, body } = requestParts(input, init);
    const key = keyOf(method, path, body);
    const early = this.early.get(key);
    if (early && this.clock.nowMs() - early.atMs <= 2_000) {
      this.early.delete(key);
      this.stats.answered++;
      return Promise.resolve(new Response(early.f.text, { status: early.f.status, headers: { 'content-type': 'application/json' } }));
    }
    return new Promise<Response>((resolve) => {
      let done = false;
      const finish = (f: RestFrame | undefined) => {
        if (done) return;
        done = true;
        cancel();
        if (f) this.stats.answered++;
        else this.stats.unanswered++;
        resolve(f
          ? new Response(f.text, { status: f.status, headers: { 'content-type': 'application/json' } })
          : new Response(JSON.stringify({ error: 'no recorded answer to this request' }), { status: 503, headers: { 'content-type': 'application/json' } }));
      };
      const list = this.waiting.get(key) ?? [];
      list.push(finish);
      this.waiting.set(key, list);
      const cancel = this.clock.after(this.waitMs, 'replay-rest-wait', () => {
        const l = this.waiting.get(key);
        if (l) {
          const i = l.indexOf(finish);
          if (i >= 0) l.splice(i, 1);
          if (l.length === 0) this.waiting.delete(key);
        }
        finish(undefined);
      });
    });
  };

  /** A recorded 'clob-rest' frame: answer the oldest matching request, or keep it briefly. */
  deliver(raw: string): boolean {
    let f: RestFrame;
    try {
      f = JSON.parse(raw) as RestFrame;
    } catch {
      return false;
    }
    if (typeof f?.path !== 'string' || typeof f.text !== 'string' || typeof f.status !== 'number') return false;
    const key = keyOf(String(f.method ?? 'GET'), f.path, String(f.body ?? ''));
    const list = this.waiting.get(key);
    const next = list?.shift();
    if (list && list.length === 0) this.waiting.delete(key);
    if (next) {
      next(f);
      return true;
    }
    this.stats.unasked++;
    if (this.early.size >= 256) this.early.delete(this.early.keys().next().value!);
    this.early.set(key, { f, atMs: this.clock.nowMs() });
    return true;
  }
}

export function recordedMarketData(markets: readonly RecordedMarket[], clock: Clock, opts: { noReference?: boolean } = {}): MarketDataWiring {
  const rest = new RecordedRest(clock);
  return {
    transport: 'recorded',
    rest: () => new ClobPublicClient('http://replay.invalid', rest.fetch),
    directory: () => new RecordedDirectory(markets, () => clock.nowMs()),
    deliver: (frame: IngestFrame) => (frame.source === 'clob-rest' ? rest.deliver(frame.raw) : false),
    ...(opts.noReference ? { noReference: true } : {}),
  };
}
