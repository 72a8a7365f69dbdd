// Benchmark: `npm run bench:dashboard [-- --runs 200 --blocks 20 --per-block 24]` seeds a synthetic
// study (runs × blocks·perBlock human trials + a model stream per preset per run) into a fresh
// in-memory PGlite, and into a fresh database on the PostgreSQL server when DATABASE_URL is set,
// then times the study dashboard's SQL (lib/server/dashboard.ts). Target: < 2 s per dashboard.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { resolveAnalysisOptions } from "../lib/core/analysis";
import {
  fetchDashboard,
  fetchHumanCells,
  fetchHumanExclusionReport,
  fetchModelCells,
} from "../lib/server/dashboard";
import { installPrismaForTests } from "../lib/server/db";
import { PrismaClient } from "../lib/server/generated/prisma/client";
import { applyMigrations } from "../lib/server/migrate";
import { seedSyntheticStudy } from "../lib/server/testing/dashboard-fixtures";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    blocks: { type: "string", default: "20" },
    "per-block": { type: "string", default: "24" },
    repeats: { type: "string", default: "5" },
  },
});
const runs = Number(values.runs),
  blocks = Number(values.blocks),
  perBlock = Number(values["per-block"]),
  repeats = Number(values.repeats);
const TARGET_MS = 2000;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

async function bench(label: string, client: PrismaClient) {
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
      chunk: 10_000,
    }),
  );
  const humanTrials = runs * blocks * perBlock;
  console.log(
    `\n[${label}] seeded ${runs} runs × ${blocks * perBlock} trials = ${humanTrials} human + ${2 * humanTrials} model trials in ${(seedMs / 1000).toFixed(1)} s`,
  );
  await client.$executeRawUnsafe("ANALYZE");
  const options = resolveAnalysisOptions({ positions: 8, exclusions: { dropPostError: true } });
  const filter = { studyId: study.studyId };
  const parts: [string, () => Promise<unknown>][] = [
    ["human cells (exclusions: RT<150, post-error, 3 SD)", () => fetchHumanCells(filter, options)],
    ["human exclusion report", () => fetchHumanExclusionReport(filter, options)],
    ["model cells, both presets", () => fetchModelCells(filter, options)],
    [
      "whole dashboard (the 4 queries in parallel + lib/core)",
      () => fetchDashboard(filter, { exclusions: { dropPostError: true } }),
    ],
    [
      "one participant's dashboard",
      () => fetchDashboard({ ...filter, runId: study.runs[0].runId }),
    ],
  ];
  let worst = 0;
  for (const [name, fn] of parts) {
    await fn(); // warm-up (plan cache, buffers)
    const ms: number[] = [];
    for (let i = 0; i < repeats; i++) ms.push((await time(fn))[1]);
    ms.sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)];
    if (name.startsWith("whole")) worst = median;
    console.log(
      `  ${name.padEnd(56)} median ${median.toFixed(0).padStart(6)} ms  (min ${ms[0].toFixed(0)}, max ${ms[ms.length - 1].toFixed(0)}, n=${repeats})`,
    );
  }
  console.log(
    `  target < ${TARGET_MS} ms for the whole dashboard: ${worst < TARGET_MS ? "ok" : "SLOW"}`,
  );
  return worst;
}

const results: Record<string, number> = {};
{
  const pglite = new PGlite();
  await pglite.waitReady;
  await applyMigrations({ kind: "pglite", client: pglite });
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  results.pglite = await bench("PGlite (in-memory, WASM)", client);
  await client.$disconnect();
  await pglite.close();
}
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  const name = `nta_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await applyMigrations({ kind: "postgres", url: url.toString() });
    const client = new PrismaClient({
      adapter: new PrismaPg({ connectionString: url.toString(), max: 10 }),
    });
    results.postgres = await bench("PostgreSQL server", client);
    await client.$disconnect();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
} else {
  console.log("\n(DATABASE_URL not set: PostgreSQL server skipped)");
}
const slow = Object.values(results).some((ms) => ms >= TARGET_MS);
process.exit(slow ? 1 : 0);
