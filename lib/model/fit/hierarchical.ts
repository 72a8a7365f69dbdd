// Group-informed (empirical-Bayes) estimates over a study's participants (docs/fitting.md
// "Group-informed estimates"). One participant's 480 trials identify τ_c/τ_w only weakly: the
// likelihood has a long, flat ridge (a lower τ_w trades against a higher τ_c and λ) on which the
// maximum-likelihood point wanders, by up to 2 log units for a few tenths of a log-likelihood unit.
// Pooling the participants of a study gives that flat direction the information it lacks: a
// population prior N(μ, diag σ²) over the model's transformed parameters u is estimated from all of
// them, and each participant's estimate becomes the maximum of likelihood × prior (MAP).
//
// Expectation–maximisation with a Laplace approximation (Huys et al. 2011, PLoS Comput Biol 7;
// the "emfit" scheme of computational psychiatry):
//   M-step  μ_j = mean_i m_ij,   σ_j² = mean_i [(m_ij − μ_j)² + V_ij]   (floored at SD_FLOOR²)
//   E-step  m_i = argmin_u NLL_i(u) + ½ Σ_j (u_j − μ_j)² / σ_j²   (Nelder–Mead from m_i and from μ)
//           V_i = diag of the inverse Hessian of that objective at m_i (the prior variance where it
//           is not positive definite)
// starting from the maximum-likelihood estimates (m_i = û_i, V_i = 0), for a fixed number of rounds.
// A well-identified parameter hardly moves (its likelihood is much sharper than the prior); a
// parameter on a flat ridge is pulled toward the group. The estimates are point estimates: the
// participant's own profile-likelihood intervals (fit.ts) stay the honest statement of uncertainty
// (the Laplace curvature of the jagged Monte-Carlo likelihood understates it: measured coverage of
// ±1.96·√V was 0–20 % for τ_w and τ_c).
import { type Box, invertSpd, nelderMead, numericalHessian } from "./optimise";
import { type ProfileTarget } from "./profile";
import { type ModelName, type Theta, type LinkName, thetaFromU } from "./transforms";

export type GroupMember = {
  /** The participant's negative log-likelihood at many points u (one batch; fit.ts marginalNll). */
  nllBatch: (us: number[][]) => Promise<number[]>;
  /** The participant's maximum-likelihood estimate in u. */
  u: readonly number[];
};

export type GroupPrior = { mean: number[]; sd: number[] };

export type GroupFit = {
  /** The population prior of the last E-step (u space). */
  prior: GroupPrior;
  /** Per member, in input order: the MAP estimate in u and its objective value. */
  members: { u: number[]; objective: number }[];
  iterations: number;
  evals: number;
};

/** Fewest participants whose estimates inform a population prior (fewer: no group estimate). */
export const GROUP_MIN_MEMBERS = 5;
/** EM rounds (each: one M-step, one E-step over every member). */
export const GROUP_ITERATIONS = 3;
/** Smallest prior sd in u: a group whose estimates agree still leaves each member room to differ. */
export const SD_FLOOR = 0.05;
/** Hessian step in u for the Laplace variances. */
const HESSIAN_STEP = 0.02;

export async function empiricalBayes(
  members: readonly GroupMember[],
  box: Box,
  opts: {
    iterations?: number;
    onProgress?: (fraction: number, message: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<GroupFit> {
  const n = members.length;
  if (n < GROUP_MIN_MEMBERS)
    throw new Error(`A group prior needs at least ${GROUP_MIN_MEMBERS} participants, got ${n}`);
  const k = box.lo.length;
  for (const m of members)
    if (m.u.length !== k) throw new Error(`Expected ${k} parameters, got ${m.u.length}`);
  const iterations = opts.iterations ?? GROUP_ITERATIONS;
  const step = box.lo.map((lo, j) => 0.05 * (box.hi[j] - lo));
  const m = members.map((x) => x.u.slice());
  const V = members.map(() => new Array<number>(k).fill(0));
  const objective = members.map(() => NaN);
  let prior: GroupPrior = { mean: [], sd: [] };
  let evals = 0;
  for (let it = 0; it < iterations; it++) {
    prior = mStep(m, V);
    const { mean, sd } = prior;
    const penalty = (u: readonly number[]) =>
      u.reduce((s, x, j) => s + (0.5 * (x - mean[j]) ** 2) / (sd[j] * sd[j]), 0);
    for (const [i, member] of members.entries()) {
      if (opts.signal?.aborted) throw new Error("Fit cancelled");
      opts.onProgress?.(
        (it * n + i) / (iterations * n),
        `group-informed estimates: round ${it + 1}/${iterations}, participant ${i + 1}/${n}`,
      );
      const batch = async (us: number[][]) => {
        evals += us.length;
        return (await member.nllBatch(us)).map((f, j) => f + penalty(us[j]));
      };
      const f = async (u: number[]) => (await batch([u]))[0];
      let best = await nelderMead(f, m[i], box, { maxEvals: 100 * k, step });
      const fromMean = await nelderMead(f, mean.slice(), box, { maxEvals: 100 * k, step });
      if (fromMean.f < best.f) best = fromMean;
      m[i] = best.x;
      objective[i] = best.f;
      const H = await numericalHessian(batch, best.x, new Array<number>(k).fill(HESSIAN_STEP));
      const inv = invertSpd(H);
      V[i] = inv ? inv.map((row, j) => Math.max(0, row[j])) : sd.map((s) => s * s);
    }
  }
  opts.onProgress?.(1, "group-informed estimates: done");
  return { prior, members: m.map((u, i) => ({ u, objective: objective[i] })), iterations, evals };
}

/** The M-step: the population mean and sd of the members' estimates (with their posterior variances). */
export function mStep(
  m: readonly (readonly number[])[],
  V: readonly (readonly number[])[],
): GroupPrior {
  const n = m.length,
    k = m[0].length;
  const mean = Array.from({ length: k }, (_, j) => m.reduce((s, u) => s + u[j], 0) / n);
  const sd = Array.from({ length: k }, (_, j) =>
    Math.max(
      SD_FLOOR,
      Math.sqrt(m.reduce((s, u, i) => s + (u[j] - mean[j]) ** 2 + V[i][j], 0) / n),
    ),
  );
  return { mean, sd };
}

/** A group-informed estimate in θ units, with the profiled quantities (e.g. tauRatio) beside it. */
export type GroupInformedEstimate = {
  theta: Theta;
  /** The quantities people read (participant.ts profileTargets), e.g. tauRatio = τ_c/τ_w. */
  quantities: Record<string, number>;
  /** Participants whose fits made the prior. */
  n: number;
  iterations: number;
};

/** The θ and read quantities of a MAP estimate u. */
export function groupInformedEstimate(
  model: ModelName,
  link: LinkName,
  u: readonly number[],
  targets: readonly ProfileTarget[],
  n: number,
  iterations: number,
): GroupInformedEstimate {
  return {
    theta: thetaFromU(model, u, link),
    quantities: Object.fromEntries(
      targets.map((t) => [t.name, t.toTheta(t.coef.reduce((s, c, j) => s + c * u[j], 0))]),
    ),
    n,
    iterations,
  };
}
