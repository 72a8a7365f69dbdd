import {
  type QualityDesign,
  type QualityTrial,
  assessQuality,
  binomialUpperBound,
  binomialUpperTail,
  qualitySummary,
} from "./quality";
import { createRng } from "./rng";
import { defaultStudyConfig } from "./study-config";

const config = defaultStudyConfig();
const design: QualityDesign = { timing: config.timing, feedback: config.feedback, mainTrials: 480 };
const STEP = config.timing.itiMs + config.timing.fixationMs + config.timing.feedbackMs;

/** 480 main trials: correct with probability `pCorrect`, RT ~ 400 + 300·U ms, the design's clock. */
function run(
  pCorrect: number | ((i: number) => number),
  seed = 1,
  over: (t: QualityTrial, i: number) => Partial<QualityTrial> = () => ({}),
): QualityTrial[] {
  const rng = createRng(seed);
  let clock = 10_000;
  return Array.from({ length: 480 }, (_, i) => {
    const p = typeof pCorrect === "number" ? pCorrect : pCorrect(i);
    const correct = rng.next() < p;
    const rtMs = 400 + 300 * rng.next();
    const base: QualityTrial = {
      trialIndex: i,
      correct,
      response: rng.next() < 0.5 === correct ? "j" : "f",
      rtMs,
      timeElapsedMs: 0,
    };
    const t = { ...base, ...over(base, i) };
    clock += STEP + (t.rtMs ?? config.timing.responseWindowMs);
    return { ...t, timeElapsedMs: t.timeElapsedMs === null ? null : clock };
  });
}
const flagged = (ts: QualityTrial[]) => assessQuality(ts, design).flags.map((f) => f.code);

describe("binomial helpers", () => {
  it("upper tail is exact (hand-computed)", () => {
    // P(X ≥ 15 | 20, ½) = (C(20,15)+…+C(20,20)) / 2^20 = 21700 / 1048576
    expect(binomialUpperTail(15, 20, 0.5)).toBeCloseTo(21700 / 1048576, 12);
    expect(binomialUpperTail(0, 20, 0.5)).toBe(1);
    expect(binomialUpperTail(21, 20, 0.5)).toBe(0);
    // P(X ≥ 1 | 3, 0.2) = 1 − 0.8³
    expect(binomialUpperTail(1, 3, 0.2)).toBeCloseTo(1 - 0.8 ** 3, 12);
  });

  it("Clopper–Pearson one-sided upper bound matches closed forms", () => {
    // k = 0: (1 − p)^n = α ⇒ p = 1 − α^(1/n)
    expect(binomialUpperBound(0, 10)).toBeCloseTo(1 - 0.05 ** 0.1, 8);
    // k = n − 1: P(X ≥ n | p) = p^n = 1 − α ⇒ p = 0.95^(1/n)
    expect(binomialUpperBound(9, 10)).toBeCloseTo(0.95 ** 0.1, 8);
    expect(binomialUpperBound(10, 10)).toBe(1);
  });
});

describe("assessQuality", () => {
  it("does not flag an engaged participant (90 % correct, human times)", () => {
    const r = assessQuality(run(0.9), design);
    expect(r.flagged).toBe(false);
    expect(r.checks.every((c) => c.evaluated)).toBe(true);
    expect(r.accuracy).toBeGreaterThan(0.85);
  });

  it("flags every one of 50 seeded random responders as at chance or near chance", () => {
    for (let seed = 1; seed <= 50; seed++) {
      expect(flagged(run(0.5, seed))).toContain("near-chance");
    }
  });

  it("the chance test's statistic is the exact one-sided p-value and flags p ≥ 0.05", () => {
    const r = assessQuality(run(0.5, 3), design);
    const c = r.checks.find((x) => x.code === "chance")!;
    const k = run(0.5, 3).filter((t) => t.correct).length;
    expect(c.statistic).toBeCloseTo(binomialUpperTail(k, 480, 0.5), 12);
    expect(c.flagged).toBe(c.statistic! >= 0.05);
    expect(c.threshold).toBe(0.05);
    expect(c.reason).toMatch(/binomial/);
  });

  it("flags a participant who stops trying in the second half (per-half test)", () => {
    const codes = flagged(run((i) => (i < 240 ? 0.95 : 0.5), 4));
    expect(codes).toContain("chance-half");
    expect(codes).not.toContain("chance");
    const half = assessQuality(
      run((i) => (i < 240 ? 0.95 : 0.5), 4),
      design,
    ).flags.find((f) => f.code === "chance-half")!;
    expect(half.reason).toMatch(/^Second half/);
  });

  it("flags too many misses and counts misses out of the chance test", () => {
    const ts = run(0.9, 5, (_t, i) =>
      i % 5 === 0 ? { response: null, correct: false, rtMs: null } : {},
    );
    const r = assessQuality(ts, design);
    const m = r.checks.find((c) => c.code === "misses")!;
    expect(m.statistic).toBeCloseTo(0.2, 10);
    expect(m.flagged).toBe(true);
    expect(r.responses).toBe(384);
    expect(r.flags.map((f) => f.code)).toEqual(["misses"]);
  });

  it("flags anticipations (RT < 150 ms) and machine-like constant RTs", () => {
    expect(flagged(run(0.9, 6, (_t, i) => (i % 4 === 0 ? { rtMs: 90 } : {})))).toEqual([
      "fast-rts",
    ]);
    expect(flagged(run(0.9, 7, () => ({ rtMs: 500 })))).toEqual(["flat-rts"]);
  });

  it("flags one key pressed throughout", () => {
    expect(flagged(run(0.5, 8, (t) => ({ response: "f", correct: t.correct })))).toContain(
      "one-key",
    );
  });

  it("flags a clock that runs faster than the design allows, not one with breaks", () => {
    const fast = run(0.9, 9).map((t, i) => ({ ...t, timeElapsedMs: 1000 + i * 600 }));
    expect(flagged(fast)).toEqual(["timing"]);
    const breaks = run(0.9, 9).map((t) => ({
      ...t,
      timeElapsedMs: t.timeElapsedMs! + 60_000 * Math.floor(t.trialIndex / 120),
    }));
    expect(flagged(breaks)).toEqual([]);
    const noClock = run(0.9, 9, () => ({ timeElapsedMs: null }));
    const t = assessQuality(noClock, design).checks.find((c) => c.code === "timing")!;
    expect(t).toMatchObject({ evaluated: false, flagged: false });
  });

  it("judges nothing on too few trials and ignores practice trials", () => {
    const r = assessQuality(run(0.5, 10).slice(0, 10), design);
    expect(r.flagged).toBe(false);
    expect(r.checks.every((c) => !c.evaluated)).toBe(true);
    const withPractice = [
      ...run(0.5, 11)
        .slice(0, 30)
        .map((t) => ({ ...t, phase: "practice" as const })),
      ...run(0.9, 11),
    ];
    expect(assessQuality(withPractice, design).flagged).toBe(false);
  });

  it("summarises the flags in words", () => {
    const r = assessQuality(
      run(0.5, 12, () => ({ rtMs: 500 })),
      design,
    );
    expect(qualitySummary(r)).toMatch(/near chance/);
    expect(qualitySummary(r)).toMatch(/response times too uniform/);
  });
});
