/**
 * Alert rate limits and the suppression summary (bot/health/alerts/alert-rate-limit.ts), the webhook payload
 * (alert-payload.ts: `text` for Slack-compatible hooks, `content` for Discord, the structured fields, the summary in
 * the text) and the webhook URL (webhook-url.ts: http(s) only, host shown, every secret-bearing part scrubbed).
 */
import { describe, expect, it } from 'vitest';
import { alertPayloadSchema, buildPayload, withDropped } from '../../../bot/health/alerts/alert-payload';
import { AlertRateLimiter, type RateLimits } from '../../../bot/health/alerts/alert-rate-limit';
import { parseWebhookUrl } from '../../../bot/health/alerts/webhook-url';

const L: RateLimits = { perKindMax: 2, perKindWindowMs: 60_000, globalMax: 3, globalWindowMs: 600_000 };

describe('AlertRateLimiter', () => {
  it('admits perKindMax of one kind per window, suppresses the rest, and admits again once the window slides', () => {
    const r = new AlertRateLimiter();
    expect(r.admit('feed_stall', 0, L).ok).toBe(true);
    expect(r.admit('feed_stall', 1_000, L).ok).toBe(true);
    expect(r.admit('feed_stall', 2_000, L)).toEqual({ ok: false, reason: 'kind_limit', pending: 1 });
    expect(r.admit('feed_stall', 60_000, L)).toMatchObject({ ok: true }); // the one at 0 left the window (t <= now - window)
    expect(r.admit('feed_stall', 60_500, L).ok).toBe(false);
  });

  it('the global cap holds across kinds', () => {
    const r = new AlertRateLimiter();
    expect(['kill_switch', 'health', 'daily_loss'].map((k, i) => r.admit(k as never, i, L).ok)).toEqual([true, true, true]);
    expect(r.admit('balance_drop', 10, L)).toEqual({ ok: false, reason: 'global_limit', pending: 1 });
    expect(r.admit('balance_drop', 600_001, L).ok).toBe(true);
  });

  it('suppressed alerts are counted by kind and summarised once, in the next alert admitted', () => {
    const r = new AlertRateLimiter();
    r.admit('feed_stall', 0, L);
    r.admit('feed_stall', 1, L);
    expect(r.admit('feed_stall', 5_000, L)).toEqual({ ok: false, reason: 'kind_limit', pending: 1 });
    expect(r.admit('feed_stall', 6_000, L)).toEqual({ ok: false, reason: 'kind_limit', pending: 2 });
    expect(r.admit('health', 7_000, L)).toEqual({ ok: true, summary: { total: 2, byKind: { feed_stall: 2 }, sinceMs: 5_000 } });
    expect(r.pending).toBe(0);
    expect(r.admit('health', 8_000, L)).toEqual({ ok: false, reason: 'global_limit', pending: 1 });
    expect(r.admit('feed_stall', 9_000, L)).toEqual({ ok: false, reason: 'kind_limit', pending: 2 });
    expect(r.pending).toBe(2);
    const next = r.admit('kill_switch', 600_002, L);
    expect(next).toEqual({ ok: true, summary: { total: 2, byKind: { health: 1, feed_stall: 1 }, sinceMs: 8_000 } });
    expect(r.pending).toBe(0);
    expect(r.admit('daily_loss', 600_003, L)).toEqual({ ok: true, summary: null });
  });

  it('a hot change of the limits applies at the next alert (lowering a limit keeps the history bounded by it)', () => {
    const r = new AlertRateLimiter();
    const wide: RateLimits = { ...L, perKindMax: 10, globalMax: 10 };
    for (let i = 0; i < 6; i++) expect(r.admit('health', i, wide).ok).toBe(true);
    expect(r.admit('health', 10, { ...wide, perKindMax: 5 }).ok).toBe(false);
    // The history was trimmed to the lower limit's 5 newest: with room for 6 again, one more passes, then none.
    expect(r.admit('health', 11, { ...wide, perKindMax: 6 }).ok).toBe(true);
    expect(r.admit('health', 12, { ...wide, perKindMax: 6 }).ok).toBe(false);
  });
});

