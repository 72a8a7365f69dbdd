import type { SlopeEstimate } from "@/lib/core/group-stats";

import type { ZooResult } from "./zoo";
import { summariseGenerator, zooChecks } from "./zoo-summary";

const slope = (s: number, lo: number, hi: number): SlopeEstimate => ({
  slope: s,
  se: 0.1,
  ci: [lo, hi],
  totalChange: s * 18,
  switches: 19,
});

function result(over: Partial<ZooResult> & Pick<ZooResult, "generator" | "index">): ZooResult {
  return {
    seeds: { curriculum: 1, generator: 2, fit: 3 },
    accuracy: 0.95,
    params: {},
    theta: null,
    quality: { flagged: false, codes: [], reasons: [] },
    practice: { error: slope(0, -1, 1), rt: slope(0, -1, 1), notEstimable: null },
    fits: {
      flexible: { bic: 100, logLik: -40, nParams: 7, theta: {}, intervals: {}, atBound: [] },
      forgetful: { bic: 110, logLik: -45, nParams: 5, theta: {}, intervals: {}, atBound: [] },
    },
    verdict: {
      label: "flexible",
      preferred: "flexible",
      strength: "strong",
      deltaBic: 10,
      summary: "flexible (strong)",
      misfit: false,
      atChance: false,
      best: "flexible",
      ntaVsBaseline: null,
      practiceEffect: null,
    },
    covered: null,
    wallMs: 1000,
    ...over,
  };
}

describe("zoo summary", () => {
  it("counts practice claims, verdicts, flags and BIC sums per generator", () => {
    const rs = [
      result({ generator: "constant-cost", index: 0 }),
      result({
        generator: "constant-cost",
        index: 1,
        practice: { error: slope(-1, -2, -0.1), rt: null, notEstimable: "rt" },
        quality: { flagged: true, codes: ["misses"], reasons: ["x"] },
      }),
    ];
    const s = summariseGenerator("constant-cost", rs);
    expect(s.practice.error).toEqual({ falls: 1, includesZero: 1, rises: 0, notEstimable: 0 });
    expect(s.practice.rt).toEqual({ falls: 0, includesZero: 1, rises: 0, notEstimable: 1 });
    expect(s.flagged).toBe(1);
    expect(s.flaggedByCode).toEqual({ misses: 1 });
    expect(s.verdicts).toEqual({ "flexible (strong)": 2 });
    expect(s.strong).toBe(2);
    expect(s.misfit).toBe(0);
    expect(s.best).toEqual({ flexible: 2 });
    expect(s.summedBic).toEqual({ flexible: 200, forgetful: 220 });
    expect(s.bms!.models).toEqual(["flexible", "forgetful"]);
  });

  it("NTA recovery: correlation, verdict rate and interval coverage against the generating θ", () => {
    const rs = [0.02, 0.03, 0.05, 0.08].map((tauC, index) => {
      const theta = { tauW: 0.2, tauC, lambda: 0.05, beta: 5, lapse: 0.05, bound: 1, ndt: 0.3 };
      const fitted = { ...theta, tauC: tauC * 1.1 };
      return result({
        generator: "nta-flexible",
        index,
        theta,
        fits: {
          flexible: {
            bic: 100,
            logLik: -40,
            nParams: 7,
            theta: fitted,
            intervals: {},
            atBound: [],
          },
          forgetful: { bic: 110, logLik: -45, nParams: 5, theta: {}, intervals: {}, atBound: [] },
        },
        // the interval covers the truth for index 0–2 only
        covered: { tauC: index < 3 },
        verdict: {
          ...result({ generator: "x", index: 0 }).verdict,
          label: index === 3 ? "forgetful" : "flexible",
        },
      });
    });
    const s = summariseGenerator("nta-flexible", rs);
    expect(s.recovery!.params.find((p) => p.param === "tauC")!.r).toBeCloseTo(1, 10);
    expect(s.recovery!.verdictRight).toBe(3);
    expect(s.recovery!.coverage).toMatchObject({ covered: 3, total: 4, byParam: { tauC: [3, 4] } });
    const checks = zooChecks([s]);
    expect(checks.find((c) => c.check.includes("coverage"))).toMatchObject({ pass: false });
    expect(checks.find((c) => c.check.includes("verdict"))).toMatchObject({ pass: false });
  });

  it("τ_c/τ_w check: judged on the group-informed estimate of participants at human-level accuracy", () => {
    // ML estimates scrambled (r < 0), group-informed ones ordered like the truth (r ≈ 1); the
    // last two participants are below accuracy 0.9 and have the ordering reversed
    const trueC = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07];
    const mlC = [0.07, 0.01, 0.06, 0.02, 0.05, 0.03, 0.04];
    const rs = trueC.map((tauC, index) => {
      const theta = { tauW: 0.2, tauC, lambda: 0.05, beta: 5, lapse: 0.05, bound: 1, ndt: 0.3 };
      const low = index >= 5;
      return result({
        generator: "nta-flexible-prior",
        index,
        accuracy: low ? 0.8 : 0.95,
        theta,
        fits: {
          ...result({ generator: "x", index: 0 }).fits,
          flexible: {
            ...result({ generator: "x", index: 0 }).fits.flexible,
            theta: { ...theta, tauC: mlC[index] },
          },
        },
        groupInformed: {
          theta: { ...theta, tauC: low ? 0.1 - tauC : tauC * 1.2 },
          quantities: {},
          n: 7,
          iterations: 3,
        },
      });
    });
    const s = summariseGenerator("nta-flexible-prior", rs);
    const ratio = s.recovery!.params.find((p) => p.param === "tauC/tauW")!;
    expect(ratio.highAccuracy!.n).toBe(5);
    expect(ratio.highAccuracy!.rGroup).toBeCloseTo(1, 10);
    expect(ratio.highAccuracy!.r).toBeLessThan(0.5);
    expect(ratio.rGroup!).toBeLessThan(ratio.highAccuracy!.rGroup!);
    const check = zooChecks([s]).find((c) => c.check.includes("τ_c/τ_w"))!;
    expect(check.pass).toBe(true);
    // without group-informed estimates the check is not passed on the ML ones
    const bare = summariseGenerator(
      "nta-flexible-prior",
      rs.map((r) => ({ ...r, groupInformed: null })),
    );
    expect(zooChecks([bare]).find((c) => c.check.includes("τ_c/τ_w"))!.pass).toBeNull();
  });

  it("the group check passes only when the falling group's CI is below 0 and the constant one's includes 0", () => {
    const cohort = (generator: string, s: (i: number) => number) =>
      Array.from({ length: 10 }, (_, index) =>
        result({
          generator,
          index,
          practice: {
            error: slope(s(index), -9, 9),
            rt: slope(s(index), -9, 9),
            notEstimable: null,
          },
        }),
      );
    const falls = summariseGenerator(
      "practice-reduced",
      cohort("practice-reduced", (i) => -1 - 0.1 * i),
    );
    const flat = summariseGenerator(
      "constant-cost",
      cohort("constant-cost", (i) => (i % 2 ? 0.5 : -0.5)),
    );
    const group = zooChecks([falls, flat]).filter((c) => c.check.startsWith("group"));
    expect(group.map((c) => c.pass)).toEqual([true, true]);
    const swapped = zooChecks([
      summariseGenerator(
        "practice-reduced",
        cohort("practice-reduced", (i) => (i % 2 ? 0.5 : -0.5)),
      ),
      flat,
    ]).filter((c) => c.check.startsWith("group"));
    expect(swapped.map((c) => c.pass)).toEqual([false, false]);
  });
});
