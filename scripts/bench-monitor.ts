// Benchmark: `npm run bench:monitor [-- --runs 2000 --trials 96 --repeats 20]` seeds a study with
// `runs` runs in every state (lib/server/testing/monitor-fixtures.ts, seeded) into a fresh in-memory
// PGlite, and into a fresh database on the PostgreSQL server when DATABASE_URL is set, then times
// the monitor's request (GET /api/studies/<id>/runs through fetchStudyMonitor: the page query,
// counts, the page's tallies, jobs, fits and quality flags) for paged, filtered and sorted queries,
// printing p50/p95 per query. Target: ≤ 300 ms per request on PGlite. Prints the machine's load.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";

import { type MonitorQuery, monitorQuerySchema } from "../lib/core/run-monitor";
import { installPrismaForTests } from "../lib/server/db";
import { PrismaClient } from "../lib/server/generated/prisma/client";

import { onBenchDatabases } from "./bench-databases";
import { fetchStudyMonitor } from "../lib/server/monitor";
import { seedMonitorStudy } from "../lib/server/testing/monitor-fixtures";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "2000" },
    trials: { type: "string", default: "96" },
    repeats: { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    /** "pglite" or "postgres": run one database only. */
    only: { type: "string", default: "" },
  },
});
const runs = Number(values.runs),
  trials = Number(values.trials),
  repeats = Number(values.repeats),
  seed = Number(values.seed);
const TARGET_MS = 300;

const q = (p: Partial<MonitorQuery>): MonitorQuery => ({ ...monitorQuerySchema.parse({}), ...p });
const QUERIES: [string, MonitorQuery][] = [
  ["first page (50, by #)", q({})],
  ["page 20 of 50 (by #)", q({ page: 20 })],
  ["last page, 200 per page", q({ page: Math.ceil(runs / 200), pageSize: 200 })],
  ["status=completed, by duration desc", q({ status: "completed", sort: "duration", dir: "desc" })],
  ["status=abandoned (derived), by finish", q({ status: "abandoned", sort: "finish" })],
  [
    "participants only, by start desc, page 5",
    q({ pilot: "exclude", sort: "start", dir: "desc", page: 5 }),
  ],
  ["search external id 'pid0'", q({ q: "pid0" })],
  ["by status", q({ sort: "status" })],
  ["by accuracy desc (tallies every run)", q({ sort: "accuracy", dir: "desc" })],
  ["completed by accuracy, page 3", q({ status: "completed", sort: "accuracy", page: 3 })],
];

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function bench(label: string, client: PrismaClient) {
  installPrismaForTests(client);
  const owner = await client.user.create({
    data: { email: `bench-${randomBytes(3).toString("hex")}@nta.lab`, passwordHash: "x" },
  });
  const now = new Date();
  const t0 = performance.now();
  const study = await seedMonitorStudy(client, {
    ownerId: owner.id,
    slug: `bench-mon-${randomBytes(3).toString("hex")}`,
    runs,
    trialsPerRun: trials,
    seed,
    now,
    chunk: 10_000,
  });
  const seeded = study.runs.reduce((n, r) => n + r.saved, 0);
  console.log(
    `\n[${label}] seeded ${runs} runs, ${seeded} main trials (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await client.$executeRawUnsafe("ANALYZE");
  let worst = 0;
  for (const [name, query] of QUERIES) {
    // The monitor polls: the first request fills the quality cache, later ones are what a poll costs;
    // the cold first request is printed apart.
    const c0 = performance.now();
    await fetchStudyMonitor(owner.id, study.studyId, query, now);
    const cold = performance.now() - c0;
    const ms: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const s = performance.now();
      await fetchStudyMonitor(owner.id, study.studyId, query, now);
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    const p95 = pct(ms, 95);
    worst = Math.max(worst, p95);
    console.log(
      `  ${name.padEnd(44)} p50 ${pct(ms, 50).toFixed(0).padStart(5)} ms  p95 ${p95.toFixed(0).padStart(5)} ms  (cold ${cold.toFixed(0)} ms, n=${repeats})`,
    );
  }
  console.log(
    `  worst p95 ${worst.toFixed(0)} ms, target ≤ ${TARGET_MS} ms per request: ${worst <= TARGET_MS ? "ok" : "SLOW"}`,
  );
  return worst;
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} (1, 5, 15 min)`,
);
const results: Record<string, number> = await onBenchDatabases(values.only, (label, kind, client) =>
  bench(label, client),
);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} (1, 5, 15 min)`,
);
process.exit(results.pglite !== undefined && results.pglite > TARGET_MS ? 1 : 0);
