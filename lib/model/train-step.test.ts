import * as tf from "@tensorflow/tfjs";

import { type Architecture, type ModelParams, defaultArchitecture } from "./config";
import { type OracleState, oracleStep } from "./oracle";
import { FastRng } from "./random";
import { stepTestParams, stepTestSetup } from "./testing/step-fixture";
import { applyUpdate, disposeCoefs, gradientPaper, makeStepCoefs } from "./train-step";

const params = stepTestParams;
const setup = stepTestSetup;

/** Gradients implied by one tfjs update: g = −Δθ/η. */
function tfjsGradients(arch: Architecture, s: ReturnType<typeof setup>) {
  const { paths: P, dOut: O, dIn: I } = arch;
  return tf.tidy(() => {
    const coefs = makeStepCoefs(arch, [params]);
    const st = {
      W: tf.tensor4d(Float32Array.from(s.W), [1, P, O, I]),
      c: tf.tensor4d(Float32Array.from(s.c), [1, P, s.Ng, 1]),
    };
    const { G } = gradientPaper(
      st,
      tf.tensor3d(Float32Array.from(s.Wstar), [1, O, I]),
      tf.tensor3d(Float32Array.from(s.S), [1, I, I]),
    );
    const nx = applyUpdate(st, G, coefs);
    const gW = tf.div(tf.sub(st.W, nx.W), arch.dt / params.tauW);
    const gc = tf.div(tf.sub(st.c, nx.c), arch.dt / params.tauC);
    disposeCoefs(coefs);
    return { gW: gW.dataSync(), gc: gc.dataSync() };
  });
}

/** Autodiff of the loss written out explicitly on the batch (docs/science.md §2). */
function autodiffGradients(arch: Architecture, s: ReturnType<typeof setup>, B: number) {
  const { paths: P, dOut: O, dIn: I } = arch;
  return tf.tidy(() => {
    const X = tf.tensor2d(Float32Array.from(s.X), [B, I]);
    const Ys = tf.tensor2d(Float32Array.from(s.Y), [B, O]);
    const f = (W: tf.Tensor, c: tf.Tensor) => {
      const Weff = tf.sum(tf.mul(tf.reshape(c, [P, s.Ng, 1]), W), 0); // [O, I]
      const Y = tf.matMul(X, Weff, false, true); // [B, O]
      const task = tf.div(tf.mul(0.5, tf.sum(tf.square(tf.sub(Ys, Y)))), B);
      const cc = tf.reshape(c, [P, s.Ng]);
      const n1 = tf.sum(tf.abs(cc), 0),
        n2 = tf.sqrt(tf.sum(tf.square(cc), 0));
      const reg = tf.addN([
        tf.mul(params.lambdaNonneg, tf.sum(tf.relu(tf.neg(cc)))),
        tf.mul(params.lambdaL1, tf.sum(tf.square(tf.sub(n1, 1)))),
        tf.mul(params.lambdaL2, tf.sum(tf.square(tf.sub(n2, 1)))),
        tf.mul(params.lambdaW, tf.sum(tf.square(W))),
      ]);
      return tf.add(task, reg) as tf.Scalar;
    };
    const [gW, gc] = tf.grads(f)([
      tf.tensor3d(Float32Array.from(s.W), [P, O, I]),
      tf.tensor1d(Float32Array.from(s.c)),
    ]);
    return { gW: gW.dataSync(), gc: gc.dataSync() };
  });
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  const scale = Math.max(...Array.from(b, Math.abs), 1e-3);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]) / scale).toBeLessThan(tol);
};

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe.each(["path", "neuron"] as const)("update with %s gates", (gating) => {
  const arch = defaultArchitecture({ paths: 3, dIn: 6, dOut: 4, dt: 0.01, gating });
  const B = 50;
  it("matches tf.grads of the explicit loss + regulariser", () => {
    const s = setup(arch, B, 1);
    const ours = tfjsGradients(arch, s);
    const auto = autodiffGradients(arch, s, B);
    close(ours.gW, auto.gW, 2e-3);
    close(ours.gc, auto.gc, 2e-3);
  });

  it("matches the float64 oracle, whose gradient matches finite differences", () => {
    const s = setup(arch, B, 2);
    const ours = tfjsGradients(arch, s);
    const st = { W: s.W, c: s.c };
    const o = oracleStep(arch, params, st, s.X, s.Y, B);
    const gWo = Array.from(o.state.W, (w, k) => (s.W[k] - w) / (arch.dt / params.tauW));
    const gco = Array.from(o.state.c, (c, k) => (s.c[k] - c) / (arch.dt / params.tauC));
    close(ours.gW, gWo, 1e-4);
    close(ours.gc, gco, 1e-4);
    // finite differences of the oracle's task loss + regulariser w.r.t. one W entry and one gate
    const total = (W: Float64Array, c: Float64Array) => {
      const L = oracleStep(arch, params, { W, c }, s.X, s.Y, B).loss;
      let reg = 0;
      const Ng = s.Ng;
      for (let g = 0; g < Ng; g++) {
        let n1 = 0,
          n2 = 0;
        for (let q = 0; q < arch.paths; q++) {
          const v = c[q * Ng + g];
          reg += params.lambdaNonneg * Math.max(0, -v);
          n1 += Math.abs(v);
          n2 += v * v;
        }
        reg += params.lambdaL1 * (n1 - 1) ** 2 + params.lambdaL2 * (Math.sqrt(n2) - 1) ** 2;
      }
      return L + reg + params.lambdaW * W.reduce((a, w) => a + w * w, 0);
    };
    const h = 1e-6;
    for (const k of [0, 7, 30]) {
      const Wp = s.W.slice(),
        Wm = s.W.slice();
      Wp[k] += h;
      Wm[k] -= h;
      expect(Math.abs((total(Wp, s.c) - total(Wm, s.c)) / (2 * h) - gWo[k])).toBeLessThan(1e-6);
    }
    for (const k of [0, 1]) {
      const cp = s.c.slice(),
        cm = s.c.slice();
      cp[k] += h;
      cm[k] -= h;
      expect(Math.abs((total(s.W, cp) - total(s.W, cm)) / (2 * h) - gco[k])).toBeLessThan(1e-6);
    }
  });
});

