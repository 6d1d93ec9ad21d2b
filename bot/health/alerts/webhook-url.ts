/**
 * The alerts webhook's URL: a secret (Slack, Discord and Telegram URLs embed their token in the path or query), read
 * by the server from ALERT_WEBHOOK_URL or the file named by ALERT_WEBHOOK_URL_FILE and handed to the runtime.
 *
 * Invariants: the URL is parsed once here (http or https only; a bad value is refused without echoing it); outside
 * this module only `host` is ever shown ("configured: yes, host hooks.slack.com"); `scrub()` removes the URL and
 * every part of it that could carry the token (userinfo, path segments, query values) from any text before it
 * reaches a log line, an event or a response.
 */
import { redactString } from '../../util/redact';

export interface WebhookTarget {
  /** The full URL: only the sender's transport reads it. */
  readonly url: string;
  /** Safe to show: the host (and port) only. */
  readonly host: string;
  /** Remove the URL and its secret-bearing parts from a text. */
  scrub(text: string): string;
}

/** Parse the configured URL; undefined when unset or blank; throws (without the value) when malformed. */
export function parseWebhookUrl(raw: string | undefined): WebhookTarget | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error('ALERT_WEBHOOK_URL is not a valid URL (expected https://host/path…; the value is not shown)');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`ALERT_WEBHOOK_URL must be an http(s) URL (got a ${u.protocol} URL)`);
  if (!u.hostname) throw new Error('ALERT_WEBHOOK_URL has no host');
  const secrets = secretParts(value, u);
  return {
    url: u.href,
    host: u.host,
    scrub: (text: string) => {
      let out = text;
      for (const s of secrets) out = out.split(s).join('[REDACTED]');
      return redactString(out);
    },
  };
}

/** Every substring of the URL that could reveal its token, longest first (so a part never leaves a longer one half-replaced). */
function secretParts(raw: string, u: URL): string[] {
  const parts = new Set<string>([raw, u.href, `${u.origin}${u.pathname}`, `${u.pathname}${u.search}`, u.search.slice(1)]);
  if (u.pathname.length > 1) parts.add(u.pathname);
  for (const seg of u.pathname.split('/')) if (seg.length >= 6) parts.add(seg).add(safeDecode(seg));
  for (const [k, v] of u.searchParams) {
    if (v.length >= 4) parts.add(v).add(encodeURIComponent(v));
    if (k.length >= 6) parts.add(k);
  }
  if (u.username) parts.add(u.username).add(safeDecode(u.username));
  if (u.password) parts.add(u.password).add(safeDecode(u.password));
  if (u.hash.length > 1) parts.add(u.hash);
  return [...parts].filter((p) => p.length >= 4).sort((a, b) => b.length - a.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
