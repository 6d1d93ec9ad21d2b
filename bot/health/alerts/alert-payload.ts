/**
 * The webhook's JSON body: one generic shape that Slack-compatible incoming webhooks (`text`), Discord webhooks
 * (`content`) and any bridge (Telegram, Matrix, a script) can read, plus structured fields for machines.
 *
 *   {
 *     "text": "[DANGER] kill switch active → halted — operator(local): manual halt · paper/sim run 3",
 *     "content": "<same as text>",
 *     "source": "updown", "kind": "kill_switch", "severity": "danger",
 *     "title": "kill switch active → halted", "message": "operator(local): manual halt",
 *     "series": null, "market": null, "feed": null,
 *     "tsMs": 1791158412000, "time": "2026-10-05T00:00:12.000Z",
 *     "runId": "6f1c…", "runNumber": 3, "mode": "paper", "venue": "sim",
 *     "suppressed": { "total": 2, "byKind": { "feed_stall": 2 }, "sinceMs": 1791158000000 } | null,
 *     "dropped": 0, "test": false
 *   }
 *
 * Invariants: the body parses with `alertPayloadSchema`; `text`/`content` stay under Discord's 2000-character limit;
 * nothing here knows the webhook URL.
 */
import { z } from 'zod';
import { alertKindSchema, alertSeveritySchema, type AlertKind, type AlertSeverity } from '../../../lib/schemas/events';

const TEXT_MAX = 1_900;

/** What a rule produces: the facts of one alert, before context and rate limiting. */
export interface AlertDraft {
  kind: AlertKind;
  severity: AlertSeverity;
  title: string;
  message: string;
  /** Series key, e.g. `btc-5m`. */
  series?: string;
  /** Market (window) slug. */
  market?: string;
  feed?: string;
}

/** Where an alert comes from (read when it is built). */
export interface AlertContext {
  /** The runtime's id: the `runId` every log line of this process carries. */
  runId: string;
  /** The store's number of the current start (null while the bot is stopped). */
  runNumber: number | null;
  mode: string;
  venue: string;
}

export const suppressionSummarySchema = z.object({
  total: z.number().int().positive(),
  byKind: z.partialRecord(alertKindSchema, z.number().int().positive()),
  sinceMs: z.number(),
});
export type SuppressionSummary = z.infer<typeof suppressionSummarySchema>;

export const alertPayloadSchema = z.object({
  text: z.string().max(2_000),
  content: z.string().max(2_000),
  source: z.literal('updown'),
  kind: alertKindSchema,
  severity: alertSeveritySchema,
  title: z.string(),
  message: z.string(),
  series: z.string().nullable(),
  market: z.string().nullable(),
  feed: z.string().nullable(),
  tsMs: z.number(),
  time: z.string(),
  runId: z.string(),
  runNumber: z.number().int().nullable(),
  mode: z.string(),
  venue: z.string(),
  suppressed: suppressionSummarySchema.nullable(),
  /** Alerts dropped from the sender's full queue since the last delivery (set by the sender when it sends). */
  dropped: z.number().int().nonnegative(),
  test: z.boolean(),
});
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

/** The one-line text chat services show: severity, title, message, where from, and what was held back. */
export function alertText(d: AlertDraft, ctx: AlertContext, suppressed: SuppressionSummary | null, dropped: number): string {
  const where = `${ctx.mode}/${ctx.venue}${ctx.runNumber !== null ? ` run ${ctx.runNumber}` : ''}`;
  const subject = [d.series, d.market, d.feed].filter(Boolean).join(' ');
  let text = `[${d.severity.toUpperCase()}] ${d.title}${d.message ? ` — ${d.message}` : ''}${subject ? ` (${subject})` : ''} · ${where}`;
  if (suppressed) {
    const kinds = Object.entries(suppressed.byKind).map(([k, n]) => `${k}×${n}`).join(', ');
    text += ` · +${suppressed.total} suppressed since ${new Date(suppressed.sinceMs).toISOString().slice(11, 19)}Z (${kinds})`;
  }
  if (dropped > 0) text += ` · ${dropped} dropped (queue full)`;
  return text.length > TEXT_MAX ? `${text.slice(0, TEXT_MAX - 1)}…` : text;
}

export function buildPayload(d: AlertDraft, ctx: AlertContext, tsMs: number, suppressed: SuppressionSummary | null, test = false): AlertPayload {
  const text = alertText(d, ctx, suppressed, 0);
  return {
    text,
    content: text,
    source: 'updown',
    kind: d.kind,
    severity: d.severity,
    title: d.title,
    message: d.message,
    series: d.series ?? null,
    market: d.market ?? null,
    feed: d.feed ?? null,
    tsMs,
    time: new Date(tsMs).toISOString(),
    runId: ctx.runId,
    runNumber: ctx.runNumber,
    mode: ctx.mode,
    venue: ctx.venue,
    suppressed,
    dropped: 0,
    test,
  };
}

/** The payload as sent: with the sender's count of alerts dropped since its last delivery. */
export function withDropped(p: AlertPayload, dropped: number): AlertPayload {
  if (dropped === p.dropped) return p;
  const ctx: AlertContext = { runId: p.runId, runNumber: p.runNumber, mode: p.mode, venue: p.venue };
  const draft: AlertDraft = { kind: p.kind, severity: p.severity, title: p.title, message: p.message, ...(p.series ? { series: p.series } : {}), ...(p.market ? { market: p.market } : {}), ...(p.feed ? { feed: p.feed } : {}) };
  const text = alertText(draft, ctx, p.suppressed, dropped);
  return { ...p, dropped, text, content: text };
}
