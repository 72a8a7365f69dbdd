// npm run bench:predict [-- --participants 10 --model-seeds 4 --only pglite|postgres]
// Times the study prediction end to end — the job as the app runs it: both presets on every
// condition's curricula in the compute pool's worker thread, then the rows stored — for the
// block-length example (two conditions with the same total: 48 blocks of 8 trials vs 8 blocks of
// 48), target ≤ 30 s for 2 conditions × 10 participant seeds. Prints the timings, the load, and
// what the stored predictions say about block length (docs/researcher-guide.md "Predictions").
import os from "node:os";
import { parseArgs } from "node:util";

import { PREDICTION_PRESETS, PREDICTION_SIZE, predictionPlan } from "../lib/core/predictions";
import { studyConfigSchema } from "../lib/core/study-config";
import { installPrismaForTests } from "../lib/server/db";
import type { PrismaClient } from "../lib/server/generated/prisma/client";
import { jobHandlers } from "../lib/server/job-handlers";
import { closeComputePool } from "../lib/server/job-pool";
import { runNextJob } from "../lib/server/job-runner";
import { enqueuePredictions, fetchPredictions } from "../lib/server/predictions";

import { onBenchDatabases } from "./bench-databases";

const { values } = parseArgs({
  options: {
    participants: { type: "string", default: String(PREDICTION_SIZE.participants) },
    "model-seeds": { type: "string", default: String(PREDICTION_SIZE.modelSeeds) },
    only: { type: "string" },
  },
});
const size = {
  participants: Number(values.participants),
  modelSeeds: Number(values["model-seeds"]),
};
const TARGET_MS = 30_000;

/** The block-length example: same 384 trials, blocks of 8 vs blocks of 48. */
const BLOCK_LENGTH_CONFIG = studyConfigSchema.parse({
  blocks: 48,
  trialsPerBlock: 8,
  practice: { trials: 0 },
  conditions: [
    { name: "blocks8", blocks: 48, trialsPerBlock: 8 },
    { name: "blocks48", blocks: 8, trialsPerBlock: 48 },
  ],
});

const pct = (x: number | null) => (x === null ? "   –" : (100 * x).toFixed(1).padStart(5));
const num = (x: number | null, d = 3) => (x === null ? "–" : x.toFixed(d));

async function bench(label: string, client: PrismaClient): Promise<number> {
  installPrismaForTests(client);
  const owner = await client.user.create({ data: { email: "bench@predict", passwordHash: "x" } });
  const study = await client.study.create({
    data: {
      slug: "bench-predict",
      title: "Block length",
      ownerId: owner.id,
      config: BLOCK_LENGTH_CONFIG,
    },
  });
  const trials = predictionPlan(BLOCK_LENGTH_CONFIG, 1).map(
    (c) => c.participants[0].curriculum.trials.length,
  );
  console.log(
    `\n${label}: 2 conditions × ${size.participants} participant seeds × ${size.modelSeeds} model seeds × 2 presets (${trials.join(" and ")} trials per curriculum)`,
  );
  const t0 = performance.now();
  await enqueuePredictions(study, size);
  await runNextJob(jobHandlers);
  const job = await client.job.findFirstOrThrow({ where: { studyId: study.id } });
  const ms = performance.now() - t0;
  if (job.status !== "done") throw new Error(`prediction job ${job.status}: ${job.error}`);
  const t1 = performance.now();
  const predicted = await fetchPredictions(study);
  const readMs = performance.now() - t1;
  console.log(
    `  prediction job (compute + store): ${(ms / 1000).toFixed(1)} s (target ≤ ${TARGET_MS / 1000} s) · read + analyse: ${readMs.toFixed(0)} ms · load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    "  condition  preset     switches  err sw1  err last  err cost  loss cost  loss 1st sw  loss last sw  loss slope/sw",
  );
  for (const c of predicted)
    for (const preset of PREDICTION_PRESETS) {
      const s = c.presets[preset];
      const ks = s.trend.perSwitch;
      console.log(
        `  ${(c.condition ?? "").padEnd(9)}  ${preset.padEnd(9)}  ${String(ks.length).padStart(8)}  ${pct(ks[0]?.errorRate ?? null)}%  ${pct(ks.at(-1)?.errorRate ?? null)}%   ${pct(s.switchCost.errorRate)}pp  ${num(s.switchCost.loss).padStart(9)}  ${num(ks[0]?.meanLoss ?? null).padStart(11)}  ${num(ks.at(-1)?.meanLoss ?? null).padStart(12)}  ${num(s.trend.lossSlope, 5).padStart(13)}`,
      );
    }
  return ms;
}

const results = await onBenchDatabases(values.only, (label, _kind, client) => bench(label, client));
await closeComputePool();
const worst = Math.max(...Object.values(results));
console.log(
  `\nworst: ${(worst / 1000).toFixed(1)} s — ${worst <= TARGET_MS ? "within" : "OVER"} the ${TARGET_MS / 1000} s target`,
);
