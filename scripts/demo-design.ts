// `npx tsx scripts/demo-design.ts [-- --participants 6]`: measures, for candidate designs (blocks ×
// trials per block), whether the stimulus-mode model shows the Fig. 8 dissociation on the app's own
// curricula: the flexible model's post-switch error (trials 1–4 after a switch) falls from the
// first to the last quarter of the switches, the forgetful model's does not. Prints one row per
// design; the demo's design (scripts/seed-demo.ts) was chosen from this table (docs/demo.md).
import { parseArgs } from "node:util";

import { generateCurriculum, participantSeedFor } from "../lib/core/curriculum";
import { studyConfigSchema } from "../lib/core/study-config";
import { initBackend } from "../lib/model/backend";
import { stimulusPresets } from "../lib/model/presets";
import { modelSeedFor } from "../lib/model/seeds";
import { runStimulus } from "../lib/model/simulate-stimulus";
import { curriculumToStimulusTrials } from "../lib/model/stimulus-trials";

export const DESIGN_CANDIDATES: [number, number][] = [
  [8, 16],
  [12, 24],
  [20, 24],
  [30, 16],
  [16, 32],
  [24, 24],
  [20, 32],
  [30, 24],
  [16, 48],
];

/** Post-switch error (positions 1…J) per switch k = 1…blocks − 1 of one model stream. */
export function postSwitchError(
  blocks: number,
  perBlock: number,
  correct: ArrayLike<number>,
  J = 4,
): number[] {
  return Array.from({ length: blocks - 1 }, (_, s) => {
    const start = (s + 1) * perBlock;
    let errors = 0;
    for (let j = 0; j < J; j++) errors += correct[start + j] ? 0 : 1;
    return errors / J;
  });
}

const quarterMeans = (xs: number[]) => {
  const q = Math.max(1, Math.floor(xs.length / 4));
  const m = (ys: number[]) => ys.reduce((a, b) => a + b, 0) / ys.length;
  return { early: m(xs.slice(0, q)), late: m(xs.slice(-q)) };
};

async function main() {
  const { values } = parseArgs({
    options: { participants: { type: "string", default: "24" } },
  });
  const n = Number(values.participants);
  await initBackend();
  const f = (x: number) => (100 * x).toFixed(0).padStart(4);
  console.log(
    "design      trials  flexible early→late (%)  forgetful early→late (%)  dissociation (pp)  s",
  );
  for (const [blocks, perBlock] of DESIGN_CANDIDATES) {
    const config = studyConfigSchema.parse({ blocks, trialsPerBlock: perBlock });
    const sums = { flexible: [] as number[][], forgetful: [] as number[][] };
    const t0 = performance.now();
    for (let p = 0; p < n; p++) {
      const seed = participantSeedFor(config.seed, p);
      const sequence = curriculumToStimulusTrials(generateCurriculum(config, seed, p));
      for (const preset of ["flexible", "forgetful"] as const) {
        const r = await runStimulus(
          {
            arch: stimulusPresets[preset].arch,
            params: [stimulusPresets[preset].params],
            sequence,
          },
          { seeds: 1, seed: modelSeedFor(seed, preset) },
        );
        sums[preset].push(postSwitchError(blocks, perBlock, r.correct[0]));
      }
    }
    const mean = (rows: number[][]) =>
      rows[0].map((_, k) => rows.reduce((a, r) => a + r[k], 0) / rows.length);
    const fl = quarterMeans(mean(sums.flexible));
    const fo = quarterMeans(mean(sums.forgetful));
    const dissociation = fl.early - fl.late - (fo.early - fo.late);
    console.log(
      `${`${blocks} × ${perBlock}`.padEnd(10)}  ${String(blocks * perBlock).padStart(6)}  ${f(fl.early)} → ${f(fl.late)}${" ".repeat(12)}  ${f(fo.early)} → ${f(fo.late)}${" ".repeat(13)}  ${(100 * dissociation).toFixed(0).padStart(6)}  ${((performance.now() - t0) / 1000).toFixed(1)}`,
    );
  }
}

if (process.argv[1]?.endsWith("demo-design.ts")) await main();
