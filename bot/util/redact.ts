/**
 * Secret redaction: the last guard before anything reaches a log line, an audit row or an API response.
 * Redacts values under secret-looking keys and any 0x-prefixed 64-hex string (a private key's shape).
 * Invariant: nothing passes unexamined — a value nested deeper than MAX_DEPTH (or a cycle) is replaced, never returned
 * as it was.
 */
const SECRET_KEY = /(private.?key|secret|passphrase|password|api.?key|token|mnemonic|signature|authorization|cookie)/i;
const HEX64 = /0x[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;

export const redactPaths: readonly string[] = [
  'privateKey', '*.privateKey', 'secret', '*.secret', 'passphrase', '*.passphrase', 'apiKey', '*.apiKey',
  'token', '*.token', 'headers.authorization', 'req.headers.authorization', 'req.headers["x-operator-token"]',
  '*.POLY_API_KEY', '*.POLY_PASSPHRASE', '*.POLY_SIGNATURE', 'creds', '*.creds',
];

export function redactString(s: string): string {
  return s.replace(HEX64, '0x[REDACTED]');
}

const MAX_DEPTH = 8;

export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH) return (value !== null && typeof value === 'object' ? '[TRUNCATED]' : typeof value === 'string' ? redactString(value) : value) as T;
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '[REDACTED]' : redactSecrets(v, depth + 1);
    }
    return out as T;
  }
  return value;
}
