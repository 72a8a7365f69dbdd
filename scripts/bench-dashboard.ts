// Benchmark: `npm run bench:dashboard [-- --runs 500 --blocks 20 --per-block 24]` seeds a synthetic
// study (runs × blocks·perBlock human trials + a model stream per preset per run) into a fresh
// in-memory PGlite, and into a fresh database on the PostgreSQL server when DATABASE_URL is set,
// then times the study dashboard page's server work (the study statistics, fetchGroupStats; then
// fetchStudyDashboard: designs, stream inventory, cells, per-participant sums, bootstrap CIs; the
// participant list) plus rendering its charts and tables in
// Chromium (scripts/bench-dashboard-render.ts, a child process without the react-server condition).
// The dashboard reads stored per-run summaries (lib/server/dashboard-summary.ts): the first view
// computes them for every run (timed once, "first view"), later views only read them; the
// from-scratch aggregation over every trial is timed beside it, and where the time goes (checking
// the summaries are current, reading them, the statistics, serialising the view).
// `--skip-trials` leaves out the from-every-trial comparisons (minutes on PGlite at 500 runs).
// Trials are seeded as literal multi-row INSERTs (seedSyntheticStudy's insert: "sql").
// Targets for the whole dashboard (server + client render): ≤ 1.5 s PostgreSQL, ≤ 3 s PGlite.
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { resolveAnalysisOptions } from "../lib/core/analysis";
import { fig8Streams, toFig8View } from "../lib/core/recovery";
import {
  type StudyDashboard,
  DASHBOARD_PRESETS,
  fetchDashboard,
  fetchDashboardRuns,
  fetchHumanCells,
  fetchHumanExclusionReport,
  fetchModelCells,
  fetchStudyDashboard,
} from "../lib/server/dashboard";
import { installPrismaForTests } from "../lib/server/db";
import { fetchGroupStats } from "../lib/server/group-stats";
import { PrismaClient } from "../lib/server/generated/prisma/client";

import { onBenchDatabases } from "./bench-databases";
import {
  ensureSummaries,
  humanAggregateFromSummaries,
  modelAggregateFromSummaries,
} from "../lib/server/dashboard-summary";
import { seedSyntheticStudy } from "../lib/server/testing/dashboard-fixtures";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "500" },
    blocks: { type: "string", default: "20" },
    "per-block": { type: "string", default: "24" },
    repeats: { type: "string", default: "5" },
    /** "pglite" or "postgres": run one database only. */
    only: { type: "string", default: "" },
    /** Leave out the from-every-trial comparisons (minutes on PGlite at 500 runs). */
    "skip-trials": { type: "boolean", default: false },
  },
});
const runs = Number(values.runs),
  blocks = Number(values.blocks),
  perBlock = Number(values["per-block"]),
  repeats = Number(values.repeats);
const TARGET_MS: Record<string, number> = { pglite: 3000, postgres: 1500 };

/** Median ms to render the view's charts and tables to HTML, in a child without react-server. */
function renderMs(d: StudyDashboard): number {
  const dir = mkdtempSync(join(tmpdir(), "nta-bench-"));
  const file = join(dir, "view.json");
  writeFileSync(
    file,
    JSON.stringify({ view: toFig8View(fig8Streams(d)), positions: d.options.positions }),
  );
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/bench-dashboard-render.ts", file, String(repeats)],
    { encoding: "utf8" },
  );
  return Number(JSON.parse(out.trim().split("\n").at(-1)!).medianMs);
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

