// Independent float64 reference of one NTA update on an explicit batch, written from docs/science.md
// (E1)–(E7) directly (no S = XᵀX/B shortcut, no shared code with the engines), one batch element
// at a time. The tests' one oracle: they check the float64 update (nta-step.ts), the batched TF.js
// update (train-step.ts) and the Wishart data stream against it.
import { type Architecture, type ModelParams, gatesPerPath } from "./config";

export type OracleState = {
  W: Float64Array; // [P, d_out, d_in]
  c: Float64Array; // [P, N_g]
};

/** One Euler step on batch X [B, d_in] with targets Ystar [B, d_out]; returns the new state and
 * the pre-update task loss ½ (1/B) Σ_b Σ_i (y*_bi − y_bi)². */
export function oracleStep(
  arch: Architecture,
  p: ModelParams,
  st: OracleState,
  X: Float64Array,
  Ystar: Float64Array,
  B: number,
): { state: OracleState; loss: number } {
  const { paths: P, dOut: O, dIn: I } = arch;
  const Ng = gatesPerPath(arch);
  const gate = (q: number, i: number) => st.c[q * Ng + (Ng === 1 ? 0 : i)];
  const G = new Float64Array(O * I); // (Y* − Ŷ)ᵀ X / B (E4)
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < O; i++) {
      let y = 0;
      for (let q = 0; q < P; q++) {
        let wx = 0;
        for (let j = 0; j < I; j++) wx += st.W[(q * O + i) * I + j] * X[b * I + j];
        y += gate(q, i) * wx;
      }
      const e = Ystar[b * O + i] - y;
      loss += (0.5 * e * e) / B;
      for (let j = 0; j < I; j++) G[i * I + j] += (e * X[b * I + j]) / B;
    }
  }
  const W = new Float64Array(st.W.length);
  const c = new Float64Array(st.c.length);
  const gcTask = new Float64Array(P * Ng);
  for (let q = 0; q < P; q++) {
    for (let i = 0; i < O; i++) {
      for (let j = 0; j < I; j++) {
        const k = (q * O + i) * I + j;
        gcTask[q * Ng + (Ng === 1 ? 0 : i)] -= st.W[k] * G[i * I + j];
        const gW = -gate(q, i) * G[i * I + j] + 2 * p.lambdaW * st.W[k];
        W[k] = st.W[k] - (arch.dt / p.tauW) * gW;
      }
    }
  }
  for (let g = 0; g < Ng; g++) {
    let n1 = 0,
      n2 = 0;
    for (let q = 0; q < P; q++) {
      n1 += Math.abs(st.c[q * Ng + g]);
      n2 += st.c[q * Ng + g] ** 2;
    }
    n2 = Math.sqrt(n2);
    for (let q = 0; q < P; q++) {
      const cq = st.c[q * Ng + g];
      const reg =
        (cq < 0 ? -p.lambdaNonneg : cq === 0 ? -p.lambdaNonneg / 2 : 0) +
        2 * p.lambdaL1 * (n1 - 1) * Math.sign(cq) +
        (n2 > 0 ? (2 * p.lambdaL2 * (n2 - 1) * cq) / n2 : 0);
      c[q * Ng + g] = cq - (arch.dt / p.tauC) * (gcTask[q * Ng + g] + reg);
    }
  }
  return { state: { W, c }, loss };
}
