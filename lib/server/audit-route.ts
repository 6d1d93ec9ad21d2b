/**
 * GET /api/audit?limit=&action=&actor=: the audit trail, newest first, filtered by an action prefix and an actor
 * (case-insensitive substring), each entry with its source and (for config changes) its diff.
 * GET /api/audit?format=csv[&action=&actor=]: every matching entry as RFC 4180 CSV (orders-csv.ts cells: quoted when
 * needed, formula-looking text defused), streamed page by page (AUDIT_CSV_PAGE rows at a time, never all in memory).
 *
 * Invariants: read-only; the query is parsed with `auditQuerySchema` (a bad parameter is a 400 naming it); at most
 * the filters run in the store over the whole trail (AuditLog.query); `more` says whether further matching entries
 * exist beyond `limit`; the output parses with `auditResponseSchema`.
 */
import 'server-only';
import type { AuditEntry } from '../../bot/store';
import { auditDiffEntrySchema, auditQuerySchema, queryObject, type AuditEntryView, type AuditQuery, type AuditResponse } from '../schemas/audit';
import { ApiProblem, withApi } from './api';
import { csvCell, type Cell } from './orders-csv';
import { getRuntimeHolder } from './runtime-registry';

/** Parse the query string; a bad parameter -> ApiProblem('bad_request') with the field paths. */
export function parseAuditQuery(url: URL): AuditQuery {
  const parsed = auditQuerySchema.safeParse(queryObject(url.searchParams));
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(query)'), message: i.message }));
  throw new ApiProblem('bad_request', `bad query: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Where an action came from: the recorded source, else automatic / the console or API / the runtime itself. */
export function auditSource(e: Pick<AuditEntry, 'actor' | 'detail'>): string {
  const recorded = str(e.detail.source);
  if (recorded) return recorded === 'local' ? 'console/api (local)' : recorded;
  if (e.detail.automatic === true) return 'automatic';
  if (e.actor.startsWith('operator')) return 'console/api';
  return e.actor;
}

/** One readable line: the reason, a from → to move, the version, or the message of a refusal. */
export function auditSummary(e: Pick<AuditEntry, 'detail'>): string {
  const d = e.detail;
  const parts: string[] = [];
  const from = d.from ?? d.prevState;
  const to = d.to ?? d.state;
  if ((typeof from === 'string' || typeof from === 'number') && (typeof to === 'string' || typeof to === 'number')) parts.push(`${from} → ${to}`);
  if (typeof d.version === 'number') parts.push(`v${d.version}`);
  const reason = str(d.reason);
  if (reason) parts.push(reason);
  const message = str(d.message);
  if (message) parts.push(message);
  if (Array.isArray(d.diff)) parts.push(`${d.diff.length} field${d.diff.length === 1 ? '' : 's'} changed`);
  return parts.join(' · ').slice(0, 300);
}

export function auditView(e: AuditEntry): AuditEntryView {
  const diff = Array.isArray(e.detail.diff) ? auditDiffEntrySchema.array().safeParse(e.detail.diff) : undefined;
  return { id: e.id, tsMs: e.tsMs, actor: e.actor, action: e.action, source: auditSource(e), diff: diff?.success ? diff.data : null, summary: auditSummary(e), detail: e.detail };
}

/** Filter the newest entries (already newest first; `asked` of them were requested from the store) and shape the answer. */
export function auditAnswer(recent: readonly AuditEntry[], q: AuditQuery, asked: number): AuditResponse {
  const action = q.action ?? '';
  const actor = (q.actor ?? '').toLowerCase();
  const entries: AuditEntryView[] = [];
  for (const e of recent) {
    if (entries.length >= q.limit) break;
    if (action && !e.action.startsWith(action)) continue;
    if (actor && !e.actor.toLowerCase().includes(actor)) continue;
    entries.push(auditView(e));
  }
  return { entries, scanned: recent.length, more: recent.length >= asked, limit: q.limit };
}

export const AUDIT_CSV_HEADER = ['id', 'time_utc', 'ts_ms', 'actor', 'action', 'source', 'from', 'to', 'summary', 'diff', 'detail'] as const;
export const AUDIT_CSV_PAGE = 500;

const cellText = (v: unknown): Cell => (typeof v === 'string' || typeof v === 'number' ? v : null);

/** One CSV row of an entry (diff and detail as JSON text). */
export function auditCsvRow(e: AuditEntry): Cell[] {
  const v = auditView(e);
  return [v.id, new Date(v.tsMs).toISOString(), v.tsMs, v.actor, v.action, v.source, cellText(e.detail.from), cellText(e.detail.to), v.summary, v.diff ? JSON.stringify(v.diff) : null, JSON.stringify(v.detail)];
}

/** Every entry matching the filters, newest first, as a CSV stream (header first; CRLF line ends). */
export function auditCsvStream(page: (beforeId: number | undefined) => readonly AuditEntry[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let before: number | undefined;
  let first = true;
  return new ReadableStream<Uint8Array>({
    pull(ctrl) {
      const rows = page(before);
      const lines = [...(first ? [[...AUDIT_CSV_HEADER] as Cell[]] : []), ...rows.map(auditCsvRow)];
      first = false;
      if (lines.length) ctrl.enqueue(enc.encode(lines.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('')));
      if (rows.length < AUDIT_CSV_PAGE) ctrl.close();
      else before = rows[rows.length - 1]!.id;
    },
  });
}

export const auditRoute = withApi({ mutating: false }, ({ req, holder }): AuditResponse | Response => {
  const q = parseAuditQuery(new URL(req.url));
  if (q.format === 'csv') {
    const audit = holder.runtime.store.audit;
    const stream = auditCsvStream((beforeId) => audit.query({ limit: AUDIT_CSV_PAGE, actionPrefix: q.action, actor: q.actor, ...(beforeId !== undefined ? { beforeId } : {}) }));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return new Response(stream, { headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="audit-${stamp}.csv"`, 'Cache-Control': 'no-store' } });
  }
  // One row beyond the limit tells whether more entries match.
  const asked = q.limit + 1;
  return auditAnswer(holder.runtime.store.audit.query({ limit: asked, actionPrefix: q.action, actor: q.actor }), q, asked);
});

/** The page's first snapshot (no filters, the default limit), rendered on the server; null when the runtime is not up. */
export function auditSnapshotNow(): AuditResponse | null {
  try {
    const q = auditQuerySchema.parse({});
    return auditAnswer(getRuntimeHolder().runtime.store.audit.query({ limit: q.limit + 1 }), q, q.limit + 1);
  } catch {
    return null;
  }
}
