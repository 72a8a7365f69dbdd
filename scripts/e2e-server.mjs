// Serve the built app for Playwright on a fresh database: a new PGlite folder by default, or the
// database in DATABASE_URL (migrated; the demo study and researcher are seeded either way).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const port = process.argv[2] ?? "3100";
const env = {
  ...process.env,
  E2E_PORT: port,
  NODE_ENV: "production",
  AUTH_TRUST_HOST: "true",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-not-for-production-0123456789",
};
if (!env.DATABASE_URL) {
  const dir = path.resolve(".data/e2e-pglite");
  fs.rmSync(dir, { recursive: true, force: true });
  env.PGLITE_DIR = dir;
}
const tsx = (script) =>
  execFileSync(
    "npx",
    ["tsx", "--conditions=react-server", script, ...(script.endsWith("db.ts") ? ["migrate"] : [])],
    { env, stdio: "inherit" },
  );
tsx("scripts/db.ts");
// A smaller simulated study than `npm run demo` seeds (8 participants) keeps the start quick.
execFileSync(
  "npx",
  ["tsx", "--conditions=react-server", "scripts/seed-demo.ts", "--simulated", "8"],
  {
    env,
    stdio: "inherit",
  },
);
tsx("scripts/seed-e2e.ts");
// The production server, as `npm run start` runs it: Next.js's own (`next start`).
const next = path.resolve("node_modules/next/dist/bin/next");
const server = spawn(process.execPath, [next, "start", "-p", port, "-H", "127.0.0.1"], {
  env,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