it("agrees with the oracle over 200 steps of a changing teacher (float32 tolerance)", () => {
  const arch = defaultArchitecture({ paths: 2, dIn: 8, dOut: 3, dt: 0.05 });
  const p: ModelParams = {
    tauW: 0.5,
    tauC: 0.1,
    lambdaNonneg: 0.2,
    lambdaL1: 0.4,
    lambdaL2: 0,
    lambdaW: 0,
  };
  const B = 30;
  const s0 = setup(arch, B, 3);
  const r = new FastRng(9);
  let ost: OracleState = { W: s0.W.map((w) => w * 0.05), c: Float64Array.from([0.5, 0.5]) };
  const coefs = makeStepCoefs(arch, [p]);
  let st = {
    W: tf.tensor4d(Float32Array.from(ost.W), [1, 2, 3, 8]),
    c: tf.tensor4d(Float32Array.from(ost.c), [1, 2, 1, 1]),
  };
  const teachers = [0, 1].map(() =>
    Float64Array.from({ length: 24 }, () => r.normal() / Math.sqrt(8)),
  );
  for (let t = 0; t < 200; t++) {
    const Ws = teachers[Math.floor(t / 50) % 2];
    const X = Float64Array.from({ length: B * 8 }, () => r.normal());
    const Y = new Float64Array(B * 3);
    const S = new Float32Array(64);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 8; j++) Y[b * 3 + i] += X[b * 8 + j] * Ws[i * 8 + j];
      for (let j = 0; j < 8; j++)
        for (let k = 0; k < 8; k++) S[j * 8 + k] += (X[b * 8 + j] * X[b * 8 + k]) / B;
    }
    const o = oracleStep(arch, p, ost, X, Y, B);
    const prev = st;
    const { next, loss } = tf.tidy(() => {
      const { G, D } = gradientPaper(
        prev,
        tf.tensor3d(Float32Array.from(Ws), [1, 3, 8]),
        tf.tensor3d(S, [1, 8, 8]),
      );
      return { next: applyUpdate(prev, G, coefs), loss: tf.mul(0.5, tf.sum(tf.mul(G, D))) };
    });
    expect(Math.abs(loss.dataSync()[0] - o.loss)).toBeLessThan(1e-4 * Math.max(1, o.loss));
    tf.dispose([prev.W, prev.c, loss]);
    st = next;
    ost = o.state;
  }
  close(st.c.dataSync(), ost.c, 1e-3);
  close(st.W.dataSync(), ost.W, 1e-3);
  tf.dispose([st.W, st.c]);
  disposeCoefs(coefs);
});
