/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // PGlite and pg are loaded at run time by the server, never bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg", "@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "@prisma/schema-engine-wasm"],
};

export default nextConfig;
