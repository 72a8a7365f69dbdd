// `npm test`: the whole suite, in order, stopping at the first failure.
//   1. Chromium: CHROMIUM_PATH, a system Chromium, or Playwright's; if none, obtain one (Debian/Ubuntu
//      as root: apt-get install -y chromium; elsewhere Playwright's installer when online), and only
//      then print instructions   2. format check (Prettier), lint (incl. folder
//   import rules and React hooks) and dead code (knip)   3. typecheck
//   4. vitest unit (includes the dangling-document-reference check, scripts/doc-references.test.ts)   5. vitest db on PGlite   6. vitest db on PostgreSQL (when DATABASE_URL is set)
//   7. next build   8. Playwright e2e in real Chromium (on PGlite, or on DATABASE_URL's server)
// Ends with one line "N passed, N failed" summing every runner.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { findChromium, obtainChromium } from "./chromium.mjs";

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "nta-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];
const pgUrl = process.env.DATABASE_URL || "";

function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", ...env },
  });
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) finish(`${name} failed (exit ${r.status ?? r.signal})`);
}

function countVitest(file) {
  if (!fs.existsSync(file)) return;
  const j = JSON.parse(fs.readFileSync(file, "utf8"));
  totals.passed += j.numPassedTests;
  totals.failed += j.numFailedTests;
  totals.skipped += j.numPendingTests + (j.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const s = JSON.parse(fs.readFileSync(file, "utf8")).stats;
  totals.passed += s.expected + (s.flaky ?? 0);
  totals.failed += s.unexpected;
  totals.skipped += s.skipped;
}

function finish(failure) {
  for (const f of fs.readdirSync(reports)) {
    if (f.startsWith("vitest")) countVitest(path.join(reports, f));
    if (f.startsWith("playwright")) countPlaywright(path.join(reports, f));
  }
  console.log(`\nTimings: ${timings.join(" · ")}`);
  if (failure) {
    console.error(`\nFAILED: ${failure}`);
    if (totals.failed === 0) totals.failed = 1;
  }
  console.log(
    `\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`,
  );
  process.exit(failure ? 1 : 0);
}

const chromium = (await findChromium()) ?? (await obtainChromium());
if (!chromium) {
  console.error(
    `No Chromium could be found or installed. The end-to-end tests drive a real Chromium. Install one with\n` +
      `    apt-get install -y chromium          (Debian/Ubuntu, as root)\n` +
      `or, where the internet is reachable, Playwright's own build:\n` +
      `    npx playwright install chromium\n` +
      `(or set CHROMIUM_PATH to any Chromium binary). Then run npm test again.`,
  );
  process.exit(1);
}
console.log(`Chromium: ${chromium}`);

const vitest = (project, tag, env = {}) =>
  step(
    `vitest ${tag}`,
    "npx",
    [
      "vitest",
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${path.join(reports, `vitest-${tag}.json`)}`,
    ],
    env,
  );

step("format", "npx", ["prettier", "--check", "."]);
step("lint", "npx", ["eslint", "."]);
step("dead code", "npx", ["knip", "--no-config-hints"]);
step("typecheck", "npx", ["tsc", "--noEmit"]);
vitest("unit", "unit");
vitest("db", "db-pglite", { DATABASE_URL: "" });
if (pgUrl) vitest("db", "db-postgres", { DATABASE_URL: pgUrl });
else console.log("\n(DATABASE_URL is not set: database tests ran on PGlite only.)");
step("build", "npm", ["run", "build"]);
step(
  `e2e (${pgUrl ? "PostgreSQL" : "PGlite"})`,
  "npx",
  ["playwright", "test", "--reporter=list,json"],
  {
    PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, "playwright.json"),
    CHROMIUM_PATH: chromium,
  },
);
finish();
