import { describe, expect, it } from "vitest";

import { createRng } from "@/lib/core/rng";

import { GROUP_MIN_MEMBERS, SD_FLOOR, empiricalBayes, mStep } from "./hierarchical";

// A population of participants whose likelihoods are Gaussian in u: parameter 0 is sharply
// identified (sd 0.1), parameter 1 barely (sd 2, like τ_c/τ_w on one participant's ridge).
// Truths u_i ~ N((0.5, −1), (1, 1)); each participant's ML estimate is the truth plus noise of that sd.
function population(n: number, seed: number) {
  const rng = createRng(seed);
  const noise = [0.1, 2];
  return Array.from({ length: n }, () => {
    const truth = [0.5 + rng.normal(), -1 + rng.normal()];
    const ml = truth.map((t, j) => t + noise[j] * rng.normal());
    const nll = (u: number[]) => u.reduce((s, x, j) => s + 0.5 * ((x - ml[j]) / noise[j]) ** 2, 0);
    return { truth, u: ml, nllBatch: async (us: number[][]) => us.map(nll) };
  });
}
const box = { lo: [-10, -10], hi: [10, 10] };
const mse = (a: number[], b: number[]) => a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0) / a.length;

describe("empiricalBayes (EM with a Laplace approximation)", () => {
  it("pulls a weakly identified parameter toward the group and leaves a sharp one alone", async () => {
    const ps = population(40, 3);
    const g = await empiricalBayes(ps, box);
    const ml1 = ps.map((p) => p.u[1]),
      eb1 = g.members.map((m) => m.u[1]),
      truth1 = ps.map((p) => p.truth[1]);
    // the weak parameter: the group prior (sd ≈ 1) dominates a likelihood of sd 2, so the error
    // falls from ≈ 4 (the noise variance) to ≈ 1·4/(1 + 4) = 0.8 in expectation
    expect(mse(eb1, truth1)).toBeLessThan(0.5 * mse(ml1, truth1));
    // the sharp parameter hardly moves (shrinkage factor 0.01/(0.01 + 1) ≈ 1 %)
    for (const [i, p] of ps.entries())
      expect(Math.abs(g.members[i].u[0] - p.u[0])).toBeLessThan(0.05);
    // the population is recovered: mean ≈ (0.5, −1), sd of the sharp parameter ≈ 1
    expect(g.prior.mean[0]).toBeCloseTo(0.5, 0);
    expect(g.prior.sd[0]).toBeGreaterThan(0.6);
    expect(g.prior.sd[0]).toBeLessThan(1.4);
    // the weak parameter's posterior mean is the precision-weighted average of ML and prior mean
    const { mean, sd } = g.prior;
    const w = 1 / sd[1] ** 2 / (1 / sd[1] ** 2 + 1 / 4);
    for (const [i, p] of ps.entries())
      expect(g.members[i].u[1]).toBeCloseTo(w * mean[1] + (1 - w) * p.u[1], 1);
  });

  it("needs a group: fewer than GROUP_MIN_MEMBERS participants is an error", async () => {
    const ps = population(GROUP_MIN_MEMBERS - 1, 4);
    await expect(empiricalBayes(ps, box)).rejects.toThrow(/at least/);
  });

  it("keeps the estimates inside the parameter box", async () => {
    const ps = population(10, 5).map((p) => ({ ...p, u: [p.u[0], 9.99] }));
    const g = await empiricalBayes(ps, { lo: [-10, -1], hi: [10, 9.99] });
    for (const m of g.members) {
      expect(m.u[1]).toBeLessThanOrEqual(9.99);
      expect(m.u[1]).toBeGreaterThanOrEqual(-1);
    }
  });
});

describe("mStep", () => {
  it("adds the posterior variances and floors the sd", () => {
    const p = mStep(
      [
        [0, 1],
        [2, 1],
      ],
      [
        [1, 0],
        [1, 0],
      ],
    );
    expect(p.mean).toEqual([1, 1]);
    expect(p.sd[0]).toBeCloseTo(Math.sqrt(2), 12); // (1 + 1)/2 spread + 1 posterior variance
    expect(p.sd[1]).toBe(SD_FLOOR);
  });
});
