/// <reference types="vitest/globals" />
import {
  computeFig8Bands,
  parseSeeds,
  seedStandardError,
  toFig2FRows,
  toFig8BRows,
  toGateRows,
  toPostSwitchRows,
  type PaperFigureNumbers,
} from "./paper-view";

const numbers = (
  post: number[],
  fig8: number[][],
  align: number,
  gates: number[],
): PaperFigureNumbers => ({
  blocks: post.length + 1,
  lossCurve: { t: [], mean: [] },
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
    const one = (r: Record<string, number | null>) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !/Lo$|Hi$/.test(k)));
    expect(toFig8BRows(s, 1).map(one)).toEqual([
      { step: 1, sw1: 0.4, sw2: 0.2 },
      { step: 2, sw1: 0.3, sw2: 0.1 },
    ]);
    expect(toPostSwitchRows({ a: s }, 1).map(one)).toEqual([
      { switchIndex: 1, a: 0.3 },
      { switchIndex: 2, a: 0.2 },
    ]);
    // one seed: no spread to draw; 5 seeds: ± SD/√(n−1)
    expect(toFig8BRows(s, 1)[0].sw1Lo).toBeNull();
    expect(toFig8BRows(s, 5)[0].sw1Hi).toBeCloseTo(0.4 + 0.4 / 2, 12);
    expect(seedStandardError(0.3, 10)).toBeCloseTo(0.1, 12);
  });

  it("never plots more blocks or switches than the curriculum has (old: 21/22 points for 20 blocks, 30 switches for 30 blocks)", () => {
    const s: PaperFigureNumbers = {
      ...numbers([], [], 1, []),
      blocks: 20,
      // as a summary computed before the fix: the partial 21st tape segment (fake drop) and the
      // 22 scanned blocks' gates
      fig2F: { mean: [...Array(20).fill(0.5), 0.01], band: Array(21).fill(0.01) },
      gatesAtBlockEnds: Array.from({ length: 22 }, () => [1, 0]),
      postSwitchMean: { mean: Array(20).fill(0.1), sd: Array(20).fill(0) },
    };
    expect(toFig2FRows({ flexible: s })).toHaveLength(20);
    expect(toFig2FRows({ flexible: s }).some((r) => (r.flexible ?? 1) < 0.1)).toBe(false);
    expect(toGateRows({ flexible: s })).toHaveLength(20);
    expect(toPostSwitchRows({ flexible: s }, 1)).toHaveLength(19);
  });

  it("validates the seeds input with a message instead of clamping", () => {
    expect(parseSeeds("10")).toEqual({ seeds: 10 });
    expect(parseSeeds(" 3 ")).toEqual({ seeds: 3 });
    for (const bad of ["0", "51", "2.5", "", "-1", "ten"])
      expect(parseSeeds(bad)).toHaveProperty("error");
    expect((parseSeeds("500") as { error: string }).error).toMatch(/1 to 50/);
  });
});
