// Derivative-free optimisation for the fits: a Latin-hypercube multi-start design, a box-bounded
// Nelder–Mead (Nelder & Mead 1965; the adaptive coefficients of Gao & Han 2012, Comput. Optim.
// Appl. 51:259), and a central-difference Hessian whose stencil is evaluated as one batch.
import type { Rng } from "@/lib/core/rng";

export type Box = { lo: readonly number[]; hi: readonly number[] };
export type Objective = (x: number[]) => Promise<number> | number;
export type BatchObjective = (xs: number[][]) => Promise<number[]>;

export const clampTo = (box: Box, x: number[]): number[] =>
  x.map((v, i) => Math.min(box.hi[i], Math.max(box.lo[i], v)));

/** n points in the box, one per stratum along every axis (Latin hypercube, McKay et al. 1979). */
export function latinHypercube(n: number, box: Box, rng: Rng): number[][] {
  const d = box.lo.length;
  const columns = Array.from({ length: d }, () => {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    return perm;
  });
  return Array.from({ length: n }, (_, k) =>
    columns.map((perm, j) => box.lo[j] + ((perm[k] + rng.next()) / n) * (box.hi[j] - box.lo[j])),
  );
}

export type NelderMeadResult = { x: number[]; f: number; evals: number; converged: boolean };

/**
 * Minimise f inside the box (points are clamped onto it). Stops when the simplex's f-spread is
 * below fTol and its extent below xTol, or after maxEvals evaluations.
 */
export async function nelderMead(
  f: Objective,
  x0: number[],
  box: Box,
  opts: { step?: number[]; maxEvals?: number; fTol?: number; xTol?: number } = {},
): Promise<NelderMeadResult> {
  const n = x0.length;
  const { maxEvals = 200 * n, fTol = 1e-6, xTol = 1e-4 } = opts;
  const step = opts.step ?? box.lo.map((lo, i) => 0.1 * (box.hi[i] - lo));
  // Gao & Han (2012) coefficients: better than the classic (1, 2, ½, ½) in higher dimensions.
  const alpha = 1,
    gamma = 1 + 2 / n,
    rho = 0.75 - 1 / (2 * n),
    sigma = 1 - 1 / n;
  let evals = 0;
  const F = async (x: number[]) => {
    evals++;
    const v = await f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const start = clampTo(box, x0);
  let simplex: { x: number[]; f: number }[] = [{ x: start, f: await F(start) }];
  for (let i = 0; i < n; i++) {
    const x = start.slice();
    x[i] = x[i] + step[i] <= box.hi[i] ? x[i] + step[i] : x[i] - step[i]; // step inward at the box edge
    const xc = clampTo(box, x);
    simplex.push({ x: xc, f: await F(xc) });
  }
  const combine = (a: number[], b: number[], t: number) =>
    clampTo(
      box,
      a.map((v, i) => v + t * (b[i] - v)),
    );
  while (evals < maxEvals) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0],
      worst = simplex[n];
    const extent = Math.max(
      ...simplex.slice(1).map((s) => Math.max(...s.x.map((v, i) => Math.abs(v - best.x[i])))),
    );
    if (worst.f - best.f < fTol && extent < xTol)
      return { x: best.x, f: best.f, evals, converged: true };
    const centroid = Array.from(
      { length: n },
      (_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i], 0) / n,
    );
    const xr = combine(centroid, worst.x, -alpha);
    const fr = await F(xr);
    if (fr < best.f) {
      const xe = combine(centroid, worst.x, -alpha * gamma);
      const fe = await F(xe);
      simplex[n] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
      continue;
    }
    if (fr < simplex[n - 1].f) {
      simplex[n] = { x: xr, f: fr };
      continue;
    }
    // contraction: outside if the reflection improved on the worst point, else inside
    const xc = fr < worst.f ? combine(centroid, xr, rho) : combine(centroid, worst.x, rho);
    const fc = await F(xc);
    if (fc < Math.min(fr, worst.f)) {
      simplex[n] = { x: xc, f: fc };
      continue;
    }
    const shrunk = [best];
    for (const p of simplex.slice(1)) {
      const xs = combine(best.x, p.x, sigma);
      shrunk.push({ x: xs, f: await F(xs) });
    }
    simplex = shrunk;
  }
  simplex.sort((a, b) => a.f - b.f);
  return { x: simplex[0].x, f: simplex[0].f, evals, converged: false };
}

/**
 * Central-difference Hessian of f at x with steps h (one batch of 1 + 2n + 4·n(n−1)/2 points).
 * Points outside the box are not clamped: the caller's objective must accept them.
 */
export async function numericalHessian(
  f: BatchObjective,
  x: number[],
  h: number[],
): Promise<number[][]> {
  const n = x.length;
  const shift = (d: [number, number][]) =>
    x.map((v, i) => v + d.filter(([j]) => j === i).reduce((s, [, k]) => s + k * h[i], 0));
  const pts: number[][] = [x.slice()];
  for (let i = 0; i < n; i++) pts.push(shift([[i, 1]]), shift([[i, -1]]));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      pts.push(
        shift([
          [i, 1],
          [j, 1],
        ]),
        shift([
          [i, 1],
          [j, -1],
        ]),
        shift([
          [i, -1],
          [j, 1],
        ]),
        shift([
          [i, -1],
          [j, -1],
        ]),
      );
  const v = await f(pts);
  const f0 = v[0];
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) H[i][i] = (v[1 + 2 * i] - 2 * f0 + v[2 + 2 * i]) / (h[i] * h[i]);
  let k = 1 + 2 * n;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const [pp, pm, mp, mm] = v.slice(k, k + 4);
      k += 4;
      H[i][j] = H[j][i] = (pp - pm - mp + mm) / (4 * h[i] * h[j]);
    }
  return H;
}

/** Inverse of a symmetric positive-definite matrix by Cholesky, or null if it is not PD. */
export function invertSpd(A: number[][]): number[][] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  // A⁻¹ = L⁻ᵀ L⁻¹, column by column
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
      y[i] = s / L[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= L[k][i] * inv[k][c];
      inv[i][c] = s / L[i][i];
    }
  }
  return inv;
}
