'use client';
/**
 * The login card: one password field for the console token, sent to POST /api/auth/login; on success the server sets
 * the session cookie and the browser goes to the dashboard. Shows the server's field error in place, a note when the
 * console has no token (nothing to log in to), and a log-out button when this browser already has a session.
 */
import { useState } from 'react';
import { apiErrorSchema } from '../../lib/schemas/api';
import { loginRequestSchema } from '../../lib/schemas/console-auth';
import { Button } from '../ui/button';

async function post(path: string, body?: unknown): Promise<{ ok: true } | { ok: false; message: string }> {
  const res = await fetch(path, { method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  if (res.ok) return { ok: true };
  const parsed = apiErrorSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, message: `HTTP ${res.status}` };
  const e = parsed.data.error;
  return { ok: false, message: e.fields?.[0]?.message ?? e.message };
}

export function LoginForm({ tokenConfigured, readsProtected, signedIn }: { tokenConfigured: boolean; readsProtected: boolean; signedIn: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = loginRequestSchema.safeParse({ token });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'enter the console token');
      return;
    }
    setBusy(true);
    setError(null);
    const r = await post('/api/auth/login', parsed.data);
    setBusy(false);
    if (r.ok) window.location.assign('/');
    else setError(r.message);
  };

  const logout = async () => {
    setBusy(true);
    await post('/api/auth/logout');
    window.location.reload();
  };

  return (
    <section data-testid="login-card" className="w-full max-w-sm rounded-xl border border-slate-800 bg-slate-900/60 p-6 shadow-sm">
      <h1 className="text-lg font-semibold tracking-tight">Up/Down Console</h1>
      <p className="mt-1 text-sm text-slate-400">Operator login</p>
      {!tokenConfigured ? (
        <p data-testid="login-open" className="mt-5 text-sm text-slate-300">
          This console has no token set: it listens on this machine only and needs no login.{' '}
          <a href="/" className="text-sky-400 hover:text-sky-300">
            Open the dashboard
          </a>
        </p>
      ) : signedIn ? (
        <div data-testid="login-signed-in" className="mt-5 space-y-4 text-sm text-slate-300">
          <p>This browser is logged in.</p>
          <div className="flex gap-2">
            <a href="/" className="rounded-md bg-sky-600 px-3 py-1.5 font-medium text-white hover:bg-sky-500">
              Dashboard
            </a>
            <Button onClick={() => void logout()} busy={busy} data-testid="logout">
              Log out
            </Button>
          </div>
        </div>
      ) : (
        <form
          className="mt-5 space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label className="block text-sm">
            <span className="text-slate-300">Console token</span>
            <input
              data-testid="login-token"
              type="password"
              autoComplete="current-password"
              autoFocus
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error ? 'login-error' : undefined}
              className="mt-1 block w-full rounded-md border border-slate-700 bg-slate-950 px-3 py-2 font-mono text-sm focus:border-sky-500 focus:outline-none"
            />
          </label>
          {error && (
            <p id="login-error" data-testid="login-error" role="alert" className="text-sm text-red-400">
              {error}
            </p>
          )}
          <Button variant="primary" type="submit" busy={busy} className="w-full" data-testid="login-submit">
            Log in
          </Button>
          <p className="text-xs text-slate-500">
            The session lasts 12 hours in this browser (an HttpOnly cookie; the token itself is not stored).
            {readsProtected ? ' Every page and API read needs it.' : ' Reading is open on this console; changes need the session.'}
          </p>
        </form>
      )}
    </section>
  );
}
