import { UnitTable, difference, intervals, ratio, slope } from "./uncertainty";

function table(rates: number[], n = 20) {
  const t = new UnitTable();
  rates.forEach((p, u) => {
    t.add(`p${u}`, "sw", Math.round(p * n), n);
    t.add(`p${u}`, "rep", Math.round((p / 2) * n), n);
  });
  return t;
}

describe("intervals over units", () => {
  it("bootstrap: pooled estimate inside a seeded, reproducible percentile interval", () => {
    const t = table([0.1, 0.2, 0.3, 0.4, 0.5, 0.2, 0.3, 0.25]);
    const stats = { sw: ratio("sw"), cost: difference("sw", "rep") };
    const a = intervals(t, stats, { kind: "bootstrap", seed: 7 });
    const b = intervals(t, stats, { kind: "bootstrap", seed: 7 });
    expect(a).toEqual(b);
    expect(a.sw.estimate).toBeCloseTo(0.28125, 10);
    expect(a.sw.lo!).toBeLessThan(a.sw.estimate!);
    expect(a.sw.hi!).toBeGreaterThan(a.sw.estimate!);
    expect(a.cost.lo!).toBeGreaterThan(0); // every participant has sw > rep
    const c = intervals(t, stats, { kind: "bootstrap", seed: 8 });
    expect(c).not.toEqual(a);
  });

  it("wider spread between participants gives a wider interval", () => {
    const narrow = intervals(
      table([0.3, 0.3, 0.3, 0.3, 0.3, 0.3]),
      { s: ratio("sw") },
      {
        kind: "bootstrap",
      },
    ).s;
    const wide = intervals(
      table([0.05, 0.55, 0.05, 0.55, 0.05, 0.55]),
      { s: ratio("sw") },
      {
        kind: "bootstrap",
      },
    ).s;
    expect(narrow.hi! - narrow.lo!).toBeLessThan(1e-12);
    expect(wide.hi! - wide.lo!).toBeGreaterThan(0.1);
  });

  it("SE over model streams and no interval from a single unit", () => {
    const se = intervals(table([0.1, 0.3]), { s: ratio("sw") }, { kind: "se" }).s;
    expect(se.estimate).toBeCloseTo(0.2, 12);
    expect(se.hi! - se.estimate!).toBeCloseTo(0.1, 12); // sd 0.1414 / √2
    const one = intervals(table([0.3]), { s: ratio("sw") }, { kind: "bootstrap" }).s;
    expect(one).toEqual({ estimate: 0.3, lo: null, hi: null });
  });

  it("slope over switches, skipping keys without data", () => {
    const t = new UnitTable();
    for (const u of ["a", "b", "c"])
      [0.5, 0.4, 0.3].forEach((p, k) => t.add(u, `k${k + 1}`, p * 10, 10));
    const s = intervals(
      t,
      {
        s: slope([
          [1, "k1"],
          [2, "k2"],
          [3, "k3"],
          [4, "k4"],
        ]),
      },
      {
        kind: "bootstrap",
      },
    ).s;
    expect(s.estimate).toBeCloseTo(-0.1, 12);
  });
});
