// The paper-mode stream samples S = XᵀX/B from its Wishart law (Bartlett) instead of drawing X.
// These tests prove the two are statistically the same for what the model uses: the logged loss
// ½ tr(D S Dᵀ) and the gradient entries G = D S, for a fixed D (means and variances), plus the
// moments of the building blocks.
import { FastRng, sampleGram, sampleGramExplicit, sampleGramFactor } from "./random";

const moments = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return { m, v };
};

it("ziggurat normals and χ² draws have the right moments", () => {
  const r = new FastRng(123);
  const z = Array.from({ length: 200_000 }, () => r.normal());
  const { m, v } = moments(z);
  expect(Math.abs(m)).toBeLessThan(0.01);
  expect(Math.abs(v - 1)).toBeLessThan(0.015);
  const k4 = z.reduce((a, b) => a + b ** 4, 0) / z.length; // E z⁴ = 3
  expect(Math.abs(k4 - 3)).toBeLessThan(0.08);
  const tail = z.filter((x) => Math.abs(x) > 3.442619855899).length / z.length; // beyond the ziggurat base r
  expect(Math.abs(tail - 5.76e-4)).toBeLessThan(2.5e-4);
  for (const nu of [1, 7, 190]) {
    const c = moments(Array.from({ length: 40_000 }, () => r.chiSquare(nu)));
    expect(Math.abs(c.m - nu) / nu).toBeLessThan(0.02);
    expect(Math.abs(c.v - 2 * nu) / (2 * nu)).toBeLessThan(0.05);
  }
});

describe("Wishart (Bartlett) S is statistically identical to S from an explicit batch", () => {
  const d = 20,
    O = 10,
    B = 200,
    N = 3000;
  const r0 = new FastRng(7);
  const D = Float64Array.from({ length: O * d }, () => r0.normal() * 0.2); // fixed W* − W_eff: [O, d]
  const stats = (draw: (out: Float32Array) => void) => {
    const S = new Float32Array(d * d);
    const loss: number[] = [],
      g00: number[] = [],
      g37: number[] = [];
    for (let n = 0; n < N; n++) {
      draw(S);
      let L = 0;
      const G = new Float64Array(O * d); // G = D S
      for (let i = 0; i < O; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += D[i * d + k] * S[k * d + j];
          G[i * d + j] = s;
          L += 0.5 * s * D[i * d + j]; // ½ tr(D S Dᵀ)
        }
      loss.push(L);
      g00.push(G[0]);
      g37.push(G[3 * d + 7]);
    }
    return { loss: moments(loss), g00: moments(g00), g37: moments(g37) };
  };
  const rb = new FastRng(11),
    re = new FastRng(12);
  const bart = stats((S) => sampleGram(rb, d, B, S, 0));
  const expl = stats((S) => sampleGramExplicit(re, d, B, S, 0));
  // theory: E S = I ⇒ E L = ½‖D‖², E G = D; Var tr(D S Dᵀ) = 2 tr((DᵀD)²)/B
  const DtD = new Float64Array(d * d);
  for (let j = 0; j < d; j++)
    for (let k = 0; k < d; k++)
      for (let i = 0; i < O; i++) DtD[j * d + k] += D[i * d + j] * D[i * d + k];
  const EL = 0.5 * D.reduce((a, x) => a + x * x, 0);
  const VL = (0.25 * 2 * DtD.reduce((a, _, jk) => a + DtD[jk] * DtD[jk], 0)) / B;

  it.each([
    ["bartlett", bart],
    ["explicit", expl],
  ] as const)("%s matches theory", (_, s) => {
    expect(Math.abs(s.loss.m - EL)).toBeLessThan(4 * Math.sqrt(VL / N));
    expect(Math.abs(s.loss.v / VL - 1)).toBeLessThan(4 * Math.sqrt(2 / N) * 1.5);
    expect(Math.abs(s.g00.m - D[0])).toBeLessThan(4 * Math.sqrt(s.g00.v / N));
  });

  it("the two streams agree in mean and variance of loss and gradient entries", () => {
    for (const k of ["loss", "g00", "g37"] as const) {
      const a = bart[k],
        b = expl[k];
      const se = Math.sqrt(a.v / N + b.v / N);
      expect(Math.abs(a.m - b.m)).toBeLessThan(4 * se);
      // variance ratio: SE of a log-variance ≈ √(2/N) each, widened for kurtosis
      expect(Math.abs(Math.log(a.v / b.v))).toBeLessThan(4 * Math.sqrt(4 / N) * 1.5);
    }
  });

  it("would detect a wrong law (e.g. χ² with B−1 instead of B−i degrees of freedom)", () => {
    // S built with too few diagonal degrees of freedom has a visibly wrong mean of tr(S)
    const rw = new FastRng(5);
    const tr: number[] = [];
    for (let n = 0; n < 2000; n++) {
      let t = 0;
      for (let i = 0; i < d; i++) t += rw.chiSquare(B - d) / B; // wrong: ignores the off-diagonal normals
      tr.push(t);
    }
    const S = new Float32Array(d * d);
    const trRight = Array.from({ length: 2000 }, () => {
      sampleGram(rw, d, B, S, 0);
      let t = 0;
      for (let i = 0; i < d; i++) t += S[i * d + i];
      return t;
    });
    expect(Math.abs(moments(trRight).m - d)).toBeLessThan(0.05);
    expect(Math.abs(moments(tr).m - d)).toBeGreaterThan(1);
  });
});

it("bartlettFactor (the js engine's bulk draw) gives sampleGramFactor's values and stream position", () => {
  for (const [d, B] of [
    [20, 200],
    [5, 5],
    [7, 30],
  ] as const) {
    const a = new FastRng(31),
      b = new FastRng(31);
    const F = new Float64Array(d * d),
      ref = new Float32Array(2 * d * d),
      L = new Float64Array(d * d);
    for (let n = 0; n < 50; n++) {
      a.bartlettFactor(d, B, F);
      sampleGramFactor(b, d, B, ref, 0, L);
      for (let i = 0; i < d; i++)
        for (let j = 0; j <= i; j++) expect(F[i * d + j]).toBe(ref[i * d + j]);
    }
    expect(a.uniform()).toBe(b.uniform());
  }
  expect(() => new FastRng(1).bartlettFactor(20, 10, new Float64Array(400))).toThrow(/B ≥ d/);
});

describe("FastRng", () => {
  it("is the same mulberry32 stream as lib/core/rng.ts, with pinned ziggurat normals", () => {
    const f = new FastRng(12345);
    expect([f.uniform(), f.uniform(), f.normal(), f.normal()]).toEqual([
      0.9797282677609473, 0.3067522644996643, 1.70418056707277, -2.520590030144741,
    ]);
  });
});
