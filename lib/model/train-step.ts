// The NTA update in TF.js: one simultaneous forward-Euler step of the gated linear network,
// batched over a leading dimension E (batch elements = parameter sets × seeds). The twin of the
// float64 definition nta-step.ts: same equations, same names (stepSizes, applyUpdate); tests check
// both against the independent oracle (oracle.ts). Paper §3.2 and App. A.1–A.3, A.8; ref
// lcs/models.py `model`, lcs/joint_learning.py `loss_fn`, `regularization_loss_fn`, `simulate_`
// (@02cb5c4). Equations as numbered in docs/science.md:
//   (E1) ŷ = Σ_p c_p W_p x                          (App. A.8: c_{p,i} per output unit i)
//   (E2) L_task = ½ (1/B) Σ_b Σ_i (y*_bi − ŷ_bi)²   (no 1/d_out)
//   (E4) G = (Y* − Ŷ)ᵀ X / B = D S,  D = W* − W_eff,  S = XᵀX/B [d_in, d_in]
//   (E5) ∂L/∂W_p = −c_p G + 2 λ_W W_p               (App. A.3 weight decay, optional)
//   (E6) ∂L/∂c_p = −⟨W_p, G⟩ − λ_nn 1[c_p<0] + 2λ_L1(‖c‖₁−1) sign c_p + 2λ_L2(‖c‖₂−1) c_p/‖c‖₂
//   (E7) θ ← θ − (dt/τ_θ) ∂L/∂θ, W and c from the same pre-update values
// Shapes: E batch elements, P paths, d_out × d_in, N_g gates per path (1 per path, d_out per
// neuron). All ops are plain matMul/mul/sum (docs/ARCHITECTURE.md §6.2: no einsum).
import * as tf from "@tensorflow/tfjs";

import { type Architecture, type ModelParams, gatesPerPath } from "./config";
import { stepSizes } from "./nta-step";

/** Parameters of the whole batch. */
export type NetState = {
  W: tf.Tensor4D; // [E, P, d_out, d_in]
  c: tf.Tensor4D; // [E, P, N_g, 1], N_g = 1 (per-path gates) or d_out (per-neuron gates, App. A.8)
};

/** Per-element step coefficients (nta-step.ts stepSizes and the penalties), folded once so each
 * update needs few ops (per-op overhead dominates). All [E, 1, 1, 1]. */
export type StepCoefs = {
  etaW: tf.Tensor4D; // η_w = dt/τ_w
  etaC: tf.Tensor4D; // η_c = dt/τ_c
  a1: tf.Tensor4D; // 2 η_c λ_L1
  a0: tf.Tensor4D; // η_c λ_nn/2 − 2 η_c λ_L1
  a2: tf.Tensor4D; // η_c λ_nn/2
  b1: tf.Tensor4D | null; // 2 η_c λ_L2 (null when every λ_L2 = 0)
  wDecay: tf.Tensor4D | null; // 1 − 2 η_w λ_W (null when every λ_W = 0)
  gateAxes: number[]; // axes of ⟨W_p, G⟩ reduced into a gate: [2,3] per path, [3] per neuron
};

