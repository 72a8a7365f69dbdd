/// <reference types="vitest/globals" />
import { resolveAnalysisOptions } from "./analysis";
import {
  dashboardConditions,
  parseConditionParam,
  toConditionComparison,
  type ConditionDashboard,
} from "./condition-view";
import { groupPracticeEffect } from "./group-stats";
import { type Fig8Stream, type SwitchCell, computeAnalysisFromCells } from "./recovery";

describe("dashboardConditions", () => {
  it("offers the configured conditions in order, then names only runs carry", () => {
    expect(
      dashboardConditions(["short", "long"], [null, "long", "old", "short", "old", "a"]),
    ).toEqual(["short", "long", "a", "old"]);
    expect(dashboardConditions([], [null, null])).toEqual([]);
  });

  it("reads the condition parameter only when it is offered", () => {
    expect(parseConditionParam("long", ["short", "long"])).toBe("long");
    expect(parseConditionParam("nope", ["short", "long"])).toBeUndefined();
    expect(parseConditionParam(undefined, ["short"])).toBeUndefined();
  });
});

/** A stream whose post-switch error is `err` on every switch of `switches`. */
function stream(key: string, err: number, switches: number, isHuman = key === "human"): Fig8Stream {
  const cells: SwitchCell[] = [];
  for (let b = 0; b <= switches; b++)
    for (let p = 1; p <= 3; p++)
      cells.push({
        blockIndex: b,
        position: p,
        task: b % 2 ? "magnitude" : "parity",
        n: 10,
        errors: p === 1 ? Math.round(err * 10) : 0,
        rtSumMs: isHuman ? 5000 : 0,
        nRt: isHuman ? 10 : 0,
        lossSum: isHuman ? 0 : p === 1 ? err * 10 : 1,
        nLoss: isHuman ? 0 : 10,
      });
  const o = resolveAnalysisOptions({ positions: 2, exclusions: { minRtMs: null, maxSd: null } });
  return {
    key,
    label: key,
    streams: 3,
    analysis: computeAnalysisFromCells(cells, o),
    isHuman,
  };
}

function condition(name: string, err: number, switches: number): ConditionDashboard {
  const none = groupPracticeEffect([]);
  return {
    condition: name,
    streams: [
      stream("human", err, switches),
      stream("flexible", err / 2, switches),
      stream("forgetful", err, switches),
    ],
    practice: { human: none, models: { flexible: none } },
  };
}

describe("toConditionComparison", () => {
  const view = toConditionComparison([condition("short", 0.4, 5), condition("long", 0.2, 2)]);

  it("draws one line per condition for each stream, on the union of their switches", () => {
    expect(view.charts.map((c) => [c.key, c.secondMeasure])).toEqual([
      ["human", "meanRtMs"],
      ["flexible", "meanLoss"],
      ["forgetful", "meanLoss"],
    ]);
    const human = view.charts[0].error;
    expect(human.series.map((s) => [s.key, s.label, s.dashIndex])).toEqual([
      ["c0", "short", 0],
      ["c1", "long", 0],
    ]);
    expect(human.rows.map((r) => r.switchIndex)).toEqual([1, 2, 3, 4, 5]);
    // switch 1: (0.4·10 errors at j = 1 + none at j = 2) / 20 trials
    expect(human.rows[0]).toMatchObject({ c0: 20, c1: 10 });
    expect(human.rows[4]).toMatchObject({ c0: 20, c1: null });
    expect(view.charts[1].error.rows[0]).toMatchObject({ c0: 10, c1: 5 });
  });

  it("gives each condition and stream its cost row and practice effect", () => {
    expect(view.rows.map((r) => [r.condition, r.stream])).toEqual([
      ["short", "human"],
      ["short", "flexible"],
      ["short", "forgetful"],
      ["long", "human"],
      ["long", "flexible"],
      ["long", "forgetful"],
    ]);
    expect(view.rows[0].cost.errorCostPct).toBeCloseTo(40);
    expect(view.rows[3].cost.errorCostPct).toBeCloseTo(20);
    expect(view.rows[0].practice).not.toBeNull();
    expect(view.rows[2].practice).toBeNull(); // no forgetful estimate given
  });
});
