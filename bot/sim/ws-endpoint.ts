/**
 * WebSocket endpoint plumbing shared by every simulated stream: upgrade routing by path on an http.Server,
 * per-stream socket sets, `drop` faults (terminate now, refuse upgrades while active), `http_status` faults scoped to
 * the stream name (the upgrade is answered with that status and Retry-After) and clean shutdown.
 * Invariants: each stream holds at most 1,000 sockets (further upgrades get 503); sockets are removed on close.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../clock';
import { type FaultRegistry, streamScope } from './faults';
import type { StreamName } from './hub';
import { FaultySocket } from './ws-out';

const MAX_SOCKETS = 1000;
const STATUS_TEXT: Record<number, string> = { 425: 'Too Early', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export type OnConnection = (s: FaultySocket, req: IncomingMessage) => void;

export class WsEndpoint {
  readonly sockets = new Set<FaultySocket>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  constructor(
    readonly stream: StreamName,
    private readonly faults: FaultRegistry,
    private readonly clock: Clock,
    private readonly onConnection: OnConnection,
  ) {
    faults.onDrop((f) => {
      if (!streamScope(this.stream)(f.spec.scope)) return;
      const code = f.spec.closeCode;
      for (const s of [...this.sockets]) {
        if (code === undefined) s.terminate();
        else s.close(code, 'closed by fault');
      }
    });
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const forced = this.faults.find('http_status', (scope) => scope === this.stream);
    if (forced) {
      const status = forced.spec.status ?? 503;
      const retry = forced.spec.retryAfterSec !== undefined ? `Retry-After: ${forced.spec.retryAfterSec}\r\n` : '';
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n${retry}Content-Length: 0\r\n\r\n`);
      return;
    }
    const refusing = this.faults.find('drop', streamScope(this.stream), false);
    if (refusing || this.sockets.size >= MAX_SOCKETS) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const s = new FaultySocket(ws, this.stream, this.faults, this.clock);
      this.sockets.add(s);
      ws.on('close', () => this.sockets.delete(s));
      ws.on('error', () => ws.terminate());
      this.onConnection(s, req);
    });
  }

  closeAll(code: number, reason: string): void {
    for (const s of this.sockets) s.close(code, reason);
    this.wss.close();
  }
}

/** Route upgrades on `server` by path; unknown paths get 404. */
export function routeUpgrades(server: Server, pick: (path: string) => WsEndpoint | undefined): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const ep = pick(path);
    if (!ep) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    ep.upgrade(req, socket, head);
  });
}

/** Text of a ws message (binary frames are decoded as UTF-8). */
export function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return '';
}
