// Summaries of a paper-mode run per parameter set: the figure numbers of docs/science.md §5 averaged over seeds.
import { gatesPerPath } from "./config";
import {
  acrossSeeds,
  blockTape,
  fig8BTape,
  firstCrossingTimes,
  mean,
  onTape,
  postSwitchLoss,
  sd,
  sortPaths,
  stepsToThreshold,
  totalAlignment,
} from "./metrics";
import type { PaperRunResult } from "./simulate-paper";

export type PaperSummary = {
  paramIndex: number;
  /** Blocks fully on the tape (the curriculum's t_tot / block duration: 20 for Fig 2, 30 for Fig 8);
   * the extra scanned blocks past t_tot are never reported. */
  blocks: number;
  /** Fig 2A: per-step loss, mean over seeds, averaged into at most LOSS_CURVE_POINTS bins; x in blocks
   * (bin centre / steps per block). Computed where the model runs, so no per-step array leaves it. */
  lossCurve: { t: number[]; mean: number[] };
  /** Fig 2F: time to L < 0.1 per complete block in τ_w units; mean and band SD/10 (docs/science.md §5.1). */
  fig2F: { mean: number[]; band: number[] };
  /** Clean per-step version: updates until L < 0.1 per complete block (mean, SD). */
  stepsToThreshold: { mean: number[]; sd: number[] };
  /** Fig 8B (docs/science.md §5.2): first 4 switches × j = 1…5, mean and population SD over seeds. */
  fig8B: { mean: number[][]; sd: number[][] };
  /** Mean loss over the first 5 updates after switch k = 1…K, K = complete blocks − 1 (29 switches
   * for Fig 8's 30 blocks), per step; mean and SD over seeds. */
  postSwitchMean: { mean: number[]; sd: number[] };
  /** Sorted gates at the last step of each complete block (mean over seeds): [block][P·G]. */
  gatesAtBlockEnds: number[][];
  /** Total alignment at the last tape entry after sort_it (mean, SD over seeds); null without alignment. */
  totalAlignment: { mean: number; sd: number } | null;
  finalLoss: { mean: number; sd: number };
};

/** Most points of PaperSummary.lossCurve. */
export const LOSS_CURVE_POINTS = 200;

export function summarisePaper(res: PaperRunResult, paramIndex: number): PaperSummary {
  const { schedule: sc, arch } = res;
  const P = arch.paths,
    Ng = gatesPerPath(arch),
    M = sc.teachers.length;
  const tauW = res.params[paramIndex].tauW;
  const els = res.elements
    .map((el, e) => ({ ...el, e }))
    .filter((el) => el.paramIndex === paramIndex);
  const blocksT = blockTape(sc.tapeSteps, sc.stepsPerBlock);
  const T = sc.tapeSteps.length;
  const complete = Math.floor((sc.tapeSteps[T - 1] + 1) / sc.stepsPerBlock); // blocks fully on the tape
  const perSeed = els.map(({ e }) => {
    const lossT = onTape(res.loss[e], sc.tapeSteps);
    let perm = Array.from({ length: P }, (_, p) => p);
    let align: number | null = null;
    if (res.cos) {
      const cosT = new Float64Array(T * P * M);
      sc.tapeSteps.forEach((t, k) =>
        cosT.set(res.cos![e].subarray(t * P * M, (t + 1) * P * M), k * P * M),
      );
      perm = sortPaths(cosT, T, P, M);
      align = totalAlignment(cosT.subarray((T - 1) * P * M), perm, M);
    }
    // Read at the block's own last step: one step later the next block has already moved the gates
    // (they alternate every block, so that reading belongs to the next block).
    const gatesEnd = Array.from({ length: complete }, (_, b) => {
      const t = (b + 1) * sc.stepsPerBlock - 1;
      const g = res.gates[e].subarray(t * P * Ng, (t + 1) * P * Ng);
      return perm.flatMap((p) => Array.from(g.subarray(p * Ng, (p + 1) * Ng)));
    });
    const post = postSwitchLoss(res.loss[e], sc.stepsPerBlock, complete - 1); // switch k starts block k
    return {
      // segments past the last complete block (t_tot cuts the scanned block short) are not blocks
      f2: firstCrossingTimes(lossT, blocksT, sc.dtTape, tauW).slice(0, complete),
      steps: stepsToThreshold(res.loss[e], sc.stepsPerBlock, complete),
      f8: fig8BTape(lossT, blocksT, sc.dtTape),
      post: post.map(mean),
      gatesEnd,
      align,
      finalLoss: res.loss[e][sc.totalSteps - 1],
    };
  });
  const n = perSeed.length;
  const f2 = acrossSeeds(perSeed.map((s) => s.f2));
  const f8rows = perSeed[0].f8.map((_, k) => acrossSeeds(perSeed.map((s) => s.f8[k])));
  const aligns = perSeed.map((s) => s.align).filter((a): a is number => a !== null);
  const steps = complete * sc.stepsPerBlock;
  const bin = Math.max(1, Math.ceil(steps / LOSS_CURVE_POINTS));
  const lossCurve: PaperSummary["lossCurve"] = { t: [], mean: [] };
  for (let start = 0; start < steps; start += bin) {
    const end = Math.min(steps, start + bin);
    let sum = 0;
    for (const { e } of els) for (let t = start; t < end; t++) sum += res.loss[e][t];
    lossCurve.t.push((start + end) / 2 / sc.stepsPerBlock);
    lossCurve.mean.push(sum / ((end - start) * n));
  }
  return {
    paramIndex,
    blocks: complete,
    lossCurve,
    // band = scipy.stats.sem / √n = SD(ddof=1)/n (docs/science.md §5.1: fill_between divides the SEM by √n again)
    fig2F: { mean: f2.mean, band: f2.sd.map((v) => (v * Math.sqrt(n / Math.max(1, n - 1))) / n) },
    stepsToThreshold: acrossSeeds(perSeed.map((s) => s.steps)),
    fig8B: { mean: f8rows.map((r) => r.mean), sd: f8rows.map((r) => r.sd) },
    postSwitchMean: acrossSeeds(perSeed.map((s) => s.post)),
    gatesAtBlockEnds: perSeed[0].gatesEnd.map((_, b) =>
      perSeed[0].gatesEnd[b].map((_, i) => mean(perSeed.map((s) => s.gatesEnd[b][i]))),
    ),
    totalAlignment: aligns.length ? { mean: mean(aligns), sd: sd(aligns) } : null,
    finalLoss: {
      mean: mean(perSeed.map((s) => s.finalLoss)),
      sd: sd(perSeed.map((s) => s.finalLoss)),
    },
  };
}
