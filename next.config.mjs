/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets parallel local builds (one per engineer) stay out of each other's way; default `.next`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Native / Node-only packages stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', 'pino', 'ws', '@polymarket/clob-client-v2', 'prom-client'],
  poweredByHeader: false,
  reactStrictMode: true,
  // The build typechecks (npm test runs tsc as well); NEXT_IGNORE_TYPE_ERRORS=1 only for local parallel builds.
  typescript: { ignoreBuildErrors: process.env.NEXT_IGNORE_TYPE_ERRORS === '1' },
  devIndicators: false,
};

export default nextConfig;