export function makeStepCoefs(arch: Architecture, params: readonly ModelParams[]): StepCoefs {
  const sizes = params.map((p) => stepSizes(arch.dt, p)); // η = dt/τ and 1 − 2η_wλ_W (E5, E7)
  const colOf = (f: (p: ModelParams, e: number) => number) =>
    tf.tensor4d(
      params.map((p, e) => f(p, e)),
      [params.length, 1, 1, 1],
      "float32",
    );
  const etaC = (e: number) => sizes[e].etaC;
  const anyL2 = params.some((p) => p.lambdaL2 !== 0);
  const anyW = params.some((p) => p.lambdaW !== 0);
  return {
    etaW: colOf((_, e) => sizes[e].etaW),
    etaC: colOf((_, e) => etaC(e)),
    a1: colOf((p, e) => 2 * etaC(e) * p.lambdaL1),
    a0: colOf((p, e) => (etaC(e) * p.lambdaNonneg) / 2 - 2 * etaC(e) * p.lambdaL1),
    a2: colOf((p, e) => (etaC(e) * p.lambdaNonneg) / 2),
    b1: anyL2 ? colOf((p, e) => 2 * etaC(e) * p.lambdaL2) : null,
    wDecay: anyW ? colOf((_, e) => sizes[e].decayW) : null,
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

/** W_eff = Σ_p c_p W_p (E1): [E, d_out, d_in]. */
export const effectiveWeights = (s: NetState): tf.Tensor3D =>
  tf.sum(tf.mul(s.c, s.W), 1) as tf.Tensor3D;

/** Paper mode (E4): G = D S with D = W* − W_eff (L_task = ½⟨G, D⟩ = ½ tr(D S Dᵀ)). */
export function gradientPaper(
  s: NetState,
  Wstar: tf.Tensor3D, // [1 or E, d_out, d_in]
  S: tf.Tensor3D, // [E, d_in, d_in] second moment XᵀX/B
): { G: tf.Tensor3D; D: tf.Tensor3D } {
  const D = tf.sub(Wstar, effectiveWeights(s)) as tf.Tensor3D; // [E, d_out, d_in]
  return { G: tf.matMul(D, S), D }; // G: [E, d_out, d_in]
}

/** Stimulus mode (batch 1, App. A.10): ŷ = W_eff x (E1), e = y* − ŷ, G = e xᵀ (E4). x and y* are
 * shared across the batch. */
export function gradientStimulus(
  s: NetState,
  x: tf.Tensor3D, // [1, 1, d_in]
  yStar: tf.Tensor2D, // [1, d_out]
): { G: tf.Tensor3D; y: tf.Tensor2D; e: tf.Tensor2D } {
  const y = tf.sum(tf.mul(effectiveWeights(s), x), 2) as tf.Tensor2D; // ŷ = Σ_p c_p W_p x: [E, d_out]
  const e = tf.sub(yStar, y) as tf.Tensor2D; // [E, d_out]
  const G = tf.mul(tf.expandDims(e, 2), x) as tf.Tensor3D; // e xᵀ: [E, d_out, d_in]
  return { G, y, e };
}

/** The simultaneous Euler update (E5–E7) of W and c given G. Returns the new state. */
export function applyUpdate(s: NetState, G: tf.Tensor3D, k: StepCoefs): NetState {
  const G4 = tf.expandDims(G, 1) as tf.Tensor4D; // [E, 1, d_out, d_in]
  // −∂L_task/∂c_p = ⟨W_p, G⟩ (per gate): [E, P, N_g, 1]
  const gTask = tf.sum(tf.mul(s.W, G4), k.gateAxes, true);
  // (E5, E7) W ← W − η_w(−c_p G + 2λ_W W) = (1 − 2η_wλ_W) W + η_w c_p G
  const Wbase = k.wDecay ? tf.mul(s.W, k.wDecay) : s.W;
  const W = tf.add(Wbase, tf.mul(tf.mul(s.c, k.etaW), G4)) as tf.Tensor4D;
  // (E6) η_c·∂L_reg/∂c = sign(c)(a1 ‖c‖₁ + a0) − a2 [+ b1 (1 − 1/‖c‖₂) c]; 1[c<0] = (1 − sign c)/2
  const sgn = tf.sign(s.c);
  const n1 = tf.sum(tf.abs(s.c), 1, true); // ‖c‖₁ over paths: [E, 1, N_g, 1]
  let regStep = tf.sub(tf.mul(sgn, tf.add(tf.mul(n1, k.a1), k.a0)), k.a2);
  if (k.b1) {
    const n2 = tf.sqrt(tf.sum(tf.square(s.c), 1, true)); // ‖c‖₂: [E, 1, N_g, 1]
    regStep = tf.add(regStep, tf.mul(tf.mul(k.b1, tf.sub(1, tf.reciprocal(n2))), s.c));
  }
  const c = tf.sub(tf.add(s.c, tf.mul(gTask, k.etaC)), regStep) as tf.Tensor4D; // (E7)
  return { W, c };
}
