// Security headers for every response. The Content-Security-Policy allows exactly what the app
// needs: Next's inline bootstrap scripts, jsPsych's inline styles, TF.js's WebAssembly
// ('wasm-unsafe-eval') and module Web Workers from our own origin. Nothing is loaded from
// another origin. `next dev` additionally needs 'unsafe-eval' for React's debugging tools.
const isDev = process.env.NODE_ENV !== "production";

const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${isDev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

export const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  // Run tokens live in /run/<token> URLs: never send the URL to another origin.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  compress: false,
  // Loaded at run time by the server from node_modules, never bundled (native wasm, pg).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pg",
    "@prisma/adapter-pg",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "@prisma/schema-engine-wasm",
    "piscina", // starts its worker threads from its own files (lib/server/job-pool.ts)
  ],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
