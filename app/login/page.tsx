/**
 * /login: the operator enters the console token once and gets an HttpOnly session cookie (POST /api/auth/login).
 * Outside the console group, so it shows without a session; the server tells the form whether a token is configured,
 * whether reads are protected, and whether this browser already has a session.
 */
import { LoginForm } from '../../components/login/login-form';
import { authenticate } from '../../lib/server/console-auth';
import { getRuntimeHolder } from '../../lib/server/runtime-registry';
import { headers } from 'next/headers';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Log in' };

export default async function LoginPage() {
  const env = getRuntimeHolder().env;
  const auth = authenticate(await headers(), env.CONSOLE_TOKEN, Date.now());
  return (
    <main className="flex min-h-screen items-start justify-center px-4 pt-[12vh]">
      <LoginForm tokenConfigured={Boolean(env.CONSOLE_TOKEN)} readsProtected={env.CONSOLE_PROTECT_READS} signedIn={Boolean(env.CONSOLE_TOKEN) && auth.ok && auth.via === 'session'} />
    </main>
  );
}
