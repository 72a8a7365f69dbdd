/// <reference types="vitest/globals" />
import {
  computeFig8Bands,
  toDownsampledRows,
  toFig8BRows,
  toPostSwitchRows,
  type PaperFigureNumbers,
} from "./paper-view";

const numbers = (
  post: number[],
  fig8: number[][],
  align: number,
  gates: number[],
): PaperFigureNumbers => ({
  fig2F: { mean: [], band: [] },
  fig8B: { mean: fig8, sd: fig8 },
  postSwitchMean: { mean: post, sd: post },
  gatesAtBlockEnds: [gates],
  totalAlignment: { mean: align, sd: 0 },
});

describe("paper view", () => {
  it("marks measured values inside and outside the docs/science.md §7 bands", () => {
    const flexible = numbers(
      [0.2, 0.1, 0.08, 0.06, 0.05, 0.05, 0.05],
      [
        [0.3, 0.2],
        [0.2, 0.1],
      ],
      0.99,
      [0.96, 0.06],
    );
    const forgetful = numbers([0.5, 0.5], [[0.3, 0.2]], 0.65, [0.5, 0.5]);
    const bands = computeFig8Bands(flexible, forgetful);
    expect(bands.find((b) => b.claim.startsWith("Flexible: mean loss"))).toMatchObject({
      measured: 0.2,
      within: true,
    });
    expect(bands.find((b) => b.claim.startsWith("Forgetful: first"))).toMatchObject({
      measured: 0.5,
      within: false,
    });
    expect(bands.find((b) => b.claim.startsWith("Flexible: plateau"))?.measured).toBeCloseTo(
      0.05,
      12,
    );
  });

  it("shapes Fig. 8B and per-switch rows", () => {
    const s = numbers(
      [0.3, 0.2],
      [
        [0.4, 0.3],
        [0.2, 0.1],
      ],
      1,
      [1, 0],
    );
    expect(toFig8BRows(s)).toEqual([
      { step: 1, sw1: 0.4, sw2: 0.2 },
      { step: 2, sw1: 0.3, sw2: 0.1 },
    ]);
    expect(toPostSwitchRows({ a: s })).toEqual([
      { switchIndex: 1, a: 0.3 },
      { switchIndex: 2, a: 0.2 },
    ]);
  });

  it("downsamples per-step curves to bin means over seeds", () => {
    const rows = toDownsampledRows(
      {
        loss: [
          [1, 3, 5, 7],
          [3, 5, 7, 9],
        ],
      },
      0.5,
      2,
    );
    expect(rows).toEqual([
      { t: 0.5, loss: 3 },
      { t: 1.5, loss: 7 },
    ]);
  });
});
