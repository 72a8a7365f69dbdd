// Output engines for fitting: the model's pre-update output ŷ_t on every trial of a participant's
// sequence, for many parameter sets at once. Stimulus mode (docs/science.md §10.3; paper
// App. A.10, batch 1), Sandbrink et al., NeurIPS 2024 (https://openreview.net/forum?id=AbTpJl7vN6);
// equations as lib/model/train-step.ts (docs/science.md §1–§3):
//   ŷ = Σ_p c_p W_p x,  e = y* − ŷ,  G = e xᵀ                                   (docs/science.md §1, §2.4)
//   W_p ← (1 − 2η_wλ_W) W_p + η_w c_p G,  η = dt/τ                              (docs/science.md §3)
//   c_p ← c_p + η_c⟨W_p, G⟩ − η_c[2λ_L1(‖c‖₁−1) sign c_p − λ_nn 1[c_p<0] + 2λ_L2(‖c‖₂−1)c_p/‖c‖₂]
// Two engines with one contract:
//  - tfjsEngine: ONE batched TF.js runStimulus call over all parameter sets (float32).
//  - jsEngine: the same simultaneous Euler update on Float64Array state, per parameter set. For
//    this model's size (d_in 8, d_out 1, P 2) per-op overhead dominates TF.js (~0.2 s per call for
//    480 trials whatever the batch), so the sequential Nelder–Mead refinement uses this one.
// Both start from the same initial W (rngFor(seed, 0, 0), as runStimulus' seed index 0), so a fit's
// stored seed means the same thing in both; engine.test.ts checks they agree.
import type { Architecture, ModelParams } from "../config";
import { rngFor } from "../random";
import { runStimulus } from "../simulate-stimulus";
import type { StimulusSequence } from "../stimulus-trials";

export type FitArch = Omit<Architecture, "dIn" | "dOut">;

/** ŷ per parameter set and initialisation: Float64Array [N] (d_out = 1; fitting needs one output
 * unit). With S initialisations per set the result has params.length × S entries, parameter-major. */
/** setImmediate where it exists (Node: no 1 ms timer clamp), else a zero timeout. */
const yieldMacrotask = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

export type OutputEngine = (params: readonly ModelParams[]) => Promise<Float64Array[]>;

function assertSingleOutput(seq: StimulusSequence): { I: number } {
  if (seq.trials.length === 0) throw new Error("Stimulus sequence has no trials");
  if (seq.trials[0].target.length !== 1)
    throw new Error(`Fitting needs d_out = 1, got ${seq.trials[0].target.length}`);
  return { I: seq.trials[0].input.length };
}

/** Initial W of seed index `seedIndex`, exactly as simulate-paper.ts `initialState` draws it (float32). */
export function initialWeights(
  arch: FitArch,
  dIn: number,
  seed: number,
  seedIndex = 0,
): Float64Array {
  const rng = rngFor(seed, seedIndex, 0);
  const sd = arch.initScale / Math.sqrt(dIn);
  return Float64Array.from({ length: arch.paths * dIn }, () => Math.fround(sd * rng.normal())); // [P, 1, d_in]
}

/** The sequence as flat arrays, inputs as sparse (index, value) lists (one-hot stimuli: one entry). */
type Packed = {
  I: number;
  N: number;
  start: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  target: Float64Array;
  oneHot: boolean;
};
const packedCache = new WeakMap<StimulusSequence, Packed>();
function pack(seq: StimulusSequence): Packed {
  const hit = packedCache.get(seq);
  if (hit) return hit;
  const { I } = assertSingleOutput(seq);
  const N = seq.trials.length;
  const start = new Int32Array(N + 1),
    idx: number[] = [],
    val: number[] = [];
  seq.trials.forEach((tr, t) => {
    tr.input.forEach((v, i) => {
      if (v === 0) return;
      idx.push(i);
      val.push(v);
    });
    start[t + 1] = idx.length;
  });
  const oneHot =
    val.every((v) => v === 1) && start.every((a, t) => t === 0 || a - start[t - 1] === 1);
  const packed = {
    I,
    N,
    start,
    idx: Int32Array.from(idx),
    val: Float64Array.from(val),
    target: Float64Array.from(seq.trials, (t) => t.target[0]),
    oneHot,
  };
  packedCache.set(seq, packed);
  return packed;
}

/** Plain float64 engine: ŷ_t for one parameter set and one initialisation (runStimulus seed index
 * `seedIndex` of `seed`). `gatesOut` ([N × P], optional) receives the gates c after each trial's
 * update (for the mechanism diagnostics in signature.ts). */
export function simulateOutputsJs(
  arch: FitArch,
  p: ModelParams,
  seq: StimulusSequence,
  seed: number,
  seedIndex = 0,
  gatesOut?: Float64Array,
): Float64Array {
  const { I } = assertSingleOutput(seq);
  return runJs(arch, p, pack(seq), initialWeights(arch, I, seed, seedIndex), gatesOut);
}

