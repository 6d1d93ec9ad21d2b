/**
 * Root layout: html/body, dark colour scheme, the app's metadata (title, manifest, theme colour) and the client
 * providers (TanStack Query, the bot event stream), and the gate that holds queries back until the first page
 * has hydrated (components/live/hydration-gate.tsx). The console's frame (navigation, <main>) lives in
 * app/(console)/layout.tsx; the icon is app/icon.svg (file metadata) with public/favicon.ico for plain requests.
 */
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { HydrationMarker, QueryHydrationGate } from '../components/live/hydration-gate';
import { Providers } from '../components/providers';

export const metadata: Metadata = {
  title: { default: 'Up/Down Console', template: '%s · Up/Down Console' },
  description: 'Operations console for Polymarket crypto Up/Down markets',
  applicationName: 'Up/Down Console',
  manifest: '/manifest.webmanifest',
};

export const viewport: Viewport = {
  themeColor: '#020617',
  colorScheme: 'dark',
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark" style={{ colorScheme: 'dark' }}>
      <body className="min-h-screen">
        <Providers>
          <QueryHydrationGate>
            {children}
            <HydrationMarker />
          </QueryHydrationGate>
        </Providers>
      </body>
    </html>
  );
}
