import { generateCurriculum } from "@/lib/core/curriculum";
import { createRng } from "@/lib/core/rng";
import { defaultStudyConfig } from "@/lib/core/study-config";

import { stimulusPresets } from "../presets";
import { curriculumToStimulusTrials } from "../stimulus-trials";

import { compareFits, compareStudy } from "./compare";
import { fitRecoveryCurves } from "./curves";
import { fitModel } from "./fit";
import { trajectoryEngine } from "./participant";
import { runRecovery } from "./recovery";
import { drawTheta, simulateParticipant } from "./simulate";

const arch = stimulusPresets.flexible.arch;
const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 2));

describe("fit recovery (small sanity check)", () => {
  it("recovers the generating model and β for clearly flexible and clearly forgetful participants", async () => {
    const { participants, summary } = await runRecovery(arch, seq, {
      n: 4,
      seed: 21,
      ranges: {
        flexible: {
          tauW: [0.08, 0.15],
          tauC: [0.01, 0.02],
          lambda: [0.02, 0.05],
          prior: [0.3, 0.6],
          beta: [8, 12],
          lapse: [0.01, 0.03],
        },
        forgetful: { tau: [0.08, 0.15], prior: [0.3, 0.6], beta: [8, 12], lapse: [0.01, 0.03] },
      },
      fit: { designSize: 48, starts: 2, initSeeds: 4, models: [], profile: false },
    });
    expect(summary.modelRecoveryRate).toBeGreaterThanOrEqual(0.75);
    expect(summary.confusion.flexible.flexible + summary.confusion.forgetful.forgetful).toBe(
      summary.modelRecoveryRate * 4,
    );
    for (const p of participants) {
      const fitted = p.fits[p.model].theta;
      expect(fitted.beta! / p.theta.beta!).toBeGreaterThan(0.5);
      expect(fitted.beta! / p.theta.beta!).toBeLessThan(2);
    }
    const forgetful = participants.filter((p) => p.model === "forgetful");
    for (const p of forgetful)
      expect(Math.abs(Math.log(p.fits.forgetful.theta.tau! / p.theta.tau!))).toBeLessThan(0.5);
  });
});

describe("paired recovery draws", () => {
  it("draws the same model θ whichever link the participants answer with, the link's own parameters inside their ranges", () => {
    const ranges = {
      tauW: [0.05, 0.5] as [number, number],
      bound: [0.8, 1.6] as [number, number],
      ndt: [0.25, 0.45] as [number, number],
    };
    const keysOnly = drawTheta("flexible", createRng(4), ranges, "choice", createRng(5));
    const withRts = drawTheta("flexible", createRng(4), ranges, "ddm", createRng(5));
    const { bound, ndt, ...model } = withRts;
    expect(model).toEqual(keysOnly);
    expect(Object.keys(keysOnly).sort()).toEqual([
      "beta",
      "lambda",
      "lapse",
      "prior",
      "tauC",
      "tauW",
    ]);
    expect(bound!).toBeGreaterThanOrEqual(0.8);
    expect(bound!).toBeLessThanOrEqual(1.6);
    expect(ndt!).toBeGreaterThanOrEqual(0.25);
    expect(ndt!).toBeLessThanOrEqual(0.45);
    expect(keysOnly.tauW!).toBeGreaterThanOrEqual(0.05);
    expect(keysOnly.tauW!).toBeLessThanOrEqual(0.5);
  });
});

describe("ddm link fit (small sanity check)", () => {
  it("recovers the diffusion parameters and β of a simulated participant from keys and response times", async () => {
    const truth = { tau: 0.1, prior: 0.5, beta: 8, lapse: 0.03, bound: 1.2, ndt: 0.35 };
    const sim = simulateParticipant(arch, seq, "forgetful", truth, 31, 32, { link: "ddm" });
    expect(Array.from(sim.data.rts!).every((r) => r > 0)).toBe(true);
    const fit = await fitModel(
      "forgetful",
      trajectoryEngine("forgetful", arch, seq, 33, 2),
      sim.data,
      {
        seed: 33,
        link: "ddm",
        designSize: 32,
        starts: 2,
      },
    );
    expect(fit.link).toBe("ddm");
    expect(fit.nParams).toBe(6);
    expect(Math.abs(fit.theta.bound! / truth.bound - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.theta.ndt! / truth.ndt - 1)).toBeLessThan(0.1);
    expect(Math.abs(Math.log(fit.theta.beta! / truth.beta))).toBeLessThan(0.4);
    expect(Math.abs(Math.log(fit.theta.tau! / truth.tau))).toBeLessThan(0.4);
    expect(fit.uncertainty.hessianPD).toBe(true);
  });
});

describe("fit comparison", () => {
  it("prefers the lower BIC and sums BIC over participants", () => {
    expect(compareFits({ bic: 100 }, { bic: 110 })).toEqual({
      deltaBic: 10,
      preferred: "flexible",
      strength: "strong",
    });
    expect(compareFits({ bic: 100 }, { bic: 97 }).preferred).toBe("forgetful");
    const f = (bic: number, logLik: number) => ({ bic, logLik, nParams: 5, nTrials: 480 });
    const s = compareStudy([
      { fits: { flexible: f(100, -40), forgetful: f(110, -50) } },
      { fits: { flexible: f(200, -90), forgetful: f(195, -91) } },
      // at chance: listed, not summed
      {
        runId: "r3",
        fits: { flexible: f(700, -340), forgetful: f(690, -340) },
        comparison: { atChance: true, misfit: false, best: "forgetful" },
      },
    ])!;
    expect(s.bic).toEqual({ flexible: 300, forgetful: 305 });
    expect(s.excluded).toEqual([{ runId: "r3", reason: "at chance" }]);
    expect(s.preferredCount).toEqual({ flexible: 1, forgetful: 1 });
    expect(s.preferred).toBe("flexible");
    expect(s.nTrials).toBe(960);
    expect(compareStudy([])).toBeNull();
  });
});

describe("fit recovery curves", () => {
  it("averages observed errors and predicted P(error) by position after a switch", () => {
    const choices = Int8Array.from(
      seq.trials,
      (t) => (t.trialInBlock === 0 ? -t.target[0] : t.target[0]) as 1 | -1,
    );
    const pc = { m: Float64Array.from(seq.trials, (t) => (t.trialInBlock === 0 ? 0.2 : 0.9)) };
    const pts = fitRecoveryCurves(seq, choices, pc, { positions: 3, levels: 2 });
    expect(pts).toHaveLength(6);
    for (const p of pts) {
      expect(p.observed).toBe(p.position === 1 ? 1 : 0);
      expect(p.predicted.m).toBeCloseTo(p.position === 1 ? 0.8 : 0.1, 10);
      expect(p.n).toBeGreaterThan(0);
    }
  });
});
