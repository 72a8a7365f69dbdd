// Security headers for every response. The Content-Security-Policy allows exactly what the app
// needs and no inline script: pages get a fresh nonce per request from proxy.ts (Next.js puts it
// on its own inline bootstrap scripts), everything else — API answers, the build's scripts, the
// model's Web Worker — gets the policy without one. jsPsych's inline styles stay allowed
// ('unsafe-inline' for styles only), TF.js compiles its WebAssembly ('wasm-unsafe-eval'), module
// Web Workers load from our own origin. Nothing is loaded from another origin. `next dev`
// additionally needs 'unsafe-eval' for React's debugging tools.
const isDev = process.env.NODE_ENV !== "production";

/** The policy; `nonce` (pages) lets Next.js's inline scripts carrying it run. */
export function contentSecurityPolicy(nonce) {
  return [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}'` : ""} 'wasm-unsafe-eval'${isDev ? " 'unsafe-eval'" : ""}`,
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
}

/** Headers of every response except the policy, which pages get from proxy.ts. */
export const baseSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  // Run tokens live in /run/<token> URLs: never send the URL to another origin.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

export const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy() },
  ...baseSecurityHeaders,
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
    return [
      { source: "/:path*", headers: baseSecurityHeaders },
      // responses proxy.ts does not answer with a page's nonce policy
      { source: "/api/:path*", headers: securityHeaders.slice(0, 1) },
      { source: "/_next/:path*", headers: securityHeaders.slice(0, 1) },
    ];
  },
};

export default nextConfig;
