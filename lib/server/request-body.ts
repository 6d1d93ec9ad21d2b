/**
 * Request bodies with a hard size limit, never buffered past it: a Content-Length over the limit is refused before
 * a byte is read, and a body without one (chunked) is read chunk by chunk and the stream cancelled as soon as the
 * total passes the limit. Used by withApi for every route (GET included: a declared body over the limit is refused).
 */
import 'server-only';

export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`);
  }
}

/** The declared Content-Length, if any (NaN when malformed). */
export function declaredLength(headers: Headers): number | undefined {
  const raw = headers.get('content-length');
  if (raw === null) return undefined;
  return /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
}

/** Throws BodyTooLarge when the request declares more than `limit` bytes (or a malformed length). */
export function checkDeclaredLength(headers: Headers, limit = MAX_BODY_BYTES): void {
  const n = declaredLength(headers);
  if (n !== undefined && !(n <= limit)) throw new BodyTooLarge(limit);
}

/** The body as UTF-8 text, at most `limit` bytes; throws BodyTooLarge (and cancels the stream) beyond that. */
export async function readCappedText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  checkDeclaredLength(req.headers, limit);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
