import { generateCurriculum } from "@/lib/core/curriculum";
import { createRng } from "@/lib/core/rng";
import { defaultStudyConfig } from "@/lib/core/study-config";

import { stimulusPresets } from "../presets";
import { curriculumToStimulusTrials } from "../stimulus-trials";

import { baselineEvidence, interference } from "./baselines";
import { MISFIT_THRESHOLD, compareModels, practiceEstimable } from "./compare";
import { simulateOutputsJs } from "./engine";
import { sampleDdmData } from "./likelihood";
import { fitParticipant } from "./participant";
import { posteriorPredictive } from "./ppc";
import { PROFILE_DROP, profileInterval } from "./profile";
import { coverageOf, intervalCoverage } from "./recovery";

const arch = stimulusPresets.flexible.arch;
const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 4));

describe("baselines", () => {
  it("a perseverating rule-knower is hit on incongruent trials only, less with practice when γ < 0", () => {
    const th = { switchCost: 0.8, recovery: 2, practice: -3, beta: 5, lapse: 0.01 };
    const y = baselineEvidence("rulePractice", th, seq);
    const yc = baselineEvidence("ruleConstant", th, seq);
    seq.trials.forEach((t, i) => {
      if (t.congruent || t.blockIndex === 0) expect(y[i]).toBe(t.target[0]);
      else expect(Math.sign(t.target[0]) * y[i]).toBeLessThanOrEqual(1);
    });
    const firstInc = (early: boolean) => {
      const K = Math.max(...seq.trials.map((t) => t.blockIndex));
      const i = seq.trials.findIndex(
        (t) =>
          !t.congruent && t.trialInBlock === 0 && (early ? t.blockIndex === 1 : t.blockIndex === K),
      );
      return i < 0 ? null : y[i] * seq.trials[i].target[0];
    };
    const [e, l] = [firstInc(true), firstInc(false)];
    if (e !== null && l !== null) expect(l).toBeGreaterThan(e); // less interference late
    expect(interference(th, 1, 10, 1)).toBeGreaterThan(interference(th, 10, 10, 1));
    expect(interference({ ...th, practice: 0 }, 1, 10, 3)).toBeCloseTo(0.8 * Math.exp(-1), 12);
    // the constant model ignores γ
    expect(Array.from(yc)).toEqual(
      Array.from(baselineEvidence("rulePractice", { ...th, practice: 0 }, seq)),
    );
  });
});

