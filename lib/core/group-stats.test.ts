import {
  bmsRandomEffects,
  groupMean,
  groupPracticeEffect,
  olsSlope,
  participantPracticeEffect,
  practiceEffectFromSums,
  practiceSums,
  type PracticeSums,
  type SwitchTrial,
} from "./group-stats";
import { createRng } from "./rng";
import { betaInc, digamma, logGamma, studentTCdf, studentTQuantile } from "./stats";

// Reference values: an independent NumPy/SciPy implementation of the same equations
// (scipy.special psi/gammaln/betainc, scipy.stats.t, linregress; Dirichlet sampling 2e6 draws).
describe("special functions", () => {
  it("match SciPy / closed forms", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
    expect(digamma(0.5)).toBeCloseTo(-0.5772156649015329 - 2 * Math.log(2), 12);
    expect(betaInc(0.3, 2.5, 7.25)).toBeCloseTo(0.6604822735819071, 10);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5705818356363146, 8);
    expect(studentTQuantile(0.975, 19)).toBeCloseTo(2.0930240544083087, 8);
    expect(studentTCdf(-1.3, 3.5)).toBeCloseTo(0.1362977079021851, 10);
  });
});

describe("bmsRandomEffects", () => {
  const two = [
    [-100, -103],
    [-98, -99.5],
    [-120, -118],
    [-90, -96],
    [-105, -105.2],
    [-101, -104],
  ];
  it("two models: Dirichlet counts, free energies, BOR and exact exceedance match the reference", () => {
    const r = bmsRandomEffects(two, ["a", "b"]);
    expect(r.alpha[0]).toBeCloseTo(6.0920071, 6);
    expect(r.alpha[1]).toBeCloseTo(1.9079929, 6);
    expect(r.freeEnergy.F1).toBeCloseTo(-615.0452275721763, 6);
    expect(r.freeEnergy.F0).toBeCloseTo(-615.1327525366671, 6);
    expect(r.bor).toBeCloseTo(0.478132716839757, 6);
    expect(r.exceedance[0]).toBeCloseTo(0.9462627815986218, 8);
    expect(r.exceedanceMethod).toBe("exact");
    // pxp = (1 − BOR)·xp + BOR/K
    expect(r.protectedExceedance[0]).toBeCloseTo(0.9462628 * (1 - 0.4781327) + 0.4781327 / 2, 6);
    expect(r.expectedFrequency[0]).toBeCloseTo(6.0920071 / 8, 6);
  });

  it("three models: sampled exceedance (seeded) within Monte Carlo error of the reference", () => {
    const lme = [
      [-10, -12, -11],
      [-10, -10.5, -14],
      [-20, -25, -19],
      [-5, -9, -8],
      [-30, -31, -33],
    ];
    const r = bmsRandomEffects(lme, ["a", "b", "c"], { samples: 200_000, seed: 3 });
    expect(r.alpha.map((a) => +a.toFixed(5))).toEqual([5.40986, 1.14956, 1.44058]);
    expect(r.bor).toBeCloseTo(0.4147479443155882, 6);
    expect(r.exceedance[0]).toBeCloseTo(0.9289115, 2);
    expect(r.exceedance[1]).toBeCloseTo(0.027441, 2);
    expect(r.exceedance[2]).toBeCloseTo(0.0436475, 2);
    expect(r.exceedanceMethod).toBe(200_000);
    // seeded: the same seed gives the same numbers
    expect(
      bmsRandomEffects(lme, ["a", "b", "c"], { samples: 200_000, seed: 3 }).exceedance,
    ).toEqual(r.exceedance);
  });

  it("equal evidences: no model exceeds, BOR high; a unanimous group: BOR ≈ 0, pxp ≈ 1", () => {
    const same = bmsRandomEffects(
      Array.from({ length: 20 }, () => [-50, -50]),
      ["a", "b"],
    );
    expect(same.exceedance[0]).toBeCloseTo(0.5, 10);
    expect(same.bor).toBeGreaterThan(0.5);
    const clear = bmsRandomEffects(
      Array.from({ length: 20 }, () => [-50, -60]),
      ["a", "b"],
    );
    expect(clear.bor).toBeLessThan(1e-4);
    expect(clear.protectedExceedance[0]).toBeGreaterThan(0.999);
  });

  it("rejects malformed input", () => {
    expect(() => bmsRandomEffects([[1, 2]], ["a"])).toThrow(/at least 2 models/);
    expect(() => bmsRandomEffects([[1]], ["a", "b"])).toThrow(/1 evidences/);
    expect(() => bmsRandomEffects([[1, NaN]], ["a", "b"])).toThrow(/non-finite/);
  });
});

