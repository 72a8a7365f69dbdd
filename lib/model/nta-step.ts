// The NTA update in float64: the one definition of the model's forward-Euler step on typed
// arrays, used by paper mode's js engine (js-paper.ts) and by stimulus mode's float64 trajectories
// (the fit engine, fit/engine.ts). Its TF.js twin, batched over elements, is train-step.ts: same
// structure, same names (stepSizes, applyUpdate). Tests check both against the independent oracle
// (oracle.ts) and pin their numbers (pinned-paths.test.ts). Equations (docs/science.md, numbered
// there as in the list below; paper §3.2, App. A.1–A.3, A.8):
//   (E1) ŷ = Σ_p c_p W_p x,  W_eff = Σ_p c_p W_p                        docs/science.md §1
//   (E4) G = (Y* − Ŷ)ᵀ X / B = D S,  D = W* − W_eff,  S = XᵀX/B           docs/science.md §2.4
//   (E5) ∂L/∂W_p = −c_p G + 2 λ_W W_p                                    docs/science.md §2.4
//   (E6) ∂L/∂c_p = −⟨W_p, G⟩ + ∂L_reg/∂c_p,
//        ∂L_reg/∂c_p = −λ_nn 1[c_p<0] + 2λ_L1(‖c‖₁−1) sign c_p + 2λ_L2(‖c‖₂−1) c_p/‖c‖₂
//   (E7) W_p ← W_p − η_w ∂L/∂W_p,  c ← c − η_c ∂L/∂c,  η = dt/τ,       docs/science.md §3
//        both from the pre-update values
// Symbols: P paths; d_out (O) × d_in (I); N_g gates per path (1, or d_out with per-neuron gates,
// App. A.8); W [P, d_out, d_in] and c [P, N_g] row-major; G [d_out, d_in].
// The hot loops are specialised (two paths unrolled; one-hot inputs), each specialisation doing the
// arithmetic of the general loop in the same order, so all give the same bits (pinned-paths.test.ts,
// fit/engine.test.ts).
import type { ModelParams } from "./config";

/** The Euler step sizes of one parameter set (E7): η_w = dt/τ_w, η_c = dt/τ_c, and the factor
 * 1 − 2η_wλ_W that the weight-decay term (E5) puts on W. */
export type StepSizes = { etaW: number; etaC: number; decayW: number };

export function stepSizes(dt: number, p: ModelParams): StepSizes {
  const etaW = dt / p.tauW;
  return { etaW, etaC: dt / p.tauC, decayW: 1 - 2 * etaW * p.lambdaW };
}

/** The penalties on the gates (docs/science.md §2.2). */
export type GatePenalties = Pick<ModelParams, "lambdaNonneg" | "lambdaL1" | "lambdaL2">;

/**
 * ∂L_reg/∂c_p (E6) for one gate, given ‖c‖₁ and ‖c‖₂ over the paths of its column and the
 * penalties λ_nn, λ_L1, λ_L2 (scalars, not an object: the hot loops call this per gate and step,
 * with parameter objects of many shapes). At exactly c_p = 0 the nonnegativity subgradient is
 * −½λ_nn, as JAX's max tie (1[c<0] = (1 − sign c)/2).
 */
export function regularizerGradient(
  cp: number,
  norm1: number,
  norm2: number,
  lambdaNonneg: number,
  lambdaL1: number,
  lambdaL2: number,
): number {
  const sgn = Math.sign(cp);
  let r = 2 * lambdaL1 * (norm1 - 1) * sgn - (lambdaNonneg * (1 - sgn)) / 2;
  if (lambdaL2 !== 0 && norm2 > 0) r += 2 * lambdaL2 * (norm2 - 1) * (cp / norm2);
  return r;
}

/**
 * The gate half of (E7), in place: c_p ← c_p + η_c (⟨W_p, G⟩ − ∂L_reg/∂c_p) for every gate.
 * `gTask` [P, N_g] holds ⟨W_p, G⟩ over each gate's entries (= −∂L_task/∂c_p), from pre-update W.
 */
