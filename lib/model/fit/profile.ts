// Profile-likelihood intervals (docs/fitting.md "Intervals"). For a quantity q = a·u (one
// parameter in u space, or a log ratio such as log τ_c − log τ_w) the profile is
//   pl(q) = max over the other coordinates of log L,
// and the 95 % interval is {q : 2·(log L̂ − pl(q)) ≤ χ²₁(0.95) = 3.84}. The walk steps out from the
// optimum on each side, re-optimising the other coordinates by Nelder–Mead warm-started from the
// previous point, and interpolates the crossing in √(drop) (exact for a quadratic profile). An end that reaches the parameter box
// before the crossing is clipped to the box and flagged. A profile point better than the optimum
// (the optimiser missed it) is returned so the caller can move the optimum there and profile again.
// The surface is multimodal (e.g. two basins of τ_w with prior knowledge), so a warm start alone can
// stay in the optimum's basin and understate the profile (too narrow an interval, coverage ≈ 60 %):
// every step also starts from the best points the fit has already evaluated near that q (`archive`,
// projected onto q), which brings the other basins in at the cost of a few evaluations, and the
// interval is widened to every evaluated point within the drop (the profile is at least that high).
import { type Box, clampTo, nelderMead } from "./optimise";

/** χ²₁ 95 % quantile / 2: the log-likelihood drop that bounds a 95 % profile interval. */
export const PROFILE_DROP = 3.841458820694124 / 2;

export type ProfileTarget = {
  /** Name of the reported quantity (a parameter name or e.g. "tauRatio"). */
  name: string;
  /** q = Σ coef[i]·u[i]; the pivot (first non-zero coefficient) is solved for, the rest re-optimised. */
  coef: number[];
  /** θ-scale value of q (e.g. exp for log-transformed parameters). */
  toTheta: (q: number) => number;
};

export type ProfileInterval = {
  name: string;
  estimate: number;
  lo: number;
  hi: number;
  /** The interval's end is the box edge (the likelihood did not drop by PROFILE_DROP before it). */
  loAtBound: boolean;
  hiAtBound: boolean;
  evals: number;
};

export type ArchivedPoint = { u: readonly number[]; f: number };

/** Initial simplex of the re-optimisation at a profile step, as a fraction of each coordinate's range. */
const RIDGE_STEP = 0.03;

/** Archived starts tried per profile step (the best by NLL within the step's window of q). */
const ARCHIVE_STARTS = 2;

export type ProfileResult = {
  interval: ProfileInterval;
  better: { u: number[]; f: number } | null;
};

