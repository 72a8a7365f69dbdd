// Playwright e2e in real Chromium (CHROMIUM_PATH, which `npm test` sets to the Chromium it found or
// installed; default Debian's /usr/bin/chromium) against the production build served by
// scripts/e2e-server.mjs on a fresh database.
//
// Project "pglite": every spec, on embedded PGlite (the database `npm run demo` and a fresh clone
// use). With DATABASE_URL set, project "postgres" also runs POSTGRES_SPECS against a second server
// on a fresh database on that PostgreSQL server (port + 1): the whole researcher loop through the
// production server on the production database. Every route handler and query already runs on
// both databases in the database tests (vitest projects "db" and "db-postgres").
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const postgresUrl = process.env.DATABASE_URL ?? "";
const POSTGRES_SPECS = ["study-lifecycle.spec.ts"];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // Two spec files at a time (the tests of one file in order): every spec makes its own studies
  // and participants, so files do not share state; the participant flows answer within a 10 s
  // response window, so a busy machine slows them down without failing them.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "pglite", use: { baseURL: `http://127.0.0.1:${port}` } },
    ...(postgresUrl
      ? [
          {
            name: "postgres",
            testMatch: POSTGRES_SPECS,
            use: { baseURL: `http://127.0.0.1:${port + 1}` },
          },
        ]
      : []),
  ],
  webServer: [
    { port, databaseUrl: "" },
    ...(postgresUrl ? [{ port: port + 1, databaseUrl: postgresUrl }] : []),
  ].map((server) => ({
    command: `node scripts/e2e-server.mjs ${server.port}`,
    env: { DATABASE_URL: server.databaseUrl },
    url: `http://127.0.0.1:${server.port}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    // SIGTERM (not Playwright's default SIGKILL): the server stops cleanly and
    // scripts/e2e-server.mjs then drops its PostgreSQL database.
    gracefulShutdown: { signal: "SIGTERM" as const, timeout: 15_000 },
    stdout: "pipe" as const,
    stderr: "pipe" as const,
  })),
});