export function updateGates(
  c: Float64Array,
  gTask: Float64Array,
  P: number,
  Ng: number,
  etaC: number,
  pen: GatePenalties,
): void {
  const { lambdaNonneg, lambdaL1, lambdaL2 } = pen;
  for (let g = 0; g < Ng; g++) {
    let norm1 = 0,
      norm2 = 0;
    for (let q = 0; q < P; q++) {
      const v = c[q * Ng + g];
      norm1 += Math.abs(v);
      norm2 += v * v;
    }
    norm2 = Math.sqrt(norm2);
    for (let q = 0; q < P; q++) {
      const k = q * Ng + g;
      const v = c[k];
      const reg = regularizerGradient(v, norm1, norm2, lambdaNonneg, lambdaL1, lambdaL2);
      c[k] = v + etaC * (gTask[k] - reg);
    }
  }
}

/** D = W* − W_eff (E4) into D [d_out, d_in]: per entry W* − c_0 W_0 − c_1 W_1 − …, in path order. */
export function residual(
  D: Float64Array,
  Wstar: Float64Array,
  W: Float64Array,
  c: Float64Array,
  P: number,
  O: number,
  I: number,
  Ng: number,
): void {
  if (P === 2) {
    const w1 = O * I;
    for (let o = 0; o < O; o++) {
      const dr = o * I;
      const c0 = c[Ng === 1 ? 0 : o],
        c1 = c[Ng + (Ng === 1 ? 0 : o)];
      for (let i = 0; i < I; i++) D[dr + i] = Wstar[dr + i] - c0 * W[dr + i] - c1 * W[w1 + dr + i];
    }
    return;
  }
  for (let o = 0; o < O; o++) {
    const dr = o * I;
    for (let i = 0; i < I; i++) D[dr + i] = Wstar[dr + i];
    for (let q = 0; q < P; q++) {
      const cq = c[q * Ng + (Ng === 1 ? 0 : o)];
      const wr = (q * O + o) * I;
      for (let i = 0; i < I; i++) D[dr + i] -= cq * W[wr + i];
    }
  }
}

/**
 * One simultaneous update (E5–E7) of W [P, d_out, d_in] and c [P, N_g], in place, given G
 * [d_out, d_in]: W_p ← (1 − 2η_wλ_W) W_p + η_w c_p G, then the gates from the pre-update c and the
 * ⟨W_p, G⟩ of the pre-update W (accumulated into the scratch gTask [P, N_g] in the same pass).
 */
export function applyUpdate(
  W: Float64Array,
  c: Float64Array,
  G: Float64Array,
  gTask: Float64Array,
  P: number,
  O: number,
  I: number,
  Ng: number,
  s: StepSizes,
  pen: GatePenalties,
): void {
  const { etaW, decayW } = s;
  gTask.fill(0);
  if (P === 2) {
    // both paths in one pass over G; each gate's sum still runs over o (then i) in order
    const w1 = O * I;
    for (let o = 0; o < O; o++) {
      const g0 = Ng === 1 ? 0 : o,
        g1 = Ng + g0;
      const k0 = c[g0] * etaW,
        k1 = c[g1] * etaW;
      const r = o * I;
      let acc0 = 0,
        acc1 = 0;
      for (let i = 0; i < I; i++) {
        const g = G[r + i],
          u = W[r + i],
          v = W[w1 + r + i];
        acc0 += u * g;
        acc1 += v * g;
        W[r + i] = decayW * u + k0 * g;
        W[w1 + r + i] = decayW * v + k1 * g;
      }
      gTask[g0] += acc0;
      gTask[g1] += acc1;
    }
  } else
    for (let q = 0; q < P; q++) {
      for (let o = 0; o < O; o++) {
        const gi = q * Ng + (Ng === 1 ? 0 : o);
        const k = c[gi] * etaW;
        const wr = (q * O + o) * I,
          gr = o * I;
        let acc = 0;
        for (let i = 0; i < I; i++) {
          const w = W[wr + i],
            g = G[gr + i];
          acc += w * g;
          W[wr + i] = decayW * w + k * g;
        }
        gTask[gi] += acc;
      }
    }
  updateGates(c, gTask, P, Ng, s.etaC, pen);
}