async function bench(label: string, key: string, client: PrismaClient) {
  installPrismaForTests(client);
  const owner = await client.user.create({
    data: { email: `bench-${randomBytes(3).toString("hex")}@nta.lab`, passwordHash: "x" },
  });
  const [study, seedMs] = await time(() =>
    seedSyntheticStudy(client, {
      ownerId: owner.id,
      slug: `bench-${randomBytes(3).toString("hex")}`,
      runs,
      blocks,
      perBlock,
      seed: 1,
      chunk: 5_000,
      insert: "sql",
    }),
  );
  const humanTrials = runs * blocks * perBlock;
  console.log(
    `\n[${label}] seeded ${runs} runs × ${blocks * perBlock} trials = ${humanTrials} human + ${2 * humanTrials} model trials in ${(seedMs / 1000).toFixed(1)} s`,
  );
  await client.$executeRawUnsafe("ANALYZE");
  const options = resolveAnalysisOptions({ positions: 8, exclusions: { dropPostError: true } });
  const filter = { studyId: study.studyId };
  // What the dashboard page (app/studies/[id]/dashboard/page.tsx) computes on the server.
  const page = async () => {
    const g = await fetchGroupStats(owner.id, study.studyId);
    const d = await fetchStudyDashboard({
      ...filter,
      excludeRunIds: g.excluded.map((e) => e.runId),
    });
    await fetchDashboardRuns(study.studyId);
    return d;
  };
  const [, firstMs] = await time(page);
  console.log(
    `  ${"dashboard page, first view (summarises every run)".padEnd(56)}        ${firstMs.toFixed(0).padStart(6)} ms  (once)`,
  );
  const view = resolveAnalysisOptions({ positions: 8, switchesPerLevel: 5 });
  const modelView = {
    ...view,
    exclusions: { minRtMs: null, maxSd: null, dropPostError: false, dropFirstBlock: false },
  };
  const parts: [string, () => Promise<unknown>][] = [
    [
      "  check summaries are current (ensureSummaries)",
      () => ensureSummaries(filter.studyId, view.exclusions),
    ],
    ["  read + add up human summaries", () => humanAggregateFromSummaries(filter, view, {})],
    [
      "  read + add up model summaries",
      () => modelAggregateFromSummaries(filter, modelView, {}, view.exclusions),
    ],
    [
      "study dashboard from the trials (no summaries)",
      () => fetchStudyDashboard(filter, {}, { from: "trials" }),
    ],
    ["human cells (exclusions: RT<150, post-error, 3 SD)", () => fetchHumanCells(filter, options)],
    ["human exclusion report", () => fetchHumanExclusionReport(filter, options)],
    ["model cells, both presets", () => fetchModelCells(filter, options)],
    [
      "cells + per-unit sums + intervals (fetchDashboard)",
      () => fetchDashboard(filter, { exclusions: { dropPostError: true } }),
    ],
    ["study dashboard, server (fetchStudyDashboard)", () => fetchStudyDashboard(filter)],
    ["group statistics (fetchGroupStats)", () => fetchGroupStats(owner.id, study.studyId)],
    [
      "group statistics from the trials (no summaries)",
      () => fetchGroupStats(owner.id, study.studyId, { from: "trials" }),
    ],
    ["participant list (fetchDashboardRuns)", () => fetchDashboardRuns(study.studyId)],
    ["dashboard page, server (all of the above it needs)", page],
    [
      "one participant's dashboard",
      () => fetchDashboard({ ...filter, runId: study.runs[0].runId }),
    ],
  ];
  /** The parts that scan every trial (left out with --skip-trials). */
  const scans = new Set([
    "study dashboard from the trials (no summaries)",
    "human cells (exclusions: RT<150, post-error, 3 SD)",
    "human exclusion report",
    "model cells, both presets",
    "group statistics from the trials (no summaries)",
  ]);
  let server = 0;
  for (const [name, fn] of parts) {
    if (values["skip-trials"] && scans.has(name)) continue;
    await fn(); // warm-up (plan cache, buffers)
    const ms: number[] = [];
    for (let i = 0; i < repeats; i++) ms.push((await time(fn))[1]);
    ms.sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)];
    if (name.startsWith("dashboard page, server")) server = median;
    console.log(
      `  ${name.padEnd(56)} median ${median.toFixed(0).padStart(6)} ms  (min ${ms[0].toFixed(0)}, max ${ms[ms.length - 1].toFixed(0)}, n=${repeats})`,
    );
  }
  const d = await page();
  const [json, jsonMs] = await time(async () => JSON.stringify(toFig8View(fig8Streams(d))));
  console.log(
    `  ${"view → JSON (what the page sends)".padEnd(56)} median ${jsonMs.toFixed(0).padStart(6)} ms  (${(json.length / 1024).toFixed(0)} KiB; ${DASHBOARD_PRESETS.length} presets)`,
  );
  const render = renderMs(d);
  console.log(
    `  ${"client render: charts + tables in Chromium".padEnd(56)} median ${render.toFixed(0).padStart(6)} ms`,
  );
  const total = server + render;
  const target = TARGET_MS[key];
  console.log(
    `  whole dashboard (server + render) ${total.toFixed(0)} ms, target ≤ ${target} ms: ${total <= target ? "ok" : "SLOW"}`,
  );
  return total;
}

const results: Record<string, number> = await onBenchDatabases(values.only, (label, kind, client) =>
  bench(label, kind, client),
);
const slow = Object.entries(results).some(([k, ms]) => ms > TARGET_MS[k]);
process.exit(slow ? 1 : 0);