describe("practice effect", () => {
  it("olsSlope matches scipy.stats.linregress and its t interval", () => {
    const xs = Array.from({ length: 10 }, (_, i) => i + 1);
    const ys = [0.5, 0.4, 0.45, 0.3, 0.35, 0.2, 0.3, 0.1, 0.15, 0.05];
    const s = olsSlope(xs, ys)!;
    expect(s.slope).toBeCloseTo(-0.046666666666666676, 12);
    expect(s.se).toBeCloseTo(0.006316564722932068, 10);
    expect(s.ci[0]).toBeCloseTo(-0.06123269103803278, 8);
    expect(s.ci[1]).toBeCloseTo(-0.032100642295300574, 8);
    expect(olsSlope([1, 2, 3, 4], [0, 0, 0, 0])).toBeNull();
    expect(olsSlope([1, 2, 3], [0, 1, 0])).toBeNull();
  });

  it("groupMean gives the t interval and a seeded bootstrap around it", () => {
    const g = groupMean([-0.01, -0.02, 0.005, -0.03, -0.015, -0.012], { seed: 2 })!;
    expect(g.mean).toBeCloseTo(-0.013666666666666666, 12);
    expect(g.se).toBeCloseTo(0.004737556801183965, 12);
    expect(g.ci[0]).toBeCloseTo(-0.02584494412508545, 8);
    expect(g.ci[1]).toBeCloseTo(-0.0014883892082478822, 8);
    expect(g.excludesZero).toBe(true);
    expect(g.bootstrapCi[0]).toBeLessThan(g.mean);
    expect(g.bootstrapCi[1]).toBeGreaterThan(g.mean);
    expect(groupMean([1])).toBeNull();
  });

  /** 20 blocks × 24 trials; P(error) at positions < 4 after switch k is cost(k), 0.03 otherwise. */
  function participant(cost: (k: number) => number, seed: number): SwitchTrial[] {
    const rng = createRng(seed);
    const out: SwitchTrial[] = [];
    for (let b = 0; b < 20; b++)
      for (let i = 0; i < 24; i++) {
        const pErr = b >= 1 && i < 4 ? cost(b) : 0.03;
        const post = b >= 1 && i < 4;
        out.push({
          blockIndex: b,
          trialInBlock: i,
          correct: rng.next() >= pErr,
          response: "f",
          rtMs: 600 + (post ? 10 * cost(b) * 1000 : 0) + 100 * rng.normal(),
        });
      }
    return out;
  }

  it("tells a falling switch cost from a constant one at the group level", () => {
    const falling = Array.from({ length: 20 }, (_, i) =>
      participantPracticeEffect(participant((k) => 0.5 * Math.exp(-(k - 1) / 6), 100 + i)),
    );
    const constant = Array.from({ length: 20 }, (_, i) =>
      participantPracticeEffect(participant(() => 0.3, 200 + i)),
    );
    const gf = groupPracticeEffect(falling),
      gc = groupPracticeEffect(constant);
    expect(gf.error!.excludesZero).toBe(true);
    expect(gf.error!.ci[1]).toBeLessThan(0);
    expect(gf.rt!.ci[1]).toBeLessThan(0);
    expect(gc.error!.excludesZero).toBe(false);
    expect(gc.rt!.excludesZero).toBe(false);
    expect(falling[0].errorCost).toHaveLength(19);
  });

  it("needs only a few stored sums per participant, misses left out", () => {
    const trials = participant((k) => 0.4 / k, 9).map((t, i) =>
      i % 17 === 0 ? { ...t, response: null, correct: false, rtMs: null } : t,
    );
    const sums = practiceSums(trials);
    expect(sums.blocks).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    // block 1 window: 4 trials, minus the misses among trial indices 24…27 (none: 17·k ∉ 24…27)
    expect(sums.post[0].n).toBe(4);
    const settledTrials = trials.filter((t) => t.trialInBlock >= 8 && t.response !== null);
    expect(sums.settled.n).toBe(settledTrials.length);
    expect(sums.settled.errors).toBe(settledTrials.filter((t) => !t.correct).length);
    // as JSON (how they are stored) they give exactly the effect the trials give
    expect(practiceEffectFromSums(JSON.parse(JSON.stringify(sums)) as PracticeSums)).toEqual(
      participantPracticeEffect(trials),
    );
  });

  it("says why a slope is not estimable", () => {
    const perfect = participantPracticeEffect(
      participant(() => 0, 7).map((t) => ({ ...t, correct: true })),
    );
    expect(perfect.error).toBeNull();
    expect(perfect.notEstimable).toMatch(/no errors/);
    expect(perfect.rt).not.toBeNull();
  });
});