const ctx = { runId: 'inst-1', runNumber: 3, mode: 'paper', venue: 'sim' };

describe('alert payload', () => {
  it('carries text and content (the same line) plus the structured fields, and parses with its schema', () => {
    const p = buildPayload({ kind: 'kill_switch', severity: 'danger', title: 'kill switch active → halted', message: 'operator (operator(local)): manual halt' }, ctx, Date.UTC(2026, 9, 5, 0, 0, 12), null);
    expect(alertPayloadSchema.parse(p)).toEqual(p);
    expect(p.text).toBe('[DANGER] kill switch active → halted — operator (operator(local)): manual halt · paper/sim run 3');
    expect(p.content).toBe(p.text);
    expect(p).toMatchObject({ kind: 'kill_switch', severity: 'danger', series: null, market: null, runId: 'inst-1', runNumber: 3, time: '2026-10-05T00:00:12.000Z', suppressed: null, dropped: 0, test: false });
  });

  it('says in the text what was suppressed and dropped; text stays under Discord\'s 2000 characters', () => {
    const p = buildPayload({ kind: 'rejection_burst', severity: 'warn', title: 't', message: 'x'.repeat(5_000), series: 'btc-5m', market: 'btc-updown-5m-1791158400' }, ctx, 0, { total: 4, byKind: { feed_stall: 3, health: 1 }, sinceMs: 0 });
    expect(p.text.length).toBeLessThanOrEqual(1_900);
    const short = buildPayload({ kind: 'health', severity: 'warn', title: 't', message: 'm', series: 'btc-5m' }, ctx, 0, { total: 4, byKind: { feed_stall: 3, health: 1 }, sinceMs: 0 });
    expect(short.text).toContain('(btc-5m)');
    expect(short.text).toContain('+4 suppressed since 00:00:00Z (feed_stall×3, health×1)');
    const sent = withDropped(short, 7);
    expect(sent.dropped).toBe(7);
    expect(sent.text).toContain('7 dropped (queue full)');
    expect(alertPayloadSchema.safeParse(sent).success).toBe(true);
  });
});

describe('webhook URL', () => {
  it('unset or blank is no webhook; a non-http(s) or malformed value is refused without echoing it', () => {
    expect(parseWebhookUrl(undefined)).toBeUndefined();
    expect(parseWebhookUrl('  ')).toBeUndefined();
    expect(() => parseWebhookUrl('ftp://h/secret-abcdef')).toThrow(/http\(s\)/);
    const bad = 'not a url secret-abcdef';
    expect(() => parseWebhookUrl(bad)).toThrow(/not a valid URL/);
    try {
      parseWebhookUrl(bad);
    } catch (err) {
      expect(String(err)).not.toContain('secret-abcdef');
    }
  });

  it('shows the host only and scrubs the URL and every token-bearing part from any text', () => {
    const t = parseWebhookUrl('https://user:pw-s3cr3t@hooks.example.com:8443/services/T0001/B0002/XyZsecretToken99?token=qwerty123&chat_id=-1001234')!;
    expect(t.host).toBe('hooks.example.com:8443');
    const leaks = [
      t.url,
      'POST https://hooks.example.com:8443/services/T0001/B0002/XyZsecretToken99 failed',
      'path /services/T0001/B0002/XyZsecretToken99?token=qwerty123',
      'bad token XyZsecretToken99',
      'query qwerty123 and user pw-s3cr3t',
      'chat -1001234',
    ];
    for (const text of leaks) {
      const s = t.scrub(text);
      for (const secret of ['XyZsecretToken99', 'qwerty123', 'pw-s3cr3t', '-1001234']) expect(s, text).not.toContain(secret);
    }
    expect(t.scrub('connect ECONNREFUSED 10.0.0.1:8443')).toBe('connect ECONNREFUSED 10.0.0.1:8443');
  });
});
