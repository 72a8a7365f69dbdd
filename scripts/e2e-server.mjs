// Serve the built app for Playwright on a fresh database: a new PGlite folder by default, or, when
// DATABASE_URL names a PostgreSQL server, a new database "<that database>_e2e_<port>" on it
// (dropped first if a previous run left it, and again when the server stops); migrated, with the
// demo study and researcher and the e2e fixtures seeded either way.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

const port = process.argv[2] ?? "3100";
const env = {
  ...process.env,
  E2E_PORT: port,
  NODE_ENV: "production",
  AUTH_TRUST_HOST: "true",
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-not-for-production-0123456789",
};
/** Run one statement on DATABASE_URL's server (through the database that URL names). */
async function onServer(sql) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
let dropDatabase = async () => {};
if (env.DATABASE_URL) {
  const url = new URL(env.DATABASE_URL);
  const name = `${url.pathname.slice(1) || "postgres"}_e2e_${port}`;
  dropDatabase = () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await dropDatabase();
  await onServer(`CREATE DATABASE "${name}"`);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
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
server.on("exit", (code) =>
  dropDatabase()
    .catch((err) => console.error(`e2e server: could not drop its database: ${err.message}`))
    .finally(() => process.exit(code ?? 0)),
);
