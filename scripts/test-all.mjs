// `npm test`: the whole suite in one pass, stopping at the first failing step.
//   1. Chromium: CHROMIUM_PATH, a system Chromium, or Playwright's; if none, obtain one (Debian/Ubuntu
//      as root: apt-get install -y chromium; elsewhere Playwright's installer when online), and only
//      then print instructions
//   2. side by side (single-threaded tools, so two cores finish them in about half the time):
//      format check (Prettier), lint (incl. folder import rules and React hooks), dead code (knip),
//      typecheck
//   3. one Vitest run of every project, files two at a time at least: unit (incl. the
//      dangling-document-reference check, scripts/doc-references.test.ts), db on PGlite and, when
//      DATABASE_URL names a PostgreSQL server, db-postgres on that server (vitest.config.ts)
//   4. next build
//   5. Playwright e2e in real Chromium, two workers: every spec on PGlite; with DATABASE_URL, the
//      researcher-loop spec also on a fresh database on that server (playwright.config.ts)
// Prints each step's wall time and ends with one line "N passed, N failed" summing every runner.
import { spawn, spawnSync } from "node:child_process";
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

/** Several commands at once; each one's output is printed, whole, when it ends. */
async function together(steps) {
  const started = Date.now();
  console.log(`\n=== side by side: ${steps.map((s) => s.name).join(", ")}`);
  const results = await Promise.all(
    steps.map(
      ({ name, cmd, args }) =>
        new Promise((resolve) => {
          const t0 = Date.now();
          const child = spawn(cmd, args, {
            env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
          });
          let out = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (out += d));
          child.on("close", (code, signal) => {
            const seconds = ((Date.now() - t0) / 1000).toFixed(1);
            console.log(`\n=== ${name}: ${cmd} ${args.join(" ")} (${seconds} s)\n${out.trimEnd()}`);
            resolve({ name, seconds, status: code ?? signal });
          });
        }),
    ),
  );
  timings.push(
    `${results.map((r) => `${r.name} ${r.seconds} s`).join(" | ")} (together ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const failed = results.find((r) => r.status !== 0);
  if (failed) finish(`${failed.name} failed (exit ${failed.status})`);
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

await together([
  { name: "format", cmd: "npx", args: ["prettier", "--check", "."] },
  { name: "lint", cmd: "npx", args: ["eslint", "."] },
  { name: "dead code", cmd: "npx", args: ["knip", "--no-config-hints"] },
  { name: "typecheck", cmd: "npx", args: ["tsc", "--noEmit"] },
]);
// vitest.config.ts adds the "db-postgres" project when DATABASE_URL is set.
if (!pgUrl) console.log("\n(DATABASE_URL is not set: database tests run on PGlite only.)");
step(`vitest (unit, db on PGlite${pgUrl ? ", db on PostgreSQL" : ""})`, "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${path.join(reports, "vitest.json")}`,
]);
step("build", "npm", ["run", "build"]);
step(
  `e2e (PGlite${pgUrl ? "; the researcher loop also on PostgreSQL" : ""})`,
  "npx",
  ["playwright", "test", "--reporter=list,json"],
  {
    PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, "playwright.json"),
    CHROMIUM_PATH: chromium,
  },
);
finish();
