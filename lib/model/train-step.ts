// One simultaneous forward-Euler update of the NTA gated linear network, batched over a leading
// dimension S (seeds × parameter sets). Paper §3.2 and App. A.1–A.3, A.8; ref lcs/models.py `model`,
// lcs/joint_learning.py `loss_fn`, `regularization_loss_fn`, `simulate_` (@02cb5c4); docs/science.md §1–§3, §9.
//   ŷ = Σ_p c_p W_p x                                   (docs/science.md §1; App. A.8: c_{p,i} per output unit i)
//   L_task = ½ (1/B) Σ_b Σ_i (y*_bi − ŷ_bi)²             (docs/science.md §2.1: no 1/d_out)
//   G = Eᵀ X / B = (W* − W_eff) S,  S = XᵀX/B            (docs/science.md §2.4, §9)
//   ∂L/∂W_p = −c_p G + 2 λ_W W_p                         (App. A.3 weight decay, optional)
//   ∂L/∂c_p = −⟨W_p, G⟩ − λ_nn 1[c_p<0] + 2λ_L1(‖c‖₁−1) sign c_p + 2λ_L2(‖c‖₂−1) c_p/‖c‖₂   (docs/science.md §2.4)
//   θ ← θ − (dt/τ_θ) ∂L/∂θ, W and c from the same pre-update values (docs/science.md §3)
// All ops are plain matMul/mul/sum (docs/ARCHITECTURE.md §6.2: no einsum).
import * as tf from "@tensorflow/tfjs";

import { type Architecture, type ModelParams, gatesPerPath } from "./config";

/** Parameters of the whole batch. */
export type NetState = {
  W: tf.Tensor4D; // [S, P, d_out, d_in]
  c: tf.Tensor4D; // [S, P, G, 1], G = 1 (per-path gates) or d_out (per-neuron gates, App. A.8)
};

/** Per-element step coefficients, folded once so each update needs few ops (per-op overhead dominates). */
export type StepCoefs = {
  etaW: tf.Tensor4D; // dt/τ_w: [S,1,1,1]
  etaC: tf.Tensor4D; // dt/τ_c: [S,1,1,1]
  a1: tf.Tensor4D; // 2 η_c λ_L1
  a0: tf.Tensor4D; // η_c λ_nn/2 − 2 η_c λ_L1
  a2: tf.Tensor4D; // η_c λ_nn/2
  b1: tf.Tensor4D | null; // 2 η_c λ_L2 (null when every λ_L2 = 0)
  wDecay: tf.Tensor4D | null; // 1 − 2 η_w λ_W (null when every λ_W = 0)
  gateAxes: number[]; // axes of ⟨W_p, G⟩ reduced into a gate: [2,3] per path, [3] per neuron
};

export function makeStepCoefs(arch: Architecture, params: readonly ModelParams[]): StepCoefs {
  const col = (f: (p: ModelParams) => number) =>
    tf.tensor4d(params.map(f), [params.length, 1, 1, 1], "float32");
  const etaC = (p: ModelParams) => arch.dt / p.tauC; // the step size dt/τ: computed here only
  const etaW = (p: ModelParams) => arch.dt / p.tauW;
  const anyL2 = params.some((p) => p.lambdaL2 !== 0);
  const anyW = params.some((p) => p.lambdaW !== 0);
  return {
    etaW: col(etaW),
    etaC: col(etaC),
    a1: col((p) => 2 * etaC(p) * p.lambdaL1),
    a0: col((p) => (etaC(p) * p.lambdaNonneg) / 2 - 2 * etaC(p) * p.lambdaL1),
    a2: col((p) => (etaC(p) * p.lambdaNonneg) / 2),
    b1: anyL2 ? col((p) => 2 * etaC(p) * p.lambdaL2) : null,
    wDecay: anyW ? col((p) => 1 - 2 * etaW(p) * p.lambdaW) : null,
    gateAxes: gatesPerPath(arch) === 1 ? [2, 3] : [3],
  };
}

