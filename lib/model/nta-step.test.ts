// The float64 update (nta-step.ts) against the independent oracle (oracle.ts): paper mode's dense
// applyUpdate (two paths unrolled and the general loop, per-path and per-neuron gates) and
// stimulus mode's rank-one stimulusStep (sparse and one-hot inputs, with its fast path).
import { defaultArchitecture, gatesPerPath } from "./config";
import {
  applyUpdate,
  regularizerGradient,
  residual,
  stepSizes,
  stimulusOneHotTwoPaths,
  stimulusStep,
} from "./nta-step";
import { oracleStep } from "./oracle";
import { FastRng } from "./random";
import { stepTestParams, stepTestSetup } from "./testing/step-fixture";

const params = stepTestParams;

const expectClose = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(tol);
};

describe.each([
  [2, "path"],
  [2, "neuron"],
  [3, "path"],
  [3, "neuron"],
] as const)("paper-mode applyUpdate, %i paths, %s gates", (paths, gating) => {
  it("equals the oracle's step on the same batch (G = D S with S = XᵀX/B)", () => {
    const arch = defaultArchitecture({ paths, dIn: 6, dOut: 4, dt: 0.01, gating });
    const { paths: P, dOut: O, dIn: I } = arch;
    const Ng = gatesPerPath(arch);
    const B = 9;
    const s = stepTestSetup(arch, B, 11, true);
    const S = s.S;
    const want = oracleStep(arch, params, { W: s.W, c: s.c }, s.X, s.Y, B);
    const D = new Float64Array(O * I),
      G = new Float64Array(O * I);
    const W = s.W.slice(),
      c = s.c.slice();
    residual(D, s.Wstar, W, c, P, O, I, Ng);
    for (let o = 0; o < O; o++)
      for (let i = 0; i < I; i++)
        for (let k = 0; k < I; k++) G[o * I + i] += D[o * I + k] * S[k * I + i];
    applyUpdate(W, c, G, new Float64Array(P * Ng), P, O, I, Ng, stepSizes(arch.dt, params), params);
    expectClose(W, want.state.W);
    expectClose(c, want.state.c);
    expect(c[1]).not.toBe(s.c[1]); // the zero gate moved
  });
});

describe("stimulus-mode stimulusStep", () => {
  const arch = defaultArchitecture({ paths: 2, dIn: 5, dOut: 1, dt: 0.02 });
  it("equals the oracle's step on a batch of one (sparse input)", () => {
    const s = stepTestSetup(arch, 1, 4, true);
    const x = Float64Array.from([0, 0.7, 0, -1.2, 0]);
    const yStar = 0.9;
    const want = oracleStep(arch, params, { W: s.W, c: s.c }, x, Float64Array.of(yStar), 1);
    const W = s.W.slice(),
      c = s.c.slice();
    const input = { idx: Int32Array.of(1, 3), val: Float64Array.of(0.7, -1.2), from: 0, to: 2 };
    const sizes = stepSizes(arch.dt, params);
    const y = stimulusStep(W, c, new Float64Array(2), 2, 5, input, yStar, sizes, params);
    expectClose(W, want.state.W);
    expectClose(c, want.state.c);
    expect(Math.abs(0.5 * (yStar - y) ** 2 - want.loss)).toBeLessThan(1e-12); // ŷ before the update
  });

  it("the one-hot two-path specialisation gives the bits of stimulusStep trial by trial", () => {
    const p = { ...params, lambdaL2: 0, lambdaW: 0 };
    const r = new FastRng(8);
    const N = 300,
      I = 5;
    const j = Int32Array.from({ length: N }, () => Math.floor(r.uniform() * I));
    const yStar = Float64Array.from(j, (k) => (k % 2 ? 1 : -1));
    const W0 = Float64Array.from({ length: 2 * I }, () => 0.01 * r.normal());
    const sizes = stepSizes(arch.dt, p);
    const fast = stimulusOneHotTwoPaths(W0.slice(), 0.5, I, j, yStar, sizes, p);
    const W = W0.slice(),
      c = Float64Array.of(0.5, 0.5),
      gTask = new Float64Array(2);
    const one = Float64Array.of(1);
    const general = Float64Array.from(j, (jt, t) =>
      stimulusStep(
        W,
        c,
        gTask,
        2,
        I,
        { idx: Int32Array.of(jt), val: one, from: 0, to: 1 },
        yStar[t],
        sizes,
        p,
      ),
    );
    expect(Array.from(fast)).toEqual(Array.from(general));
    expect(Math.max(...fast.map(Math.abs))).toBeGreaterThan(0.1); // it learned something
  });
});

it("regularizerGradient: the nonnegativity subgradient is −λ_nn below 0, −½λ_nn at 0, 0 above", () => {
  expect(regularizerGradient(-0.1, 1, 1, 0.3, 0, 0)).toBe(-0.3);
  expect(regularizerGradient(0, 1, 1, 0.3, 0, 0)).toBe(-0.15);
  expect(regularizerGradient(0.1, 1, 1, 0.3, 0, 0)).toBe(0);
  // L1 and L2 terms: 2λ_L1(‖c‖₁−1) sign c + 2λ_L2(‖c‖₂−1) c/‖c‖₂
  expect(regularizerGradient(0.6, 1.4, 0.8, 0, 0.5, 0.25)).toBeCloseTo(
    0.4 + 2 * 0.25 * -0.2 * 0.75,
    14,
  );
});
