import { describe, expect, it } from "vitest";

import { createRng } from "@/lib/core/rng";

import {
  ddmChoiceProb,
  ddmLogDensity,
  ddmLogStandardDensity,
  ddmLogStandardDensitySeries,
  ddmLogSurvival,
  ddmLogSurvivalNormalised,
  ddmMeanDecisionTime,
  sampleDdm,
} from "./ddm";

const density = (c: 1 | -1, t: number, v: number, A: number) => Math.exp(ddmLogDensity(c, t, v, A));
const total = (t: number, v: number, A: number) => density(1, t, v, A) + density(-1, t, v, A);

/** Composite Simpson in s = log t of ∫_{t0}^{t1} g(t) dt = ∫ g(e^s) e^s ds (n even). */
function integrateLogT(g: (t: number) => number, t0: number, t1: number, n = 4000): number {
  const s0 = Math.log(t0),
    h = (Math.log(t1) - s0) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const t = Math.exp(s0 + i * h);
    sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * g(t) * t;
  }
  return (sum * h) / 3;
}
/** Lower end where f(t/A²) < e^(−1000) and upper end where S < e^(−45). */
const tLo = (A: number) => 1.2e-4 * A * A;
const tHi = (v: number, A: number) => 45 / (0.5 * (v * v + (Math.PI * Math.PI) / (A * A))) + A * A;

// Navarro & Fuss (2009) general-w series for the standardised lower-boundary density, summed with
// many terms, independently of the module's w = ½ simplification.
function nfSmall(u: number, w: number, K = 30): number {
  let s = 0;
  for (let k = -K; k <= K; k++) s += (w + 2 * k) * Math.exp(-((w + 2 * k) ** 2) / (2 * u));
  return s / Math.sqrt(2 * Math.PI * u ** 3);
}
function nfLarge(u: number, w: number, K = 200): number {
  let s = 0;
  for (let k = 1; k <= K; k++)
    s += k * Math.exp(-(k * k * Math.PI * Math.PI * u) / 2) * Math.sin(k * Math.PI * w);
  return Math.PI * s;
}
/** Navarro & Fuss lower-boundary density p(t | v, A, w); upper boundary = lower with v → −v, w → 1 − w. */
function nfDensity(choice: 1 | -1, t: number, v: number, A: number, w = 0.5): number {
  const [vv, ww] = choice === -1 ? [v, w] : [-v, 1 - w];
  const u = t / (A * A);
  const f = u < 0.5 ? nfSmall(u, ww) : nfLarge(u, ww);
  return (Math.exp(-vv * A * ww - (vv * vv * t) / 2) * f) / (A * A);
}

const CASES: [number, number][] = [
  [0, 1],
  [1.3, 1],
  [-2.5, 0.7],
  [5, 2],
  [-0.4, 3],
  [12, 1.2],
];

