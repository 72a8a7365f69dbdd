/// <reference types="vitest/globals" />
import { noExclusions, resolveAnalysisOptions, type AnalysisOptionsInput } from "./analysis";
import {
  computeAnalysisFromCells,
  toRecoveryChartData,
  toTrendChartData,
  toTrialChartData,
  type SwitchCell,
} from "./recovery";
import {
  computeCellAnalysisOfRecords,
  computeSwitchAnalysis,
  mergeCells,
} from "./testing/switch-oracle";
import { createRng } from "./rng";
import { trialRecordSchema, type TrialRecord } from "./trial-record";

const cell = (
  blockIndex: number,
  position: number,
  n: number,
  errors: number,
  extra: Partial<SwitchCell> = {},
): SwitchCell => ({
  blockIndex,
  position,
  task: blockIndex % 2 === 0 ? "parity" : "magnitude",
  n,
  errors,
  rtSumMs: 0,
  nRt: 0,
  lossSum: 0,
  nLoss: 0,
  ...extra,
});

/** A random human-like stream: errors and RTs depend on position after the switch, with noise. */
function randomStream(seed: number, blocks = 6, perBlock = 10, withLoss = false): TrialRecord[] {
  const rng = createRng(seed);
  const out: TrialRecord[] = [];
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < perBlock; i++) {
      const correct = rng.next() > (b > 0 && i < 3 ? 0.4 : 0.1);
      out.push(
        trialRecordSchema.parse({
          phase: "main",
          trialIndex: b * perBlock + i,
          blockIndex: b,
          trialInBlock: i,
          task: b % 2 === 0 ? "parity" : "magnitude",
          stimulus: String((i % 8) + 1),
          correctResponse: "f",
          congruent: i % 2 === 0,
          response: correct ? "f" : "j",
          correct,
          rtMs:
            rng.next() < 0.05
              ? 80 + rng.next() * 60
              : 350 +
                rng.next() * 400 +
                (i === 0 && b > 0 ? 150 : 0) +
                (rng.next() < 0.02 ? 3000 : 0),
          loss: withLoss ? rng.next() : null,
        }),
      );
    }
  }
  return out;
}

describe("computeAnalysisFromCells", () => {
  it("gives known error rates per position and level from hand-made cells", () => {
    // Switches 1 and 2 (blocks 1, 2); position 1 has 2/4 and 1/4 errors, position 2 none.
    const cells = [
      cell(0, 1, 4, 0),
      cell(0, 2, 4, 0),
      cell(1, 1, 4, 2),
      cell(1, 2, 4, 0),
      cell(2, 1, 4, 1),
      cell(2, 2, 4, 0),
    ];
    const options = resolveAnalysisOptions({ positions: 2, switchesPerLevel: 1 });
    const a = computeAnalysisFromCells(cells, options);
    expect(a.recovery.map((p) => [p.level, p.position, p.errorRate])).toEqual([
      [0, 1, 0.5],
      [0, 2, 0],
      [1, 1, 0.25],
      [1, 2, 0],
    ]);
    // switch trials: 3 errors / 8; repeats (position ≥ 2, all blocks): 0 / 12.
    expect(a.switchCost.errorRate).toBe(3 / 8);
    expect(a.trend.perSwitch.map((p) => p.errorRate)).toEqual([2 / 8, 1 / 8]);
    expect(a.trend.errorRateSlope).toBe(-1 / 8);
  });

  it("pools switches into levels and averages RT and loss as sums over counts", () => {
    const cells = [
      cell(1, 1, 2, 0, { rtSumMs: 1000, nRt: 2, lossSum: 1, nLoss: 2 }),
      cell(2, 1, 2, 0, { rtSumMs: 1400, nRt: 2, lossSum: 0.2, nLoss: 2 }),
      cell(2, 9, 10, 0, { rtSumMs: 4000, nRt: 10, lossSum: 0.5, nLoss: 10 }),
    ];
    const a = computeAnalysisFromCells(
      cells,
      resolveAnalysisOptions({ positions: 1, switchesPerLevel: 2 }),
    );
    expect(a.recovery).toHaveLength(1);
    expect(a.recovery[0].switches).toEqual([1, 2]);
    expect(a.recovery[0].meanRtMs).toBe(600);
    expect(a.recovery[0].meanLoss).toBeCloseTo(0.3, 12);
    expect(a.switchCost.rtMs).toBe(600 - 400);
    expect(a.switchCost.loss).toBeCloseTo(0.3 - 0.05, 12);
  });

  it("merges cells by addition", () => {
    const merged = mergeCells([cell(1, 1, 2, 1)], [cell(1, 1, 3, 0), cell(1, 2, 1, 1)]);
    expect(merged.map((c) => [c.blockIndex, c.position, c.n, c.errors])).toEqual([
      [1, 1, 5, 1],
      [1, 2, 1, 1],
    ]);
  });
});