function runJs(
  arch: FitArch,
  p: ModelParams,
  seq: Packed,
  W0: Float64Array,
  gatesOut?: Float64Array,
  general = false,
): Float64Array {
  if (arch.gating !== "path")
    throw new Error(`jsEngine supports per-path gates only, got "${arch.gating}"`);
  if (
    !general &&
    !gatesOut &&
    seq.oneHot &&
    arch.paths === 2 &&
    p.lambdaL2 === 0 &&
    p.lambdaW === 0
  )
    return runJsOneHot2(arch, p, seq, W0);
  const { I, N, start, idx, val, target } = seq;
  const P = arch.paths;
  const etaW = arch.dt / p.tauW,
    etaC = arch.dt / p.tauC; // the step size dt/τ
  const decay = 1 - 2 * etaW * p.lambdaW;
  const W = W0.slice(); // [P, d_in]
  const c = new Float64Array(P).fill(arch.initGate);
  const gTask = new Float64Array(P);
  const out = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    const a = start[t],
      b = start[t + 1];
    let y = 0;
    for (let q = 0; q < P; q++) {
      let wx = 0;
      for (let k = a; k < b; k++) wx += W[q * I + idx[k]] * val[k];
      gTask[q] = wx; // W_p x (⟨W_p, G⟩ = e · W_p x)
      y += c[q] * wx; // ŷ = Σ_p c_p W_p x
    }
    out[t] = y;
    const e = target[t] - y;
    let n1 = 0,
      n2 = 0;
    for (let q = 0; q < P; q++) {
      n1 += Math.abs(c[q]);
      n2 += c[q] * c[q];
    }
    n2 = Math.sqrt(n2);
    for (let q = 0; q < P; q++) {
      const cq = c[q];
      const sgn = Math.sign(cq);
      // ∂L_reg/∂c_p (docs/science.md §2.4); at c_p = 0 the nonneg subgradient is −½λ_nn, as the TF.js engine
      let reg = 2 * p.lambdaL1 * (n1 - 1) * sgn - (p.lambdaNonneg * (1 - sgn)) / 2;
      if (p.lambdaL2 !== 0) reg += 2 * p.lambdaL2 * (n2 - 1) * (cq / n2);
      c[q] = cq + etaC * (e * gTask[q] - reg); // c ← c − η_c ∂L/∂c
      // W ← W − η_w ∂L/∂W (G = e xᵀ is zero off the input's support)
      if (decay !== 1) for (let i = 0; i < I; i++) W[q * I + i] *= decay;
      for (let k = a; k < b; k++) W[q * I + idx[k]] += etaW * cq * e * val[k];
    }
    if (gatesOut) for (let q = 0; q < P; q++) gatesOut[t * P + q] = c[q];
  }
  return out;
}

/**
 * runJs specialised for what every fit runs: one-hot inputs (x = e_j), two paths, λ_L2 = λ_W = 0.
 * The same arithmetic in the same order as the general loop (W·1 = W, 0 + a = a exactly), without
 * the inner loops: bit-identical outputs (engine.test.ts), ≈ 2–3× faster.
 */
function runJsOneHot2(arch: FitArch, p: ModelParams, seq: Packed, W0: Float64Array): Float64Array {
  const { I, N, idx, target } = seq;
  const etaW = arch.dt / p.tauW,
    etaC = arch.dt / p.tauC;
  const l1 = p.lambdaL1,
    lnn = p.lambdaNonneg;
  const W = W0.slice();
  let c0 = arch.initGate,
    c1 = arch.initGate;
  const out = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    const j0 = idx[t],
      j1 = I + idx[t];
    const w0 = W[j0],
      w1 = W[j1];
    const y = c0 * w0 + c1 * w1;
    out[t] = y;
    const e = target[t] - y;
    const n1 = Math.abs(c0) + Math.abs(c1);
    const s0 = Math.sign(c0),
      s1 = Math.sign(c1);
    const r0 = 2 * l1 * (n1 - 1) * s0 - (lnn * (1 - s0)) / 2;
    const r1 = 2 * l1 * (n1 - 1) * s1 - (lnn * (1 - s1)) / 2;
    W[j0] = w0 + etaW * c0 * e;
    W[j1] = w1 + etaW * c1 * e;
    c0 = c0 + etaC * (e * w0 - r0);
    c1 = c1 + etaC * (e * w1 - r1);
  }
  return out;
}

/** For tests: the general loop, bypassing the one-hot fast path. */
export function simulateOutputsJsGeneral(
  arch: FitArch,
  p: ModelParams,
  seq: StimulusSequence,
  seed: number,
  seedIndex = 0,
): Float64Array {
  const { I } = assertSingleOutput(seq);
  return runJs(arch, p, pack(seq), initialWeights(arch, I, seed, seedIndex), undefined, true);
}

/** `seeds` initialisations per parameter set (seed indices 0…seeds−1), parameter-major like runStimulus' elements. */
export function jsEngine(
  arch: FitArch,
  seq: StimulusSequence,
  seed: number,
  seeds = 1,
): OutputEngine {
  const packed = pack(seq);
  const W0 = Array.from({ length: seeds }, (_, s) => initialWeights(arch, packed.I, seed, s));
  return async (params) => {
    // A fit makes thousands of these calls; yielding a macrotask before each one keeps a server
    // that hosts the fit job answering requests (an awaited synchronous result would not).
    await yieldMacrotask();
    return params.flatMap((p) => W0.map((w) => runJs(arch, p, packed, w)));
  };
}

/** One batched TF.js computation (runStimulus over all parameter sets × `seeds` initialisations). */
export function tfjsEngine(
  arch: FitArch,
  seq: StimulusSequence,
  seed: number,
  signal?: AbortSignal,
  seeds = 1,
): OutputEngine {
  assertSingleOutput(seq);
  return async (params) => {
    if (params.length === 0) return [];
    const res = await runStimulus(
      { arch, params: [...params], sequence: seq },
      { seeds, seed, signal },
    );
    return res.output.map((o) => Float64Array.from(o));
  };
}