describe("DDM (Wiener first passage) link", () => {
  it("densities integrate to 1 over both boundaries, and the upper one to ddmChoiceProb", () => {
    for (const [v, A] of CASES) {
      const up = integrateLogT((t) => density(1, t, v, A), tLo(A), tHi(v, A));
      const lo = integrateLogT((t) => density(-1, t, v, A), tLo(A), tHi(v, A));
      expect(Math.abs(up + lo - 1)).toBeLessThan(1e-9);
      expect(Math.abs(up - ddmChoiceProb(1, v, A))).toBeLessThan(1e-9);
      expect(Math.abs(lo - ddmChoiceProb(-1, v, A))).toBeLessThan(1e-9);
    }
  });

  it("ddmChoiceProb is σ(c·v·A), stable for huge |vA|", () => {
    expect(ddmChoiceProb(1, 0, 2)).toBe(0.5);
    expect(ddmChoiceProb(1, 1, 2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(ddmChoiceProb(-1, 1, 2) + ddmChoiceProb(1, 1, 2)).toBeCloseTo(1, 15);
    expect(ddmChoiceProb(1, 1000, 2)).toBe(1);
    expect(ddmChoiceProb(-1, 1000, 2)).toBeGreaterThanOrEqual(0);
    expect(ddmChoiceProb(1, -300, 2) / Math.exp(-600)).toBeCloseTo(1, 12);
  });

  it("mean decision time ∫ t·p(t) dt equals ddmMeanDecisionTime, with the v → 0 limit A²/4", () => {
    for (const [v, A] of CASES) {
      const m = integrateLogT((t) => t * total(t, v, A), tLo(A), tHi(v, A));
      expect(Math.abs(m / ddmMeanDecisionTime(v, A) - 1)).toBeLessThan(1e-9);
    }
    expect(ddmMeanDecisionTime(0, 2)).toBe(1);
    expect(ddmMeanDecisionTime(1e-9, 2)).toBeCloseTo(1, 15);
    expect(ddmMeanDecisionTime(-3, 2)).toBe(ddmMeanDecisionTime(3, 2));
    // The Taylor branch (|vA/2| < 0.01) agrees with the closed form just inside its edge.
    for (const v of [0.0099999, -0.005, 0.001]) {
      expect(Math.abs(ddmMeanDecisionTime(v, 2) / (Math.tanh(v) / v) - 1)).toBeLessThan(1e-15);
    }
    expect(ddmMeanDecisionTime(50, 2)).toBeCloseTo(0.02, 15);
  });

  it("survival = 1 − ∫₀ᵗ density, and its log tail = log ∫ₜ^∞ density, in every regime", () => {
    const pts: [number, number, number][] = [
      [0.01, 1, 1],
      [0.03, 0, 1],
      [0.03, 20, 1],
      [0.2, 2, 1],
      [0.5, -1, 0.8],
      [1.5, 0.5, 1.5],
      [0.05, 3, 2],
      [2, 4, 2],
    ];
    for (const [t, v, A] of pts) {
      const F = integrateLogT((s) => total(s, v, A), tLo(A), t);
      expect(Math.abs(Math.exp(ddmLogSurvival(t, v, A)) - (1 - F))).toBeLessThan(1e-10);
    }
    // Tiny survivals, checked in log space: large-time series, images (V·u ≤ 2) and the
    // single-barrier branch (V·u > 2, u < 0.02).
    const tails: [number, number, number][] = [
      [3, 3, 1],
      [6, -1, 1.3],
      [0.3, 20, 1],
      [0.035, 50, 1],
      [0.015, 200, 1],
    ];
    for (const [t, v, A] of tails) {
      const tail = integrateLogT(
        (s) => total(s, v, A),
        t,
        t + 80 / (0.5 * (v * v + (Math.PI * Math.PI) / (A * A))),
      );
      const logS = ddmLogSurvival(t, v, A);
      expect(logS).toBeLessThan(-10);
      expect(Math.abs(logS - Math.log(tail))).toBeLessThan(1e-8);
    }
  });

  it("small-time and large-time series agree in the overlap region", () => {
    for (let u = 0.08; u <= 0.35; u += 0.01) {
      const s = ddmLogStandardDensitySeries(u, "small", 8),
        l = ddmLogStandardDensitySeries(u, "large", 8);
      expect(Math.abs(s - l)).toBeLessThan(1e-13);
      expect(Math.abs(ddmLogStandardDensity(u) - l)).toBeLessThan(1e-13);
    }
    // At the switch u* = 1/(2π) the 4-term forms already agree to rounding.
    const uStar = 1 / (2 * Math.PI);
    expect(
      Math.abs(
        ddmLogStandardDensitySeries(uStar, "small") - ddmLogStandardDensitySeries(uStar, "large"),
      ),
    ).toBeLessThan(1e-14);
    // Survival: images vs eigenfunction series.
    for (const u of [0.02, 0.03, 0.05, 0.08]) {
      for (const V of [0, 1, 4, 15, 60]) {
        if (V * u > 2) continue;
        const a = ddmLogSurvivalNormalised(u, V, "small"),
          b = ddmLogSurvivalNormalised(u, V, "large");
        expect(Math.abs(a - b)).toBeLessThan(1e-11);
      }
    }
  });

  it("matches Navarro & Fuss's general-w series and hand values at v = 0", () => {
    // f(1) at v = 0, A = 1: π e^(−π²/2) (1 − 3e^(−4π²) + …).
    const f1 = Math.PI * Math.exp(-(Math.PI ** 2) / 2) * (1 - 3 * Math.exp(-4 * Math.PI ** 2));
    expect(density(1, 1, 0, 1)).toBeCloseTo(0.0225939679161388, 15);
    expect(Math.abs(density(1, 1, 0, 1) / f1 - 1)).toBeLessThan(1e-14);
    // S(1) at v = 0, A = 1: (4/π) e^(−π²/2) (1 − e^(−4π²)/3 + …).
    expect(
      Math.abs(
        Math.exp(ddmLogSurvival(1, 0, 1)) / ((4 / Math.PI) * Math.exp(-(Math.PI ** 2) / 2)) - 1,
      ),
    ).toBeLessThan(1e-14);
    for (const A of [0.6, 1, 2.5]) {
      for (const u of [0.03, 0.1, 1 / (2 * Math.PI), 0.5, 2]) {
        const t = u * A * A;
        expect(ddmLogDensity(1, t, 0, A)).toBe(ddmLogDensity(-1, t, 0, A));
        // Both series of N&F, many terms, agree with each other and with the module.
        expect(Math.abs(nfSmall(u, 0.5) / nfLarge(u, 0.5, 400) - 1)).toBeLessThan(1e-12);
        expect(
          Math.abs(ddmLogDensity(1, t, 0, A) - Math.log(nfSmall(u, 0.5) / (A * A))),
        ).toBeLessThan(1e-12);
      }
    }
    // Sign convention: positive v favours the upper boundary (choice +1), as in N&F with v → −v.
    for (const [v, A] of CASES) {
      for (const t of [0.05, 0.3, 1.2]) {
        for (const c of [1, -1] as const) {
          expect(
            Math.abs(ddmLogDensity(c, t, v, A) - Math.log(nfDensity(c, t, v, A))),
          ).toBeLessThan(1e-11);
        }
      }
    }
  });

  it("sampler reproduces choice probability, mean time, CDF and the maxT survival fraction", () => {
    const n = 20_000;
    const v = 1.2,
      A = 1.5;
    const rng = createRng(20240607);
    let calls = 0;
    const uniform = () => (calls++, rng.next());
    let up = 0,
      sumT = 0,
      sumT2 = 0;
    const qs = [0.1, 0.3, 0.6, 1.2];
    const below = qs.map(() => 0);
    for (let i = 0; i < n; i++) {
      const d = sampleDdm(v, A, uniform);
      if (d.choice === 1) up++;
      expect(d.choice).not.toBe(0);
      sumT += d.t;
      sumT2 += d.t * d.t;
      qs.forEach((q, j) => {
        if (d.t <= q) below[j]++;
      });
    }
    expect(calls).toBe(2 * n);
    const p = ddmChoiceProb(1, v, A);
    expect(Math.abs(up / n - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / n));
    const mean = sumT / n,
      sd = Math.sqrt(sumT2 / n - mean * mean);
    expect(Math.abs(mean - ddmMeanDecisionTime(v, A))).toBeLessThan((3 * sd) / Math.sqrt(n));
    qs.forEach((q, j) => {
      const F = 1 - Math.exp(ddmLogSurvival(q, v, A));
      expect(Math.abs(below[j] / n - F)).toBeLessThan(3 * Math.sqrt((F * (1 - F)) / n));
    });

    // Window: P(no response) = S(maxT); responses keep the choice odds.
    const maxT = 0.6,
      v2 = -0.8,
      A2 = 1.2;
    const S = Math.exp(ddmLogSurvival(maxT, v2, A2));
    const rng2 = createRng(7);
    let missed = 0,
      down = 0;
    for (let i = 0; i < n; i++) {
      const d = sampleDdm(v2, A2, () => rng2.next(), maxT);
      expect(d.t).toBeLessThanOrEqual(maxT);
      if (d.choice === 0) {
        missed++;
        expect(d.t).toBe(maxT);
      }
      if (d.choice === -1) down++;
    }
    expect(Math.abs(missed / n - S)).toBeLessThan(3 * Math.sqrt((S * (1 - S)) / n));
    const pDown = ddmChoiceProb(-1, v2, A2),
      m = n - missed;
    expect(Math.abs(down / m - pDown)).toBeLessThan(3 * Math.sqrt((pDown * (1 - pDown)) / m));

    // Deterministic given the uniform stream, and exact inversion: S(T) = 1 − u₂.
    const a = createRng(99),
      b = createRng(99);
    for (let i = 0; i < 50; i++)
      expect(sampleDdm(0.5, 1, () => a.next())).toEqual(sampleDdm(0.5, 1, () => b.next()));
    const us = [0.3, 0.77];
    const d = sampleDdm(0.5, 1, () => us.shift()!);
    expect(d.choice).toBe(1);
    expect(Math.abs(Math.exp(ddmLogSurvival(d.t, 0.5, 1)) - 0.23)).toBeLessThan(1e-12);
  });

  it("extreme inputs give finite logs or −Infinity, never NaN", () => {
    for (const v of [-50, -5, 0, 5, 50]) {
      for (const A of [0.3, 1, 3]) {
        let prev = 0;
        for (const t of [1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.3, 1, 10, 100]) {
          for (const c of [1, -1] as const) {
            const l = ddmLogDensity(c, t, v, A);
            expect(Number.isNaN(l)).toBe(false);
            expect(l).toBeLessThan(Infinity);
            if (t >= 1e-4 && t <= 10) expect(Number.isFinite(l)).toBe(true);
          }
          const s = ddmLogSurvival(t, v, A);
          expect(Number.isNaN(s)).toBe(false);
          expect(s).toBeLessThanOrEqual(prev);
          if (t <= 10) expect(Number.isFinite(s)).toBe(true);
          prev = s;
        }
        const d = sampleDdm(v, A, createRng(1).next);
        expect(Number.isFinite(d.t) && d.t > 0).toBe(true);
      }
    }
    expect(ddmLogDensity(1, 0, 1, 1)).toBe(-Infinity);
    expect(ddmLogDensity(-1, -1, 1, 1)).toBe(-Infinity);
    expect(ddmLogDensity(1, Infinity, 0, 1)).toBe(-Infinity);
    expect(ddmLogSurvival(0, 1, 1)).toBe(0);
    expect(ddmLogSurvival(-2, 1, 1)).toBe(0);
    expect(ddmLogSurvival(Infinity, 0, 1)).toBe(-Infinity);
  });

  it("log survival is continuous and non-increasing across its regime switches", () => {
    for (const V of [0, 2, 30, 60, 120, 400]) {
      let prev = 0;
      for (let u = 0.002; u < 0.3; u *= 1.01) {
        const s = ddmLogSurvivalNormalised(u, V);
        expect(s).toBeLessThanOrEqual(prev + 1e-15);
        prev = s;
      }
      for (const uc of [0.02, 0.04, 2 / V]) {
        if (!(uc < 0.3)) continue;
        const a = ddmLogSurvivalNormalised(uc * (1 - 1e-9), V),
          b = ddmLogSurvivalNormalised(uc * (1 + 1e-9), V);
        expect(Math.abs(a - b)).toBeLessThan(1e-8 * Math.max(1, Math.abs(a)));
      }
    }
  });
});