/** One stimulus-mode input x as a sparse list: x[idx[k]] = val[k] for k in [from, to). */
export type SparseInput = { idx: Int32Array; val: Float64Array; from: number; to: number };

/**
 * One stimulus-mode step (batch 1, d_out = 1, per-path gates; docs/science.md §10.3) in place on
 * W [P, d_in] and c [P]: returns the pre-update ŷ (E1), then applies (E5–E7) with G = e xᵀ,
 * e = y* − ŷ, which is zero off the input's support. `gTask` [P] is scratch.
 */
export function stimulusStep(
  W: Float64Array,
  c: Float64Array,
  gTask: Float64Array,
  P: number,
  I: number,
  x: SparseInput,
  yStar: number,
  s: StepSizes,
  pen: GatePenalties,
): number {
  const { idx, val, from, to } = x;
  const { etaW, decayW, etaC } = s;
  let y = 0;
  for (let q = 0; q < P; q++) {
    let wx = 0;
    for (let k = from; k < to; k++) wx += W[q * I + idx[k]] * val[k];
    gTask[q] = wx; // W_p x
    y += c[q] * wx; // ŷ = Σ_p c_p W_p x (E1)
  }
  const e = yStar - y;
  for (let q = 0; q < P; q++) {
    if (decayW !== 1) for (let i = 0; i < I; i++) W[q * I + i] *= decayW;
    for (let k = from; k < to; k++) W[q * I + idx[k]] += etaW * c[q] * e * val[k];
    gTask[q] = e * gTask[q]; // ⟨W_p, e xᵀ⟩ = e · W_p x
  }
  updateGates(c, gTask, P, 1, etaC, pen);
  return y;
}

/**
 * stimulusStep over a whole sequence, specialised for what every fit runs: one-hot inputs
 * (x = e_j, so W_p x = W_p[j] and G = e at j), two paths, λ_L2 = λ_W = 0 (so ‖c‖₂ is not needed and
 * W is not decayed). The same arithmetic in the same order (W·1 = W, 0 + a = a exactly), without
 * the inner loops: bit-identical outputs (fit/engine.test.ts), ≈ 2–3× faster. W [2, d_in] is
 * updated in place; returns ŷ_t [N] before each trial's update.
 */
export function stimulusOneHotTwoPaths(
  W: Float64Array,
  initGate: number,
  I: number,
  j: Int32Array,
  yStar: Float64Array,
  s: StepSizes,
  pen: GatePenalties,
): Float64Array {
  const N = yStar.length;
  const { etaW, etaC } = s;
  const { lambdaNonneg, lambdaL1 } = pen;
  let c0 = initGate,
    c1 = initGate;
  const out = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    const j0 = j[t],
      j1 = I + j[t];
    const w0 = W[j0],
      w1 = W[j1];
    const y = c0 * w0 + c1 * w1;
    out[t] = y;
    const e = yStar[t] - y;
    const norm1 = Math.abs(c0) + Math.abs(c1);
    const r0 = regularizerGradient(c0, norm1, 0, lambdaNonneg, lambdaL1, 0),
      r1 = regularizerGradient(c1, norm1, 0, lambdaNonneg, lambdaL1, 0);
    W[j0] = w0 + etaW * c0 * e;
    W[j1] = w1 + etaW * c1 * e;
    c0 = c0 + etaC * (e * w0 - r0);
    c1 = c1 + etaC * (e * w1 - r1);
  }
  return out;
}
