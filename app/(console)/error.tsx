'use client';
/**
 * The console's error boundary (inside the frame, so the navigation stays usable): what went wrong, the digest
 * that matches the server log line (server errors reach the browser as a generic message plus digest), and a
 * retry that re-fetches and re-renders the page. Anything thrown, not only Error instances, is shown.
 */
import { Button } from '../../components/ui/button';

function describeError(error: unknown): { message: string; digest: string | null } {
  if (error instanceof Error) {
    const digest = (error as Error & { digest?: unknown }).digest;
    return { message: error.message || error.name || 'Unknown error', digest: typeof digest === 'string' && digest ? digest : null };
  }
  if (typeof error === 'string' && error) return { message: error, digest: null };
  try {
    return { message: JSON.stringify(error) ?? String(error), digest: null };
  } catch {
    return { message: String(error), digest: null };
  }
}

export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  const { message, digest } = describeError(error);
  return (
    <section role="alert" data-testid="page-error" className="mx-auto max-w-2xl rounded-xl border border-red-900/70 bg-red-950/30 p-5">
      <h1 className="text-lg font-semibold text-red-200">This page failed to render</h1>
      <p data-testid="page-error-message" className="mt-2 break-words font-mono text-sm text-red-100">
        {message}
      </p>
      {digest && (
        <p className="mt-1 text-xs text-slate-400">
          digest <span data-testid="page-error-digest" className="font-mono text-slate-300">{digest}</span> (search the server log for it)
        </p>
      )}
      <div className="mt-4 flex gap-2">
        <Button variant="primary" onClick={() => retry()} data-testid="page-error-retry">
          Retry
        </Button>
      </div>
    </section>
  );
}
