/** The console's shared frame: the navigation bar over every page, and the page's <main> column. */
import type { ReactNode } from 'react';
import { NavBar } from '../../components/ui/nav-bar';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <NavBar />
      <main className="mx-auto max-w-[1840px] px-4 py-6">{children}</main>
    </>
  );
}
