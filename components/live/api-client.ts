/**
 * Browser API client: JSON in/out, the operator token (kept in sessionStorage, sent as a header) and the
 * server's one error shape turned into an ApiCallError with field errors.
 */
import { apiErrorSchema } from '../../lib/schemas/api';

const TOKEN_KEY = 'updown.operatorToken';

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export function getToken(): string {
  if (typeof window === 'undefined') return '';
  return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function setToken(token: string): void {
  window.sessionStorage.setItem(TOKEN_KEY, token);
}

export async function apiCall<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const token = getToken();
  if (token) headers['x-operator-token'] = token;
  const res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), cache: 'no-store' });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success) throw new ApiCallError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.fields);
    throw new ApiCallError(res.status, 'internal', `HTTP ${res.status}`);
  }
  return json as T;
}
