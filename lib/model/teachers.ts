// Teachers W*_m (docs/science.md §1.1; ref lcs/joint_learning.py `generate_teachers`, mode "orthogonal",
// scale "d_in"): the first M·d_out rows of a fixed Haar-random orthogonal matrix, scaled by 1/√d_in,
// split into M teachers of d_out rows. Identical for every seed. App. A.9 non-orthogonal variant:
// teacher m ≥ 1 is rotated towards teacher 0 so that cos(W*_0 row i, W*_m row i) = overlap.
import { REF_TEACHER_SEED } from "./config";
import { FastRng } from "./random";

/** Haar-random orthogonal d×d matrix (Gram–Schmidt on a Gaussian matrix), rows orthonormal. */
export function haarOrthogonal(d: number, seed: number): Float64Array[] {
  const rng = new FastRng(seed);
  const rows: Float64Array[] = [];
  while (rows.length < d) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    for (const r of rows) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += v[j] * r[j];
      for (let j = 0; j < d; j++) v[j] -= dot * r[j];
    }
    const n = Math.hypot(...v);
    if (n < 1e-8) continue;
    for (let j = 0; j < d; j++) v[j] /= n;
    rows.push(v);
  }
  return rows;
}

export type TeacherSpec = { count: number; overlap?: number; seed?: number };

/** Teachers as M matrices of shape [d_out, d_in] (row-major Float64Array of length d_out·d_in). */
export function makeTeachers(dIn: number, dOut: number, spec: TeacherSpec): Float64Array[] {
  const M = spec.count;
  const overlap = spec.overlap ?? 0;
  if (!(overlap >= 0 && overlap < 1))
    throw new Error(`Expected teacher overlap in [0, 1), but got ${overlap}`);
  if (M * dOut > dIn) {
    throw new Error(
      `Orthogonal teachers need M·d_out ≤ d_in, but got M=${M}, d_out=${dOut}, d_in=${dIn}`,
    );
  }
  const R = haarOrthogonal(dIn, spec.seed ?? REF_TEACHER_SEED);
  const scale = 1 / Math.sqrt(dIn); // every singular value 1/√d_in (docs/science.md §1.1 step 3)
  const s = Math.sqrt(1 - overlap * overlap);
  return Array.from({ length: M }, (_, m) => {
    const W = new Float64Array(dOut * dIn); // W*_m: [d_out, d_in]
    for (let i = 0; i < dOut; i++) {
      const own = R[m * dOut + i];
      const base = R[i]; // teacher 0's row i
      for (let j = 0; j < dIn; j++) {
        // A.9: W*_m = overlap·W*_0 + √(1−overlap²)·(orthogonal part), m ≥ 1
        const v = m === 0 || overlap === 0 ? own[j] : overlap * base[j] + s * own[j];
        W[i * dIn + j] = v * scale;
      }
    }
    return W;
  });
}
