import { extentOf, niceStep, niceTicks, sharedDomain, stepDecimals, tickLabel } from "./scale";

describe("chart scales", () => {
  it("picks round steps and ticks whose labels are short", () => {
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(95, 5)).toBe(20);
    expect(niceStep(0.8, 4)).toBe(0.2);
    const { ticks, decimals } = niceTicks(475, 570);
    expect(ticks).toEqual([460, 480, 500, 520, 540, 560, 580]);
    expect(ticks.map(tickLabel(decimals))).toEqual([
      "460",
      "480",
      "500",
      "520",
      "540",
      "560",
      "580",
    ]);
    // Fig. 2A: x in blocks from the bin centres 0.0275…19.97 → whole blocks, no "8.027527527527528"
    const x = niceTicks(0.027527527527528, 19.97247247, 6);
    expect(x.ticks.map(tickLabel(x.decimals)).every((l) => /^\d+$/.test(l))).toBe(true);
    expect(stepDecimals(0.25)).toBe(2);
  });

  it("integer axes never step below 1 and a flat series still gets a range", () => {
    expect(niceTicks(1, 3, 10, true).ticks).toEqual([1, 2, 3]);
    const flat = niceTicks(0.5, 0.5);
    expect(flat.domain[0]).toBeLessThan(0.5);
    expect(flat.domain[1]).toBeGreaterThan(0.5);
  });

  it("side-by-side panels share one domain from 0 (loss 0–0.8 and 0–1.2 become 0–1.25)", () => {
    const a = extentOf(
      [
        { x: 1, y: 0.1 },
        { x: 2, y: 0.8 },
      ],
      ["y"],
    );
    const b = extentOf([{ x: 1, y: 0.3, lo: 0.2, hi: 1.2 }], ["y", "lo", "hi"]);
    expect(sharedDomain([a, b, null], true)).toEqual([0, 1.25]);
    expect(sharedDomain([null])).toBeNull();
    expect(extentOf([{ y: null }], ["y"])).toBeNull();
  });
});
