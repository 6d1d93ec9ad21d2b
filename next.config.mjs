/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native / Node-only packages stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', 'pino', 'ws', '@polymarket/clob-client-v2', 'prom-client'],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
  devIndicators: false,
};

export default nextConfig;
