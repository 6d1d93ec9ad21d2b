/**
 * 404 for any URL no page matches. It renders under the root layout only (not the console group), so it brings
 * the navigation bar itself; the page list there is the way back.
 */
import Link from 'next/link';
import { NavBar } from '../components/ui/nav-bar';

export const metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <>
      <NavBar />
      <main className="mx-auto max-w-[1840px] px-4 py-6">
        <section data-testid="not-found" className="mx-auto max-w-2xl rounded-xl border border-slate-800 bg-slate-900/60 p-5">
          <h1 className="text-lg font-semibold">Page not found</h1>
          <p className="mt-2 text-sm text-slate-400">No console page lives at this address.</p>
          <Link href="/" className="mt-4 inline-block text-sm text-sky-400 hover:text-sky-300">
            Back to the dashboard
          </Link>
        </section>
      </main>
    </>
  );
}
