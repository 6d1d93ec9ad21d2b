import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { Providers } from '../components/providers';
import { NavBar } from '../components/ui/nav-bar';

export const metadata: Metadata = {
  title: 'Up/Down Console',
  description: 'Operations console for Polymarket crypto Up/Down markets',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <NavBar />
          <main className="mx-auto max-w-[1840px] px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
