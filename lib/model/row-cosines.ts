// The row cosines that the js paper-mode engine (js-paper.ts) logs at tape steps
// (docs/science.md §5.3), on one element's Float64Array W [P, d_out, d_in].
import type { Architecture } from "./config";

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

/** cos_sim[p, m] = (1/d_out) Σ_i cos(W*_m[i,:], W_p[i,:]) into out[off…off+P·M). */
export function rowCosinesInto(
  arch: Architecture,
  W: Float64Array,
  teachers: Float64Array[],
  tInv: Float64Array,
  out: Float32Array,
  off: number,
): void {
  const { paths: P, dOut: O, dIn: I } = arch;
  const M = teachers.length;
  if (M === 2) {
    // one pass over each W row for its norm and both teacher dots (same sums, same order)
    const T0 = teachers[0],
      T1 = teachers[1];
    for (let q = 0; q < P; q++) {
      const k = off + q * 2;
      out[k] = 0;
      out[k + 1] = 0;
      for (let o = 0; o < O; o++) {
        const wr = (q * O + o) * I,
          tr = o * I;
        let nw = 0,
          d0 = 0,
          d1 = 0;
        for (let i = 0; i < I; i++) {
          const w = W[wr + i];
          nw += w * w;
          d0 += w * T0[tr + i];
          d1 += w * T1[tr + i];
        }
        const inv = 1 / Math.sqrt(nw);
        out[k] += (d0 * inv * tInv[o]) / O;
        out[k + 1] += (d1 * inv * tInv[O + o]) / O;
      }
    }
    return;
  }
  for (let q = 0; q < P; q++) {
    for (let m = 0; m < M; m++) out[off + q * M + m] = 0;
    for (let o = 0; o < O; o++) {
      const wr = (q * O + o) * I;
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