export function disposeCoefs(k: StepCoefs): void {
  tf.dispose([
    k.etaW,
    k.etaC,
    k.a1,
    k.a0,
    k.a2,
    ...(k.b1 ? [k.b1] : []),
    ...(k.wDecay ? [k.wDecay] : []),
  ]);
}

/** W_eff = Σ_p c_p W_p: [S, d_out, d_in]. */
export const effectiveWeights = (s: NetState): tf.Tensor3D =>
  tf.sum(tf.mul(s.c, s.W), 1) as tf.Tensor3D;

/** Paper mode: G = (W* − W_eff) S and D = W* − W_eff (loss = ½⟨G, D⟩ = ½ tr(D S Dᵀ)). */
export function gradientPaper(
  s: NetState,
  Wstar: tf.Tensor3D, // [1 or S, d_out, d_in]
  S: tf.Tensor3D, // [S, d_in, d_in] second moment XᵀX/B
): { G: tf.Tensor3D; D: tf.Tensor3D } {
  const D = tf.sub(Wstar, effectiveWeights(s)) as tf.Tensor3D; // [S, d_out, d_in]
  return { G: tf.matMul(D, S), D }; // G: [S, d_out, d_in]
}

/** Stimulus mode (batch 1, App. A.10): ŷ = W_eff x, e = y* − ŷ, G = e xᵀ. x and y* shared across S. */
export function gradientStimulus(
  s: NetState,
  x: tf.Tensor3D, // [1, 1, d_in]
  yStar: tf.Tensor2D, // [1, d_out]
): { G: tf.Tensor3D; y: tf.Tensor2D; e: tf.Tensor2D } {
  const y = tf.sum(tf.mul(effectiveWeights(s), x), 2) as tf.Tensor2D; // ŷ = Σ_p c_p W_p x: [S, d_out]
  const e = tf.sub(yStar, y) as tf.Tensor2D; // [S, d_out]
  const G = tf.mul(tf.expandDims(e, 2), x) as tf.Tensor3D; // e xᵀ: [S, d_out, d_in]
  return { G, y, e };
}

/** The simultaneous Euler update of W and c given G (docs/science.md §3). Returns the new state. */
export function applyUpdate(s: NetState, G: tf.Tensor3D, k: StepCoefs): NetState {
  const G4 = tf.expandDims(G, 1) as tf.Tensor4D; // [S, 1, d_out, d_in]
  // −∂L_task/∂c_p = ⟨W_p, G⟩ (per gate): [S, P, G, 1]
  const gTask = tf.sum(tf.mul(s.W, G4), k.gateAxes, true);
  // W ← W − η_w(−c_p G + 2λ_W W) = (1 − 2η_wλ_W) W + η_w c_p G
  const Wbase = k.wDecay ? tf.mul(s.W, k.wDecay) : s.W;
  const W = tf.add(Wbase, tf.mul(tf.mul(s.c, k.etaW), G4)) as tf.Tensor4D;
  // η_c·∂L_reg/∂c = sign(c)(a1 ‖c‖₁ + a0) − a2 [+ b1 (1 − 1/‖c‖₂) c]; uses 1[c<0] = (1 − sign c)/2
  const sgn = tf.sign(s.c);
  const n1 = tf.sum(tf.abs(s.c), 1, true); // ‖c‖₁ over paths: [S, 1, G, 1]
  let regStep = tf.sub(tf.mul(sgn, tf.add(tf.mul(n1, k.a1), k.a0)), k.a2);
  if (k.b1) {
    const n2 = tf.sqrt(tf.sum(tf.square(s.c), 1, true)); // ‖c‖₂: [S, 1, G, 1]
    regStep = tf.add(regStep, tf.mul(tf.mul(k.b1, tf.sub(1, tf.reciprocal(n2))), s.c));
  }
  const c = tf.sub(tf.add(s.c, tf.mul(gTask, k.etaC)), regStep) as tf.Tensor4D;
  return { W, c };
}