describe("profile-likelihood intervals", () => {
  it("recover the exact interval of a quadratic, clip at the box and flag the bound", async () => {
    const sd = 0.3;
    const nll = async (u: number[]) => (0.5 * (u[0] - 1) ** 2) / sd ** 2 + 0.5 * (u[1] - u[0]) ** 2;
    const box = { lo: [-5, -5], hi: [5, 5] };
    const target = { name: "a", coef: [1, 0], toTheta: (q: number) => q };
    const r = await profileInterval(nll, [1, 1], 0, target, box);
    const half = Math.sqrt(2 * PROFILE_DROP) * sd; // 1.96 sd
    expect(r.interval.lo).toBeCloseTo(1 - half, 2);
    expect(r.interval.hi).toBeCloseTo(1 + half, 2);
    expect(r.interval.loAtBound || r.interval.hiAtBound).toBe(false);
    const clipped = await profileInterval(nll, [1, 1], 0, target, { lo: [0.8, -5], hi: [5, 5] });
    expect(clipped.interval.lo).toBe(0.8);
    expect(clipped.interval.loAtBound).toBe(true);
    // a better point than the claimed optimum is reported
    const better = await profileInterval(nll, [0, 0], 1 / (2 * sd * sd), target, box);
    expect(better.better).not.toBeNull();
  });

  it("follow a narrow curved ridge: the other coordinates move with q, the interval stays exact", async () => {
    // profile pl(q) = ½(q/sd)² exactly, but the best other coordinates bend with q inside a valley
    // 0.005 wide — the shape of the NTA surface (τ_w down ⇒ τ_c and λ up). A warm start with a
    // box-sized simplex stays off the valley floor, overstates the drop, and the interval shrinks.
    const sd = 0.5;
    const path = (q: number) => [Math.sin(3 * q), 2 * q * q, q, -q, 0.5 * q * q];
    const nll = async (u: number[]) =>
      (0.5 * u[0] ** 2) / sd ** 2 +
      path(u[0]).reduce((s, p, m) => s + (0.5 * (u[m + 1] - p) ** 2) / 0.005 ** 2, 0);
    const box = { lo: Array(6).fill(-3), hi: Array(6).fill(3) };
    const r = await profileInterval(
      nll,
      [0, ...path(0)],
      0,
      {
        name: "q",
        coef: [1, 0, 0, 0, 0, 0],
        toTheta: (q) => q,
      },
      box,
    );
    const half = Math.sqrt(2 * PROFILE_DROP) * sd;
    expect(r.interval.lo).toBeGreaterThan(-half - 0.05);
    expect(r.interval.lo).toBeLessThan(-half + 0.05);
    expect(r.interval.hi).toBeGreaterThan(half - 0.05);
    expect(r.interval.hi).toBeLessThan(half + 0.05);
  });

  it("start from evaluated points in another basin near q (the warm start cannot reach them)", async () => {
    // two basins in the other coordinate x: near x = 0 (the optimum's) the profile falls fast in
    // q; near x = 2 it is flat up to |q| = 1.5. The archive holds points of the second basin.
    const nll = async ([q, x]: number[]) =>
      Math.min(2 * q * q + 50 * x * x, 1 + 50 * (x - 2) ** 2 + (q / 1.5) ** 8);
    const box = { lo: [-3, -3], hi: [3, 3] };
    const target = { name: "q", coef: [1, 0], toTheta: (q: number) => q };
    const archive = Array.from({ length: 13 }, (_, i) => -3 + i / 2).map((q) => ({
      u: [q, 2],
      f: 1 + (q / 1.5) ** 8,
    }));
    const alone = await profileInterval(nll, [0, 0], 0, target, box);
    const withArchive = await profileInterval(nll, [0, 0], 0, target, box, { archive });
    // alone: the x = 0 basin drops by 1.92 at |q| ≈ 0.98; with the archive the second basin
    // (drop 1 + (q/1.5)⁸ ≤ 1.92 up to |q| ≈ 1.48) extends the interval
    expect(alone.interval.hi).toBeLessThan(1.05);
    expect(withArchive.interval.hi).toBeGreaterThan(1.4);
    expect(withArchive.interval.lo).toBeLessThan(-1.4);
  });
});

describe("practice effect", () => {
  it("is a number with an interval only when the estimate is inside the box and the data bound a side", () => {
    const pe = (estimate: number, lo: number, hi: number) => ({
      estimate,
      lo,
      hi,
      loAtBound: lo <= -8,
      hiAtBound: hi >= 8,
    });
    expect(practiceEstimable(pe(-1.6, -4.1, 0.2))).toBe(true); // interior, includes 0
    expect(practiceEstimable(pe(-6.2, -8, -1.7))).toBe(true); // one-sided: falls, bounded above
    expect(practiceEstimable(pe(-8, -8, -2.1))).toBe(false); // estimate on the edge: |γ| → ∞
    expect(practiceEstimable(pe(8, 2.9, 8))).toBe(false);
    expect(practiceEstimable(pe(0.3, -8, 8))).toBe(false); // no information either way
  });
});