describe("computeCellAnalysisOfRecords", () => {
  const variants: [string, AnalysisOptionsInput][] = [
    ["defaults", {}],
    [
      "J = 8, post-error, pooled levels",
      { positions: 8, switchesPerLevel: 2, exclusions: { dropPostError: true } },
    ],
    [
      "no exclusions, switches into magnitude only",
      { positions: 3, exclusions: noExclusions, intoTask: "magnitude" },
    ],
    [
      "repeat baseline from position 6",
      { positions: 4, repeatFromPosition: 7, exclusions: { dropFirstBlock: true, maxSd: 2 } },
    ],
  ];
  for (const [name, input] of variants) {
    it(`equals computeSwitchAnalysis on random streams (${name})`, () => {
      for (const seed of [1, 2, 3]) {
        const records = randomStream(seed, 7, 12, seed === 3);
        const direct = computeSwitchAnalysis(records, input);
        const viaCells = computeCellAnalysisOfRecords(records, input);
        expect(viaCells.exclusions).toEqual(direct.exclusions);
        expect(viaCells.recovery.length).toBe(direct.recovery.length);
        viaCells.recovery.forEach((p, i) => expectSummaryClose(p, direct.recovery[i]));
        expectSummaryClose(viaCells.switchCost.switchTrials, direct.switchCost.switchTrials);
        expectSummaryClose(viaCells.switchCost.repeatTrials, direct.switchCost.repeatTrials);
        viaCells.trend.perSwitch.forEach((p, i) =>
          expectSummaryClose(p, direct.trend.perSwitch[i]),
        );
        expect(viaCells.trend.perSwitch.length).toBe(direct.trend.perSwitch.length);
        expectClose(viaCells.trend.rtMsSlope, direct.trend.rtMsSlope);
        expectClose(viaCells.switchCost.rtMs, direct.switchCost.rtMs);
      }
    });
  }
});

describe("chart shaping", () => {
  it("turns recovery points into one column per level with error rates in percent", () => {
    const a = computeAnalysisFromCells(
      [cell(1, 1, 4, 2), cell(1, 2, 4, 1), cell(2, 1, 4, 1), cell(2, 2, 4, 0), cell(3, 1, 4, 4)],
      resolveAnalysisOptions({ positions: 2 }),
    );
    const chart = toRecoveryChartData(a.recovery, "errorPct", 2);
    expect(chart.series).toEqual([
      { key: "level0", label: "switch 1" },
      { key: "level1", label: "switch 2" },
    ]);
    expect(chart.rows).toEqual([
      { position: 1, level0: 50, level1: 25 },
      { position: 2, level0: 25, level1: 0 },
    ]);
  });

  it("aligns several streams' practice trends on switch index and leaves gaps as null", () => {
    const opts = resolveAnalysisOptions({ positions: 1 });
    const human = computeAnalysisFromCells([cell(1, 1, 2, 1), cell(2, 1, 2, 0)], opts).trend
      .perSwitch;
    const model = computeAnalysisFromCells([cell(2, 1, 1, 0, { lossSum: 0.4, nLoss: 1 })], opts)
      .trend.perSwitch;
    const chart = toTrendChartData(
      [
        { key: "human", label: "Humans", perSwitch: human },
        { key: "flexible", label: "Flexible", perSwitch: model },
      ],
      "errorPct",
    );
    expect(chart.rows).toEqual([
      { switchIndex: 1, human: 50, flexible: null },
      { switchIndex: 2, human: 0, flexible: 0 },
    ]);
  });

  it("puts human accuracy, RT and model loss and gates on one trial axis with block spans", () => {
    const human = randomStream(5, 3, 4);
    const model = randomStream(6, 3, 4, true).map((r) => ({ ...r, rtMs: null, gates: [0.2, 0.8] }));
    const chart = toTrialChartData(human, [{ preset: "flexible", records: model }], 2);
    expect(chart.rows).toHaveLength(12);
    expect(chart.blocks.map((b) => [b.fromTrial, b.toTrial])).toEqual([
      [1, 4],
      [5, 8],
      [9, 12],
    ]);
    expect(chart.models).toEqual([{ preset: "flexible", gateCount: 2 }]);
    const second = chart.rows[1];
    const expected = (100 * [human[0], human[1]].filter((r) => r.correct).length) / 2;
    expect(second.accuracyPct).toBe(expected);
    // The running window restarts at a block boundary.
    expect(chart.rows[4].accuracyPct).toBe(human[4].correct ? 100 : 0);
    expect(second.flexibleLoss).toBe(model[1].loss);
    expect(second.flexibleGate1).toBe(0.8);
  });
});

function expectClose(a: number | null, b: number | null) {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(a).toBeCloseTo(b, 9);
}

function expectSummaryClose(
  a: {
    n: number;
    nRt: number;
    nLoss: number;
    errorRate: number | null;
    meanRtMs: number | null;
    meanLoss: number | null;
  },
  b: typeof a,
) {
  expect([a.n, a.nRt, a.nLoss]).toEqual([b.n, b.nRt, b.nLoss]);
  expectClose(a.errorRate, b.errorRate);
  expectClose(a.meanRtMs, b.meanRtMs);
  expectClose(a.meanLoss, b.meanLoss);
}
