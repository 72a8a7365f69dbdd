// Output engines for fitting: the model's pre-update output ŷ_t on every trial of a participant's
// sequence, for many parameter sets at once. Stimulus mode (docs/science.md §10.3; paper
// App. A.10, batch 1), Sandbrink et al., NeurIPS 2024 (https://openreview.net/forum?id=AbTpJl7vN6).
// The update is the model's one definition (docs/science.md (E1)–(E7)): nta-step.ts in float64,
// train-step.ts in TF.js. Two engines with one contract:
//  - tfjsEngine: ONE batched TF.js runStimulus call over all parameter sets (float32).
//  - jsEngine: nta-step.ts's stimulusStep on Float64Array state, per parameter set. For this
//    model's size (d_in 8, d_out 1, P 2) per-op overhead dominates TF.js (~0.2 s per call for
//    480 trials whatever the batch), so the sequential Nelder–Mead refinement uses this one.
// Both start from the same initial W (rngFor(seed, 0, 0), as runStimulus' seed index 0), so a fit's
// stored seed means the same thing in both; engine.test.ts checks they agree.
import type { Architecture, ModelParams } from "../config";
import { stepSizes, stimulusOneHotTwoPaths, stimulusStep } from "../nta-step";
import { rngFor } from "../random";
import { runStimulus } from "../simulate-stimulus";
import type { StimulusSequence } from "../stimulus-trials";

export type FitArch = Omit<Architecture, "dIn" | "dOut">;

/** setImmediate where it exists (Node: no 1 ms timer clamp), else a zero timeout. */
const yieldMacrotask = (): Promise<void> =>
  new Promise((resolve) =>
    typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
  );

/**
 * The NTA hyperparameters of one fitted trajectory, plus the prior knowledge κ ∈ [0, 1]
 * (docs/fitting.md "Prior knowledge"): the students start as W_p(0) = 2κ·T_p + ε_p, path p aligned
 * with the teacher of the p-th rule (the rules in order of first appearance in the sequence), ε_p the
 * usual small random draw. With the initial gates ½ each, κ = 1 makes the readout Σ c_p W_p x equal
 * the teachers' answer on every congruent stimulus (0 on incongruent ones: which rule applies is left
 * to the gates); κ = 0 (or absent) is the untrained start of the paper.
 */
export type FitModelParams = ModelParams & { prior?: number };

/** ŷ per parameter set and initialisation: Float64Array [N] (d_out = 1; fitting needs one output
 * unit). With k initialisations per set the result has params.length × k entries, parameter-major. */
export type OutputEngine = (params: readonly FitModelParams[]) => Promise<Float64Array[]>;

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
  /** Teachers [P = 2, I]: the target of stimulus i under rule p (0 where never seen under p). */
  teacher: Float64Array;
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
  const tasks = [...new Set(seq.trials.map((t) => t.task))];
  const teacher = new Float64Array(2 * I);
  seq.trials.forEach((tr, t) => {
    const p = tasks.indexOf(tr.task);
    if (p > 1) return;
    for (let k = start[t]; k < start[t + 1]; k++) teacher[p * I + idx[k]] = tr.target[0] * val[k];
  });
  const oneHot =
    val.every((v) => v === 1) && start.every((a, t) => t === 0 || a - start[t - 1] === 1);
  const packed = {
    I,
    teacher,
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
  p: FitModelParams,
  seq: StimulusSequence,
  seed: number,
  seedIndex = 0,
  gatesOut?: Float64Array,
): Float64Array {
  const { I } = assertSingleOutput(seq);
  return runJs(arch, p, pack(seq), initialWeights(arch, I, seed, seedIndex), gatesOut);
}

/** W(0) = 2κ·teacher + W0 (κ = p.prior, 0 if absent); W0 itself when κ = 0. */
function withPrior(arch: FitArch, p: FitModelParams, seq: Packed, W0: Float64Array): Float64Array {
  const kappa = p.prior ?? 0;
  if (kappa === 0) return W0;
  if (arch.paths !== 2) throw new Error("Prior knowledge needs two paths (one per rule)");
  return W0.map((w, i) => w + 2 * kappa * seq.teacher[i]);
}

function runJs(
  arch: FitArch,
  p: FitModelParams,
  seq: Packed,
  W00: Float64Array,
  gatesOut?: Float64Array,
  general = false,
): Float64Array {
  const W = withPrior(arch, p, seq, W00).slice(); // [P, d_in], updated in place
  if (arch.gating !== "path")
    throw new Error(`jsEngine supports per-path gates only, got "${arch.gating}"`);
  const sizes = stepSizes(arch.dt, p);
  if (
    !general &&
    !gatesOut &&
    seq.oneHot &&
    arch.paths === 2 &&
    p.lambdaL2 === 0 &&
    p.lambdaW === 0
  )
    return stimulusOneHotTwoPaths(W, arch.initGate, seq.I, seq.idx, seq.target, sizes, p);
  const { I, N, start, idx, val, target } = seq;
  const P = arch.paths;
  const c = new Float64Array(P).fill(arch.initGate);
  const gTask = new Float64Array(P);
  const out = new Float64Array(N);
  const x = { idx, val, from: 0, to: 0 };
  for (let t = 0; t < N; t++) {
    x.from = start[t];
    x.to = start[t + 1];
    out[t] = stimulusStep(W, c, gTask, P, I, x, target[t], sizes, p);
    if (gatesOut) for (let q = 0; q < P; q++) gatesOut[t * P + q] = c[q];
  }
  return out;
}

/** For tests: the general loop, bypassing the one-hot fast path. */
export function simulateOutputsJsGeneral(
  arch: FitArch,
  p: FitModelParams,
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
    if (params.some((p) => (p.prior ?? 0) !== 0))
      throw new Error("The TF.js engine has no prior knowledge (κ): use jsEngine");
    const res = await runStimulus(
      { arch, params: [...params], sequence: seq },
      { seeds, seed, signal },
    );
    return res.output.map((o) => Float64Array.from(o));
  };
}
