/**
 * The pages' read check (CONSOLE_PROTECT_READS): called by the console's server layout, it sends a browser without
 * the token or a login session to /login. Route handlers do their own check in withApi; this guard is for pages only.
 */
import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { authenticate } from './console-auth';
import { getRuntimeHolder } from './runtime-registry';

/** True when pages may be shown to this request (reads not protected, or the token / a session came along). */
export async function consoleReadAllowed(): Promise<boolean> {
  const env = getRuntimeHolder().env;
  if (!env.CONSOLE_PROTECT_READS) return true;
  return authenticate(await headers(), env.CONSOLE_TOKEN, Date.now()).ok;
}

/** Redirect to /login unless this request may read the console. */
export async function requireConsoleReader(): Promise<void> {
  if (!(await consoleReadAllowed())) redirect('/login');
}