export async function profileInterval(
  nll: (u: number[]) => Promise<number>,
  uHat: readonly number[],
  fHat: number,
  target: ProfileTarget,
  box: Box,
  opts: {
    initialStep?: number;
    maxSteps?: number;
    evalsPerDim?: number;
    /** Points the fit has evaluated (u, NLL), read live: the basins a warm start cannot reach. */
    archive?: readonly ArchivedPoint[];
    /**
     * The multi-start design (u, its ranking score — not comparable with the NLL): its best points
     * near q are tried as starts too (re-scored by the NLL after projection onto q).
     */
    design?: readonly ArchivedPoint[];
  } = {},
): Promise<ProfileResult> {
  const { coef } = target;
  const pivot = coef.findIndex((c) => c !== 0);
  const others = coef.map((_, i) => i).filter((i) => i !== pivot);
  const qOf = (u: readonly number[]) => coef.reduce((acc, c, i) => acc + c * u[i], 0);
  const q0 = qOf(uHat);
  // range of q inside the box (linear in u: extremes at the corners, coordinate by coordinate)
  const qLo = coef.reduce((s, c, i) => s + c * (c > 0 ? box.lo[i] : box.hi[i]), 0);
  const qHi = coef.reduce((s, c, i) => s + c * (c > 0 ? box.hi[i] : box.lo[i]), 0);
  const range = qHi - qLo;
  const subBox = { lo: others.map((i) => box.lo[i]), hi: others.map((i) => box.hi[i]) };
  const build = (x: number[], q: number) => {
    const u = new Array<number>(coef.length);
    others.forEach((i, m) => (u[i] = x[m]));
    u[pivot] = (q - others.reduce((s, i) => s + coef[i] * u[i], 0)) / coef[pivot];
    return u;
  };
  const outside = (u: number[]) =>
    u[pivot] < box.lo[pivot] - 1e-9 || u[pivot] > box.hi[pivot] + 1e-9;
  let evals = 0,
    better: { u: number[]; f: number } | null = null;
  const maxSteps = opts.maxSteps ?? 14;
  /** The crossing is interpolated between points at most this far apart (in q). */
  const minStep = range / 48;
  const ends: { q: number; atBound: boolean }[] = [];
  for (const side of [-1, 1]) {
    let step = Math.min(range / 4, Math.max(range / 60, opts.initialStep ?? range / 12));
    const path = [{ q: q0, x: others.map((i) => uHat[i]) }];
    let prev = { q: q0, d: 0 },
      x = others.map((i) => uHat[i]);
    let end: { q: number; atBound: boolean } | null = null;
    for (let s = 0; s < maxSteps && !end; s++) {
      const edge = side < 0 ? qLo : qHi;
      const q = side < 0 ? Math.max(edge, prev.q - step) : Math.min(edge, prev.q + step);
      const inner = async (z: number[]) => {
        const u = build(z, q);
        return outside(u) ? 1e12 : nll(u);
      };
      // a small simplex: the profile path is a narrow curved ridge (e.g. τ_w down ⇒ τ_c and λ up),
      // which a simplex spanning a tenth of the box does not follow within the budget
      const budget = {
        maxEvals: (opts.evalsPerDim ?? 24) * Math.max(1, others.length),
        step: subBox.lo.map((lo, m) => RIDGE_STEP * (subBox.hi[m] - lo)),
      };
      // predictor: the other coordinates extrapolated along the path walked so far (secant)
      let x0 = x;
      if (path.length >= 2) {
        const [a, b] = path.slice(-2);
        const t = (q - b.q) / (b.q - a.q);
        const pred = clampTo(
          subBox,
          b.x.map((v, m) => v + t * (v - a.x[m])),
        );
        const [fWarm, fPred] = [await inner(x), await inner(pred)];
        evals += 2;
        if (fPred < fWarm) x0 = pred;
      }
      let r = await nelderMead(inner, x0, subBox, budget);
      evals += r.evals;
      if (r.f - fHat > PROFILE_DROP / 2) {
        // the surface is rugged: a warm start can stall in a local dip and overstate the drop
        // (too narrow an interval), so also start from the optimum's other coordinates
        const r2 = await nelderMead(
          inner,
          others.map((i) => uHat[i]),
          subBox,
          budget,
        );
        evals += r2.evals;
        if (r2.f < r.f) r = r2;
      }
      {
        // the best evaluated points (and design points) within half a step of q, projected onto
        // q: another basin's point at nearly the same q is a start the warm start cannot reach
        const nearest = (pts: readonly ArchivedPoint[] | undefined, below: number) => {
          const near: ArchivedPoint[] = [];
          for (const a of pts ?? []) {
            if (Math.abs(qOf(a.u) - q) > step / 2 || !(a.f < below)) continue;
            near.push(a);
            near.sort((m, n) => m.f - n.f);
            if (near.length > ARCHIVE_STARTS) near.pop();
          }
          return near;
        };
        let start: { x: number[]; f: number } | null = null;
        for (const a of [...nearest(opts.archive, r.f), ...nearest(opts.design, Infinity)]) {
          const z = clampTo(
            subBox,
            others.map((i) => a.u[i]),
          );
          const f = await inner(z);
          evals++;
          if (f < r.f && (!start || f < start.f)) start = { x: z, f };
        }
        if (start) {
          const r3 = await nelderMead(inner, start.x, subBox, budget);
          evals += r3.evals;
          if (r3.f < r.f) r = r3;
        }
      }
      const d = r.f - fHat;
      if (d < -0.05 && (!better || r.f < better.f)) better = { u: build(r.x, q), f: r.f };
      if (d >= 3 * PROFILE_DROP && s < maxSteps - 1) {
        step /= 3; // overshot far past the crossing: come back closer before interpolating
      } else if (d >= PROFILE_DROP && step > minStep && s < maxSteps - 1) {
        // crossed: walk up to it in half steps, so that the warm start and the predictor follow
        // the ridge (one long jump off the path overstates the drop: too narrow an interval)
        step /= 2;
      } else if (d >= PROFILE_DROP) {
        // interpolate in √drop, which is linear in q for a quadratic profile
        const a = Math.sqrt(prev.d),
          b = Math.sqrt(d);
        end = {
          q: prev.q + ((q - prev.q) * (Math.sqrt(PROFILE_DROP) - a)) / (b - a),
          atBound: false,
        };
      } else if (q === edge) {
        end = { q: edge, atBound: true };
      } else {
        prev = { q, d: Math.max(prev.d, d) };
        x = r.x;
        path.push({ q, x: r.x });
        if (d < PROFILE_DROP / 4) step *= 2; // flat: stride out faster
      }
    }
    // ran out of steps while still inside the drop: the profile is flat that far, report the last point
    ends.push(end ?? { q: prev.q, atBound: true });
  }
  // Envelope: every evaluated point within the drop lies inside the interval (pl(q(u)) ≥ −f(u)),
  // so the interval reaches at least the extreme q of those points — a free lower bound on the
  // profile that the walk, on a jagged surface, can fall short of.
  for (const pt of opts.archive ?? []) {
    if (pt.f - fHat > PROFILE_DROP) continue;
    const q = qOf(pt.u);
    if (q < ends[0].q) ends[0] = { q, atBound: q <= qLo + 1e-9 };
    if (q > ends[1].q) ends[1] = { q, atBound: q >= qHi - 1e-9 };
  }
  const [a, b] = [target.toTheta(ends[0].q), target.toTheta(ends[1].q)];
  return {
    interval: {
      name: target.name,
      estimate: target.toTheta(q0),
      lo: Math.min(a, b),
      hi: Math.max(a, b),
      loAtBound: a <= b ? ends[0].atBound : ends[1].atBound,
      hiAtBound: a <= b ? ends[1].atBound : ends[0].atBound,
      evals,
    },
    better,
  };
}