describe("verdict", () => {
  const nta = { flexible: { bic: 100 }, forgetful: { bic: 120 } };
  it("is strong only when an NTA variant describes the data about as well as the best baseline", () => {
    expect(compareModels({ ...nta, ruleConstant: { bic: 105 } }).strength).toBe("strong");
    const misfit = compareModels({ ...nta, ruleConstant: { bic: 100 - MISFIT_THRESHOLD - 1 } });
    expect(misfit).toMatchObject({ misfit: true, verdict: "misfit", strength: "weak" });
    expect(misfit.rawStrength).toBe("strong");
    const chance = compareModels({ ...nta, chance: { bic: 90 } });
    expect(chance).toMatchObject({ atChance: true, verdict: "at chance", strength: "weak" });
    expect(compareModels(nta, { flag: true, reason: "at chance" }).strength).toBe("weak");
  });

  // Non-NTA people: a human-like rule-knower (errors only on incongruent trials right after a
  // switch, the same at every switch) and a random responder. Short fits (no profiles) suffice.
  const fitOf = (y: Float64Array, th: Record<string, number>, seed: number) =>
    fitParticipant(arch, seq, sampleDdmData(y, th, 2, createRng(seed).next), {
      seed: 5,
      link: "ddm",
      designSize: 96,
      starts: 3,
      initSeeds: 4,
      profile: false,
    });

  it("does not call a human-like constant-switch-cost rule-knower 'flexible (strong)'", async () => {
    const th = { switchCost: 0.9, recovery: 1, beta: 4, lapse: 0.02, bound: 1.2, ndt: 0.35 };
    const fit = await fitOf(baselineEvidence("ruleConstant", th, seq), th, 7);
    expect(fit.ppc.observed.accuracy).toBeGreaterThan(0.9);
    expect(fit.comparison.bestBaseline).not.toBeNull();
    expect(fit.comparison.best === "ruleConstant" || fit.comparison.best === "rulePractice").toBe(
      true,
    );
    expect(fit.comparison.strength === "strong" && !fit.comparison.misfit).toBe(false);
  });

  it("flags a random responder at chance and never gives it a strong verdict", async () => {
    const th = { bias: 0, beta: 1, lapse: 0.01, bound: 1, ndt: 0.3 };
    const fit = await fitOf(baselineEvidence("chance", th, seq), th, 8);
    expect(fit.comparison.atChance).toBe(true);
    expect(fit.comparison.verdict).toBe("at chance");
    expect(fit.comparison.strength).toBe("weak");
  });

  it("NTA models with prior knowledge reach human accuracy (flexible and forgetful)", () => {
    const acc = (y: Float64Array) =>
      seq.trials.filter((t, i) => y[i] * t.target[0] > 0).length / seq.trials.length;
    const base = { lambdaNonneg: 0, lambdaL1: 0, lambdaL2: 0, lambdaW: 0 };
    const forgetful = { ...base, tauW: 0.1, tauC: 0.1 };
    const flexible = {
      tauW: 0.3,
      tauC: 0.02,
      lambdaNonneg: 0.05,
      lambdaL1: 0.1,
      lambdaL2: 0,
      lambdaW: 0,
    };
    expect(acc(simulateOutputsJs(arch, { ...forgetful, prior: 0.95 }, seq, 3))).toBeGreaterThan(
      0.93,
    );
    expect(acc(simulateOutputsJs(arch, { ...flexible, prior: 0.3 }, seq, 3))).toBeGreaterThan(0.93);
    // without prior knowledge the forgetful model stays far below (the ceiling)
    expect(acc(simulateOutputsJs(arch, forgetful, seq, 3))).toBeLessThan(0.8);
  });
});

describe("posterior predictive check and coverage", () => {
  it("predicts a baseline's accuracy exactly and counts interval coverage per method", () => {
    const th = { switchCost: 0.9, recovery: 1, beta: 30, lapse: 0.002 };
    const y = baselineEvidence("ruleConstant", th, seq);
    // the participant answers exactly as the evidence says
    const choices = Int8Array.from(y, (v) => (v > 0 ? 1 : -1));
    const ppc = posteriorPredictive(
      seq,
      { choices },
      "choice",
      { ruleConstant: { theta: th, outputs: [y] } },
      1,
    );
    expect(ppc.predicted.ruleConstant!.accuracy).toBeCloseTo(ppc.observed.accuracy, 1);
    expect(ppc.observed.rtQuantiles).toBeNull();
    expect(ppc.curves.filter((p) => p.position === 1).every((p) => p.observed! > 0)).toBe(true);
    const fit = {
      uncertainty: {
        ci95: { tauRatio: [0.05, 0.2] as [number, number], beta: [4, 6] as [number, number] },
      },
    };
    const covered = coverageOf(fit as never, { tauW: 0.2, tauC: 0.02, beta: 7 });
    expect(covered).toEqual({ tauRatio: true, beta: false });
    const c = intervalCoverage([
      { covered, intervalMethod: { tauRatio: "profile", beta: "hessian" } },
      { covered: { tauRatio: true }, intervalMethod: { tauRatio: "profile" } },
    ]);
    expect(c.overall).toBeCloseTo(2 / 3, 12);
    expect(c.profiled).toEqual({ overall: 1, n: 2 });
  });
});
