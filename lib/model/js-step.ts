// Plain-TypeScript engine for paper mode: the same simultaneous Euler update as train-step.ts
// (spec §2.4, §3), on Float64Array state, looping over the batch. For this model's sizes
// (d ≤ 20) per-op overhead dominates TF.js, and stack-notes §7 measured plain typed-array loops
// as the fastest option; runPaper uses this engine by default in paper mode, and the tests
// check it against the tfjs engine on identical data streams.
import { type Architecture, type ModelParams, gatesPerPath } from "./config";

export type JsState = {
  W: Float64Array; // [E, P, d_out, d_in]
  c: Float64Array; // [E, P, G]
};

/**
 * Advance every element by one step using its second moment S_e (S: Float32Array, element e at
 * offset sOff + e·d_in²) and target W* ([d_out, d_in]). Writes the pre-update loss ½ tr(D S Dᵀ)
 * into loss[e]. Scratch arrays are passed in to avoid allocation.
 */
export function jsStep(
  arch: Architecture, params: readonly ModelParams[], st: JsState, Wstar: Float64Array,
  S: Float32Array, sOff: number, loss: Float64Array, scratch: { D: Float64Array; G: Float64Array; gc: Float64Array; T?: Float64Array },
  /** "S": S holds XᵀX/B per element (d_in²); "factor": S holds F and Fᵀ per element (2·d_in², random.ts sampleGramFactor). */
  data: "S" | "factor" = "S",
): void {
  const { paths: P, dOut: O, dIn: I, dt } = arch;
  const Gd = gatesPerPath(arch);
  const E = params.length;
  const { D, G, gc } = scratch;
  const per = P * O * I;
  const W = st.W, C = st.c;
  for (let e = 0; e < E; e++) {
    const p = params[e];
    const w0 = e * per, c0 = e * P * Gd, s0 = sOff + e * I * I * (data === "S" ? 1 : 2);
    // D = W* − Σ_p c_p W_p: [O, I]
    for (let o = 0; o < O; o++) {
      for (let i = 0; i < I; i++) D[o * I + i] = Wstar[o * I + i];
      for (let q = 0; q < P; q++) {
        const cq = C[c0 + q * Gd + (Gd === 1 ? 0 : o)];
        const wr = w0 + (q * O + o) * I;
        for (let i = 0; i < I; i++) D[o * I + i] -= cq * W[wr + i];
      }
    }
    let L = 0;
    if (data === "S") {
      // G = D S with S symmetric: G[o,i] = Σ_k D[o,k] S[i,k] (contiguous dot products); L = ½ ⟨G, D⟩
      for (let o = 0; o < O; o++) {
        const dr = o * I;
        for (let i = 0; i < I; i++) {
          const sr = s0 + i * I;
          let a = 0;
          for (let k = 0; k < I; k++) a += D[dr + k] * S[sr + k];
          G[dr + i] = a;
          L += a * D[dr + i];
        }
      }
    } else {
      // S = F Fᵀ, F lower-triangular: T = D F (T[o,j] = Σ_{k≥j} D[o,k] Fᵀ[j,k]), L = ½‖T‖²,
      // G = T Fᵀ (G[o,i] = Σ_{j≤i} T[o,j] F[i,j]); both products contiguous and triangular
      const Tm = scratch.T!;
      const ft = s0 + I * I;
      for (let o = 0; o < O; o++) {
        const dr = o * I;
        for (let j = 0; j < I; j++) {
          const fr = ft + j * I;
          let a = 0;
          for (let k = j; k < I; k++) a += D[dr + k] * S[fr + k];
          Tm[dr + j] = a;
          L += a * a;
        }
        for (let i = 0; i < I; i++) {
          const fr = s0 + i * I;
          let a = 0;
          for (let j = 0; j <= i; j++) a += Tm[dr + j] * S[fr + j];
          G[dr + i] = a;
        }
      }
    }
    loss[e] = 0.5 * L;
    // −∂L_task/∂c = ⟨W_p, G⟩ per gate; W ← (1 − 2η_wλ_W) W + η_w c_p G (same pre-update c)
    const etaW = dt / p.tauW, etaC = dt / p.tauC, decay = 1 - 2 * etaW * p.lambdaW;
    gc.fill(0, 0, P * Gd);
    for (let q = 0; q < P; q++) {
      for (let o = 0; o < O; o++) {
        const gi = q * Gd + (Gd === 1 ? 0 : o);
        const cq = C[c0 + gi] * etaW;
        let acc = 0;
        for (let i = 0; i < I; i++) {
          const k = w0 + (q * O + o) * I + i;
          const g = G[o * I + i];
          acc += W[k] * g;
          W[k] = decay * W[k] + cq * g;
        }
        gc[gi] += acc;
      }
    }
    // c ← c − η_c(−⟨W_p, G⟩ − λ_nn 1[c<0] + 2λ_L1(‖c‖₁−1) sign c + 2λ_L2(‖c‖₂−1) c/‖c‖₂)
    for (let g = 0; g < Gd; g++) {
      let n1 = 0, n2 = 0;
      for (let q = 0; q < P; q++) {
        const v = st.c[c0 + q * Gd + g];
        n1 += Math.abs(v);
        n2 += v * v;
      }
      n2 = Math.sqrt(n2);
      for (let q = 0; q < P; q++) {
        const v = st.c[c0 + q * Gd + g];
        const sgn = Math.sign(v);
        const reg = (p.lambdaNonneg * (sgn - 1)) / 2 + 2 * p.lambdaL1 * (n1 - 1) * sgn + (n2 > 0 ? (2 * p.lambdaL2 * (n2 - 1) * v) / n2 : 0);
        st.c[c0 + q * Gd + g] = v + etaC * (gc[q * Gd + g] - reg);
      }
    }
  }
}

/** Inverse norms 1/‖W*_m[i,:]‖: [M, d_out], computed once per run. */
export function teacherRowInvNorms(teachers: Float64Array[], O: number, I: number): Float64Array {
  const out = new Float64Array(teachers.length * O);
  teachers.forEach((T, m) => {
    for (let o = 0; o < O; o++) {
      let n = 0;
      for (let i = 0; i < I; i++) n += T[o * I + i] ** 2;
      out[m * O + o] = 1 / Math.sqrt(n);
    }
  });
  return out;
}

/** cos_sim[p, m] = (1/d_out) Σ_i cos(W*_m[i,:], W_p[i,:]) for element e into out[off…off+P·M). */
export function jsRowCosines(
  arch: Architecture, st: JsState, e: number, teachers: Float64Array[], tInv: Float64Array, out: Float32Array, off: number,
): void {
  const { paths: P, dOut: O, dIn: I } = arch;
  const M = teachers.length;
  const W = st.W;
  for (let q = 0; q < P; q++) {
    for (let m = 0; m < M; m++) out[off + q * M + m] = 0;
    for (let o = 0; o < O; o++) {
      const wr = e * P * O * I + (q * O + o) * I;
      let nw = 0;
      for (let i = 0; i < I; i++) nw += W[wr + i] * W[wr + i];
      const inv = 1 / Math.sqrt(nw);
      for (let m = 0; m < M; m++) {
        const T = teachers[m];
        let dot = 0;
        for (let i = 0; i < I; i++) dot += W[wr + i] * T[o * I + i];
        out[off + q * M + m] += (dot * inv * tInv[m * O + o]) / O;
      }
    }
  }
}
