// Bundle the production server (server/main.ts → dist/server.mjs + dist/chunks/) after `next build`. Our own code
// (server/, app/ route handlers, lib/) is compiled in; packages stay in node_modules, loaded at run
// time exactly as Next.js loads them. `server-only` is the React-server marker our lib/server
// modules import: it throws outside a server bundle, so it resolves to an empty module here.
import { build } from "esbuild";

const serverOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};" }));
  },
};

// next has no "exports" map, so an ES module must name its files: next/server → next/server.js.
const nextSubpaths = {
  name: "next-subpaths",
  setup(b) {
    b.onResolve({ filter: /^next\/[a-z/-]+$/ }, (args) => ({
      path: `${args.path}.js`,
      external: true,
    }));
  },
};

const started = Date.now();
await build({
  entryPoints: ["server/main.ts"],
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  entryNames: "server",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true, // server/main.ts imports the participant routes only after Next.js is prepared
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  plugins: [serverOnly, nextSubpaths],
  sourcemap: true,
  logLevel: "warning",
  // Packages that are CommonJS still need `require` inside an ES module bundle.
  banner: {
    js: "import { createRequire as __ntaCreateRequire } from 'node:module'; const require = __ntaCreateRequire(import.meta.url);",
  },
});
console.log(`[build-server] dist/server.mjs in ${Date.now() - started} ms`);
