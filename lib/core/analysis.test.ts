/// <reference types="vitest/globals" />
import { leastSquaresSlope, noExclusions, resolveAnalysisOptions } from "./analysis";
import { applyExclusions, computeSwitchAnalysis } from "./testing/switch-oracle";
import { trialRecordSchema, type TrialRecord } from "./trial-record";

type Gen = (t: {
  blockIndex: number;
  trialInBlock: number;
  trialIndex: number;
}) => Partial<TrialRecord>;

/** A synthetic stream of `blocks` × `perBlock` main trials; `gen` sets each trial's outcome. */
function stream(blocks: number, perBlock: number, gen: Gen): TrialRecord[] {
  const out: TrialRecord[] = [];
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < perBlock; i++) {
      const base = { blockIndex: b, trialInBlock: i, trialIndex: b * perBlock + i };
      out.push(
        trialRecordSchema.parse({
          ...base,
          phase: "main",
          task: b % 2 === 0 ? "parity" : "magnitude",
          stimulus: String((i % 4) + 1),
          correctResponse: "f",
          congruent: i % 2 === 0,
          response: "f",
          correct: true,
          rtMs: 500,
          ...gen(base),
        }),
      );
    }
  }
  return out;
}

describe("computeSwitchAnalysis", () => {
  it("gives a switch RT cost of exactly 100 ms when switch trials are 100 ms slower", () => {
    const records = stream(6, 10, ({ blockIndex, trialInBlock, trialIndex }) => ({
      rtMs: 400 + (trialIndex % 3) * 10 + (blockIndex > 0 && trialInBlock === 0 ? 100 : 0),
    }));
    // Switch trials: trialIndex 10,20,…,50 → (trialIndex % 3)·10 = 10,20,0,10,20 → mean 412 + 100.
    const a = computeSwitchAnalysis(records, { exclusions: noExclusions });
    const repeats = records.filter((r) => r.trialInBlock > 0).map((r) => r.rtMs!);
    const switches = records
      .filter((r) => r.blockIndex > 0 && r.trialInBlock === 0)
      .map((r) => r.rtMs!);
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(a.switchCost.rtMs).toBeCloseTo(avg(switches) - avg(repeats), 9);
    expect(a.switchCost.switchTrials.n).toBe(5);
    expect(a.switchCost.repeatTrials.n).toBe(54);
    expect(a.switchCost.errorRate).toBe(0);
    expect(a.switchCost.loss).toBeNull();
  });

  it("gives exactly 100 ms when RTs are otherwise constant, default exclusions included", () => {
    const records = stream(4, 8, ({ blockIndex, trialInBlock }) => ({
      rtMs: blockIndex > 0 && trialInBlock === 0 ? 600 : 500,
    }));
    const a = computeSwitchAnalysis(records);
    expect(a.switchCost.rtMs).toBe(100);
    expect(a.exclusions.counts).toEqual({
      anticipation: 0,
      firstBlock: 0,
      slowOrFastOutlier: 0,
      postError: 0,
    });
    expect(a.exclusions.options.minRtMs).toBe(150);
  });

  it("gives an error cost of 1 when only switch trials are wrong, and excludes error RTs", () => {
    const records = stream(5, 6, ({ blockIndex, trialInBlock }) =>
      blockIndex > 0 && trialInBlock === 0 ? { correct: false, response: "j", rtMs: 900 } : {},
    );
    const a = computeSwitchAnalysis(records, { exclusions: noExclusions });
    expect(a.switchCost.errorRate).toBe(1);
    expect(a.switchCost.switchTrials.meanRtMs).toBeNull();
    expect(a.switchCost.rtMs).toBeNull();
  });

  it("computes model loss and error costs on a model stream (rtMs null)", () => {
    const records = stream(3, 4, ({ blockIndex, trialInBlock }) => {
      const loss = blockIndex > 0 ? [2, 1, 0.5, 0.25][trialInBlock] : 0.25;
      return { rtMs: null, loss, output: 0.1, correct: loss < 1, response: loss < 1 ? "f" : "j" };
    });
    const a = computeSwitchAnalysis(records, { exclusions: noExclusions, positions: 4 });
    // Repeat trials: positions 2–4 of all 3 blocks; block 0 all 0.25 → (0.25·3 + (1+0.5+0.25)·2)/9.
    expect(a.switchCost.loss).toBeCloseTo(2 - (0.75 + 3.5) / 9, 12);
    expect(a.switchCost.errorRate).toBeCloseTo(1 - 2 / 9, 12);
    expect(a.recovery.filter((p) => p.level === 0).map((p) => p.meanLoss)).toEqual([
      2, 1, 0.5, 0.25,
    ]);
    expect(a.recovery.every((p) => p.meanRtMs === null)).toBe(true);
  });

  it("draws one recovery curve per practice level and a negative trend when recovery speeds up", () => {
    // After switch k, the first (5 − k) trials are errors: recovery gets faster with practice.
    const records = stream(5, 8, ({ blockIndex, trialInBlock }) =>
      blockIndex > 0 && trialInBlock < 5 - blockIndex ? { correct: false, response: "j" } : {},
    );
    const a = computeSwitchAnalysis(records, { exclusions: noExclusions, positions: 5 });
    const curve = (level: number) =>
      a.recovery.filter((p) => p.level === level).map((p) => p.errorRate);
    expect(curve(0)).toEqual([1, 1, 1, 1, 0]);
    expect(curve(3)).toEqual([1, 0, 0, 0, 0]);
    expect(a.trend.perSwitch.map((p) => p.errorRate)).toEqual([0.8, 0.6, 0.4, 0.2]);
    expect(a.trend.errorRateSlope).toBeCloseTo(-0.2, 12);

    const grouped = computeSwitchAnalysis(records, {
      exclusions: noExclusions,
      switchesPerLevel: 2,
    });
    expect(grouped.recovery.filter((p) => p.position === 1).map((p) => p.switches)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(grouped.recovery.filter((p) => p.position === 4).map((p) => p.errorRate)).toEqual([
      0.5, 0,
    ]);
  });

  it("restricts to switches into one task", () => {
    const records = stream(5, 4, () => ({}));
    const a = computeSwitchAnalysis(records, { intoTask: "magnitude" });
    expect(a.trend.perSwitch.map((p) => p.switchIndex)).toEqual([1, 3]);
  });

  it("drops anticipations from every measure and reports the count", () => {
    const records = stream(3, 8, ({ trialIndex }) =>
      trialIndex % 5 === 0 ? { rtMs: 90, correct: false, response: "j" } : {},
    );
    const a = computeSwitchAnalysis(records, { exclusions: { maxSd: null } });
    expect(a.exclusions.counts.anticipation).toBe(5);
    expect(a.exclusions.trialsKept).toBe(19);
    expect(a.switchCost.repeatTrials.errorRate).toBe(0);
  });

  it("trims a slow outlier beyond 3 SD from RT means only", () => {
    const records = stream(2, 40, ({ trialIndex }) => ({
      rtMs: trialIndex === 30 ? 5000 : 480 + (trialIndex % 5) * 10,
    }));
    const a = computeSwitchAnalysis(records);
    expect(a.exclusions.counts.slowOrFastOutlier).toBe(1);
    expect(a.switchCost.repeatTrials.n).toBe(78);
    expect(a.switchCost.repeatTrials.nRt).toBe(77);
    expect(a.switchCost.repeatTrials.meanRtMs).toBeLessThan(501);
    const kept = computeSwitchAnalysis(records, { exclusions: { maxSd: null } });
    expect(kept.switchCost.repeatTrials.meanRtMs).toBeGreaterThan(530);
  });

  it("trims at exactly maxSd standard deviations", () => {
    // Repeat RTs alternate 490/510 (SD ≈ 10); one trial at +3.5 SD is cut at 3 SD but kept at 4 SD.
    const records = stream(1, 101, ({ trialIndex }) => ({
      rtMs: trialIndex === 50 ? 536 : trialIndex % 2 ? 490 : 510,
    }));
    const rtsOf = (maxSd: number) =>
      computeSwitchAnalysis(records, { exclusions: { maxSd } }).exclusions.counts.slowOrFastOutlier;
    expect(rtsOf(3)).toBe(1);
    expect(rtsOf(4)).toBe(0);
  });

  it("drops post-error RTs and the first block when asked", () => {
    const records = stream(3, 4, ({ trialIndex }) =>
      trialIndex === 5
        ? { correct: false, response: "j" }
        : { rtMs: trialIndex === 6 ? 1000 : 500 },
    );
    const a = computeSwitchAnalysis(records, {
      exclusions: { dropPostError: true, dropFirstBlock: true, maxSd: null },
    });
    expect(a.exclusions.counts.firstBlock).toBe(4);
    expect(a.exclusions.counts.postError).toBe(1);
    expect(a.switchCost.repeatTrials.meanRtMs).toBe(500);
    expect(a.switchCost.repeatTrials.n).toBe(6);
  });

  it("ignores practice trials and sorts by trial index", () => {
    const main = stream(2, 4, () => ({}));
    const practice = main.map((r) => ({ ...r, phase: "practice" as const, correct: false }));
    const a = computeSwitchAnalysis([...practice, ...main.slice().reverse()]);
    expect(a.exclusions.trialsIn).toBe(8);
    expect(a.switchCost.errorRate).toBe(0);
  });

  it("returns null costs for a stream without switches", () => {
    const a = computeSwitchAnalysis(stream(1, 8, () => ({})));
    expect(a.switchCost.rtMs).toBeNull();
    expect(a.recovery).toEqual([]);
    expect(a.trend.errorRateSlope).toBeNull();
  });

  it("rejects invalid options", () => {
    expect(() => resolveAnalysisOptions({ positions: 0 })).toThrow(/positions/);
    expect(applyExclusions([], resolveAnalysisOptions()).report.trialsIn).toBe(0);
  });
});

describe("leastSquaresSlope", () => {
  it("recovers the slope of a line", () => {
    expect(
      leastSquaresSlope([
        [1, 3],
        [2, 5],
        [4, 9],
      ]),
    ).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([[1, 3]])).toBeNull();
  });
});
