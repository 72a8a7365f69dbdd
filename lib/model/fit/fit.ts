// Maximum-likelihood fit of one model (an NTA variant or a baseline) to one participant's choices
// (docs/science.md §10.5; docs/fitting.md). Four stages:
//  1. multi-start design: `designSize` Latin-hypercube points over the model's trajectory parameters,
//     ALL evaluated in one engine call (the float64 engine, participant.ts); β and lapse do not
//     change the trajectory, so each point's outputs are scored analytically on a (β, lapse) grid;
//  2. Nelder–Mead from the best `starts` design points in the full transformed space:
//     a short probe from each, the full budget for the best PURSUED probes, then one restart from the winner;
//  3. profile-likelihood intervals (profile.ts) for the quantities people read, walked along the
//     likelihood ridge with starts from every point evaluated so far;
//  4. a central-difference Hessian of the NLL in u space (one batch) → standard errors by the delta
//     method, for the parameters without a profile.
// Link "ddm" (choices + response times) adds the diffusion's boundary and non-decision time: the
// design still ranks trajectories by the choice grid, then the link parameters of the best
// LINK_CANDIDATES × starts points are optimised with their trajectories fixed (cheap: no model
// reruns) and the points re-ranked by the full likelihood before the joint Nelder–Mead.
import { createRng } from "@/lib/core/rng";

import { type FitData, countObservations, marginalLinkLogLikelihood } from "./likelihood";
import { type Box, invertSpd, latinHypercube, nelderMead, numericalHessian } from "./optimise";
import {
  type ArchivedPoint,
  type ProfileInterval,
  type ProfileTarget,
  profileInterval,
} from "./profile";
import {
  FIXED_PARAMS,
  type LinkName,
  type ModelName,
  type ParamSpec,
  type Theta,
  boundsU,
  dThetaDu,
  fromU,
  isTrajectoryParam,
  linkIndices,
  paramSpecs,
  thetaFromU,
  toU,
} from "./transforms";

/**
 * Signed evidence ŷ_t per trial for many parameter sets: S trajectories per θ (S model
 * initialisations for the NTA models, 1 for the deterministic baselines), parameter-major.
 */
export type TrajectoryEngine = (thetas: readonly Theta[]) => Promise<Float64Array[]>;

export type FitOptions = {
  /** Model initialisation seed; the engine's S initialisations are its seed indices 0…S−1. Stored with the fit. */
  seed: number;
  /** Seed of the multi-start design (LHS). */
  designSeed?: number;
  designSize?: number;
  starts?: number;
  maxEvals?: number;
  /** Profile-likelihood intervals for these quantities (profileTargets in participant.ts); none by default. */
  profile?: ProfileTarget[];
  /** "choice" (default): key presses only; "ddm": key presses and response times (needs data.rts). */
  link?: LinkName;
  onProgress?: (fraction: number, message: string) => void;
};

export type Uncertainty = {
  /** Hessian of the NLL in u space is positive definite (otherwise se and the Hessian intervals are null). */
  hessianPD: boolean;
  /** Standard errors in u (log / logit) space and in θ units (delta method). */
  seU: Theta | null;
  se: Theta | null;
  /**
   * 95 % intervals by name: the profile likelihood's where one was computed (`method`), else the
   * Hessian's fromU(u ± 1.96 se_u); both clipped to the parameter box.
   */
  ci95: Record<string, [number, number]> | null;
  method: Record<string, "profile" | "hessian">;
  /** Profile intervals (with their bound flags), by name. */
  profile: Record<string, ProfileInterval>;
  /** Parameters whose estimate sits on the prior box edge (interval not meaningful there). */
  atBound: string[];
  /** Names whose interval reaches the box edge (the data do not bound it on that side). */
  nearBound: string[];
};

export type ModelFit = {
  model: ModelName;
  link: LinkName;
  theta: Theta;
  u: number[];
  logLik: number;
  bic: number;
  aic: number;
  nParams: number;
  /** Trials with a likelihood term (choice link: trials with a choice; ddm link: also missed responses). */
  nTrials: number;
  seed: number;
  uncertainty: Uncertainty;
  evals: number;
  wallMs: number;
};

export const bic = (logLik: number, k: number, n: number): number => k * Math.log(n) - 2 * logLik;

const BETA_GRID_FREE = Array.from({ length: 10 }, (_, i) =>
  Math.exp(Math.log(0.3) + (i / 9) * Math.log(100)),
);
const LAPSE_GRID_FREE = [0.005, 0.02, 0.06, 0.15, 0.35];
const DESIGN_INITS = 4;
/** Nelder–Mead probe budget per dimension from every start, and how many probes get the full budget. */
const PROBE_EVALS_PER_DIM = 40;
const PURSUED = 3;
/** ddm link: design points (× starts) whose link parameters are optimised before choosing the starts. */
const LINK_CANDIDATES = 3;

/** Marginal log-likelihood (over the S initialisations) at every (β, lapse) of the design grid, β-major. */
function gridLogLik(
  outs: Float64Array[],
  choices: Int8Array,
  BETA_GRID: readonly number[],
  LAPSE_GRID: readonly number[],
): Float64Array {
  const L = LAPSE_GRID.length,
    res = new Float64Array(BETA_GRID.length * L);
  const perInit = outs.map(() => new Float64Array(res.length));
  outs.forEach((y, s) => {
    for (let t = 0; t < choices.length; t++) {
      const c = choices[t];
      if (c === 0) continue;
      const yc = Number.isFinite(y[t]) ? y[t] * c : 0;
      for (let b = 0; b < BETA_GRID.length; b++) {
        const sig = 1 / (1 + Math.exp(-BETA_GRID[b] * yc));
        for (let l = 0; l < L; l++)
          perInit[s][b * L + l] += Math.log(LAPSE_GRID[l] / 2 + (1 - LAPSE_GRID[l]) * sig);
      }
    }
  });
  for (let g = 0; g < res.length; g++) {
    const m = Math.max(...perInit.map((v) => v[g]));
    res[g] = m + Math.log(perInit.reduce((a, v) => a + Math.exp(v[g] - m), 0) / perInit.length);
  }
  return res;
}

/** The engine's outputs split per parameter set: S trajectories (initialisations) each, parameter-major. */
function perInit(outs: Float64Array[], count: number): Float64Array[][] {
  const S = outs.length / count;
  if (!Number.isInteger(S) || S < 1)
    throw new Error(`Engine returned ${outs.length} trajectories for ${count} parameter sets`);
  return Array.from({ length: count }, (_, i) => outs.slice(i * S, (i + 1) * S));
}

/**
 * The negative marginal log-likelihood (over the engine's S initialisations) of one participant's
 * data at many points u of a model's transformed space, one engine call per batch: the objective
 * the fit minimises, for callers that re-use it (hierarchical.ts).
 */
export function marginalNll(
  model: ModelName,
  engine: TrajectoryEngine,
  data: FitData,
  link: LinkName,
): (us: number[][]) => Promise<number[]> {
  return async (us) => {
    const outs = perInit(await engine(us.map((u) => thetaFromU(model, u, link))), us.length);
    return us.map(
      (u, i) => -marginalLinkLogLikelihood(outs[i], data, link, thetaFromU(model, u, link)),
    );
  };
}

export async function fitModel(
  model: ModelName,
  engine: TrajectoryEngine,
  data: FitData,
  opts: FitOptions,
): Promise<ModelFit> {
  const t0 = performance.now();
  const link = opts.link ?? "choice";
  const specs = paramSpecs(model, link);
  const k = specs.length;
  const n = countObservations(data, link);
  if (n === 0) throw new Error("No trial has a response: nothing to fit");
  const box: Box = boundsU(model, link);
  const linkIdx = linkIndices(model, link);
  const trajDims = specs.map((s, i) => (isTrajectoryParam(s) ? i : -1)).filter((i) => i >= 0);
  const linkDims = specs.map((s, i) => (isTrajectoryParam(s) ? -1 : i)).filter((i) => i >= 0);
  const report = opts.onProgress ?? (() => {});
  const starts = opts.starts ?? 8;
  let evals = 0;
  // every full-likelihood evaluation (u, NLL): the profile walk's starts in other basins
  const archive: ArchivedPoint[] = [];

  const nllAt = (outs: readonly Float64Array[], u: readonly number[]) =>
    -marginalLinkLogLikelihood(outs, data, link, thetaFromU(model, u, link));
  const objective = marginalNll(model, engine, data, link);
  const nllBatch = async (us: number[][]): Promise<number[]> => {
    evals += us.length;
    const fs = await objective(us);
    fs.forEach((f, i) => {
      if (Number.isFinite(f)) archive.push({ u: us[i].slice(), f });
    });
    return fs;
  };
  const nll = async (u: number[]) => (await nllBatch([u]))[0];

  // 1. design over trajectory parameters (one batch), (β, lapse) on an analytic grid
  const trajBox = { lo: trajDims.map((i) => box.lo[i]), hi: trajDims.map((i) => box.hi[i]) };
  const design = latinHypercube(opts.designSize ?? 512, trajBox, createRng(opts.designSeed ?? 1));
  report(0.05, `design: ${design.length} parameter sets in one batch`);
  const linkStart = link === "ddm" ? ddmStart(data, specs) : new Map<number, number>();
  const full = (z: number[], beta: number, lapse: number) => {
    const u = new Array<number>(k);
    trajDims.forEach((d, j) => (u[d] = z[j]));
    for (const [d, v] of linkStart) u[d] = v;
    if (linkIdx.beta >= 0) u[linkIdx.beta] = toU(specs[linkIdx.beta], beta);
    if (linkIdx.lapse >= 0) u[linkIdx.lapse] = toU(specs[linkIdx.lapse], lapse);
    return u;
  };
  const fixed = FIXED_PARAMS[model] ?? {};
  const BETA_GRID = linkIdx.beta >= 0 ? BETA_GRID_FREE : [fixed.beta!];
  const LAPSE_GRID = linkIdx.lapse >= 0 ? LAPSE_GRID_FREE : [fixed.lapse!];
  const designOuts = perInit(
    await engine(design.map((z) => thetaFromU(model, full(z, 1, 0.1), link))),
    design.length,
  );
  evals += design.length;
  let scored = design.map((z, i) => {
    // ranking starts only: the first DESIGN_INITS initialisations are enough (Nelder–Mead re-scores with all S)
    const grid = gridLogLik(
      designOuts[i].slice(0, DESIGN_INITS),
      data.choices,
      BETA_GRID,
      LAPSE_GRID,
    );
    let best = { f: Infinity, beta: 1, lapse: 0.1 };
    BETA_GRID.forEach((beta, b) =>
      LAPSE_GRID.forEach((lapse, l) => {
        const f = -grid[b * LAPSE_GRID.length + l];
        if (f < best.f) best = { f, beta, lapse };
      }),
    );
    return { u: full(z, best.beta, best.lapse), f: best.f, i };
  });
  scored.sort((a, b) => a.f - b.f);
  const designStarts: ArchivedPoint[] = scored.map(({ u, f }) => ({ u, f }));

  if (link === "ddm") {
    // the choice grid knows nothing of response times: optimise the link parameters of the best
    // candidates on their fixed trajectories, then re-rank by the full (choice + RT) likelihood
    const linkBox = { lo: linkDims.map((i) => box.lo[i]), hi: linkDims.map((i) => box.hi[i]) };
    // spread over the trajectory space: the choice grid is only a proxy for the full likelihood and
    // its best points can all sit on one ridge (e.g. slow learner × large β) away from the optimum
    const candidates = diverse(scored, LINK_CANDIDATES * starts, (u) =>
      trajDims.map((d) => (u[d] - box.lo[d]) / (box.hi[d] - box.lo[d])),
    );
    for (const [j, c] of candidates.entries()) {
      if (j % 4 === 0)
        report(
          0.05 + (0.05 * j) / candidates.length,
          `response-time link for design point ${j + 1}/${candidates.length}`,
        );
      const outs = designOuts[c.i].slice(0, DESIGN_INITS);
      const withLink = (x: number[]) => {
        const u = c.u.slice();
        linkDims.forEach((d, m) => (u[d] = x[m]));
        return u;
      };
      const r = await nelderMead(
        (x) => nllAt(outs, withLink(x)),
        linkDims.map((d) => c.u[d]),
        linkBox,
        { maxEvals: 60 * linkDims.length },
      );
      c.u = withLink(r.x);
      c.f = r.f;
    }
    scored = candidates.sort((a, b) => a.f - b.f);
  }

  // 2. Nelder–Mead from the best starts (successive halving: a short probe from every start, the
  //    full budget only for the best PURSUED probes), then a restart from the winner
  const chosen = scored.slice(0, starts);
  const maxEvals = opts.maxEvals ?? 150 * k;
  const probes: { x: number[]; f: number }[] = [];
  for (const [i, s] of chosen.entries()) {
    report(
      0.1 + (0.35 * i) / chosen.length,
      `Nelder–Mead probe from start ${i + 1}/${chosen.length}`,
    );
    probes.push(
      await nelderMead(nll, s.u, box, { maxEvals: Math.min(maxEvals, PROBE_EVALS_PER_DIM * k) }),
    );
  }
  probes.sort((a, b) => a.f - b.f);
  let best = probes[0];
  for (const [i, p] of probes.slice(0, PURSUED).entries()) {
    report(0.45 + (0.35 * i) / PURSUED, `Nelder–Mead from the ${i + 1}. best probe`);
    const r = await nelderMead(nll, p.x, box, { maxEvals });
    if (r.f < best.f) best = r;
  }
  const restart = await nelderMead(nll, best.x, box, {
    maxEvals: opts.maxEvals ?? 150 * k,
    step: box.lo.map((lo, i) => 0.03 * (box.hi[i] - lo)),
  });
  if (restart.f < best.f) best = restart;

  // 3. profile-likelihood intervals; a profile point better than the optimum moves the optimum
  //    there (polished) and the profiles are walked again, once
  const profile: Record<string, ProfileInterval> = {};
  for (let pass = 0; pass < 2 && opts.profile?.length; pass++) {
    let moved = false;
    for (const [i, target] of opts.profile.entries()) {
      report(0.8 + (0.1 * i) / opts.profile.length, `profile likelihood of ${target.name}`);
      const r = await profileInterval(nll, best.x, best.f, target, box, {
        archive,
        design: designStarts,
      });
      profile[target.name] = r.interval;
      if (r.better && pass === 0) {
        const polished = await nelderMead(nll, r.better.u, box, { maxEvals });
        best = polished.f < r.better.f ? polished : { ...best, x: r.better.u, f: r.better.f };
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  // 4. the Hessian of the NLL in u space for the rest
  report(0.9, "Hessian");
  const uncertainty = await uncertaintyAt(specs, nllBatch, best.x, box, profile);
  const logLik = -best.f;
  report(1, "done");
  return {
    model,
    link,
    theta: thetaFromU(model, best.x, link),
    u: best.x,
    logLik,
    bic: bic(logLik, k, n),
    aic: 2 * k - 2 * logLik,
    nParams: k,
    nTrials: n,
    seed: opts.seed,
    uncertainty,
    evals,
    wallMs: performance.now() - t0,
  };
}

/**
 * The best `count` of `sorted` (ascending f) such that no two are closer than MIN_START_DISTANCE in
 * the normalised coordinates `at` (greedy); topped up with the next best if too few are far apart.
 */
function diverse<T extends { u: number[] }>(
  sorted: T[],
  count: number,
  at: (u: number[]) => number[],
): T[] {
  const chosen: T[] = [],
    points: number[][] = [];
  for (const c of sorted) {
    if (chosen.length === count) break;
    const x = at(c.u);
    if (points.every((p) => Math.hypot(...p.map((v, i) => v - x[i])) >= MIN_START_DISTANCE)) {
      chosen.push(c);
      points.push(x);
    }
  }
  for (const c of sorted) if (chosen.length < count && !chosen.includes(c)) chosen.push(c);
  return chosen;
}
const MIN_START_DISTANCE = 0.05;

/**
 * Starting values (u) of the ddm link's own parameters from the response times: T_er a little below
 * the fastest answers (70 % of the 10th percentile), A from the median decision time at zero drift
 * (median DT ≈ A²/4 · 0.8). Only a start: the link parameters are optimised before the joint search.
 */
function ddmStart(data: FitData, specs: ParamSpec[]): Map<number, number> {
  const rts = [...(data.rts ?? [])]
    .filter((r, t) => Number.isFinite(r) && data.choices[t] !== 0)
    .sort((a, b) => a - b);
  const q = (p: number) =>
    rts.length ? rts[Math.min(rts.length - 1, Math.floor(p * rts.length))] : 0.6;
  const clampIn = (s: ParamSpec, v: number) =>
    toU(s, Math.min(s.hi * 0.99, Math.max(s.lo * 1.01, v)));
  const ndt = 0.7 * q(0.1);
  const bound = 2 * Math.sqrt(Math.max(0.02, q(0.5) - ndt) / 0.8);
  const out = new Map<number, number>();
  specs.forEach((s, i) => {
    if (s.name === "ndt") out.set(i, clampIn(s, ndt));
    if (s.name === "bound") out.set(i, clampIn(s, bound));
  });
  return out;
}

async function uncertaintyAt(
  specs: ParamSpec[],
  nllBatch: (us: number[][]) => Promise<number[]>,
  u: number[],
  box: Box,
  profile: Record<string, ProfileInterval>,
): Promise<Uncertainty> {
  const atBound = specs
    .filter((s, i) => u[i] - box.lo[i] < 1e-3 || box.hi[i] - u[i] < 1e-3)
    .map((s) => s.name);
  const ci95: Record<string, [number, number]> = {},
    method: Uncertainty["method"] = {},
    nearBound = new Set<string>();
  for (const p of Object.values(profile)) {
    ci95[p.name] = [p.lo, p.hi];
    method[p.name] = "profile";
    if (p.loAtBound || p.hiAtBound) nearBound.add(p.name);
  }
  const H = await numericalHessian(
    nllBatch,
    u,
    u.map(() => 0.01),
  );
  const cov = invertSpd(H);
  const seU: Theta = {},
    se: Theta = {};
  if (cov)
    specs.forEach((s, i) => {
      const sd = Math.sqrt(cov[i][i]);
      seU[s.name] = sd;
      se[s.name] = sd * dThetaDu(s, u[i]);
      if (method[s.name]) return;
      // clipped to the box: a Hessian interval says nothing beyond the prior range
      const lo = Math.max(box.lo[i], u[i] - 1.96 * sd),
        hi = Math.min(box.hi[i], u[i] + 1.96 * sd);
      ci95[s.name] = [fromU(s, lo), fromU(s, hi)];
      method[s.name] = "hessian";
      if (lo === box.lo[i] || hi === box.hi[i]) nearBound.add(s.name);
    });
  for (const name of atBound) nearBound.add(name);
  return {
    hessianPD: cov !== null,
    seU: cov ? seU : null,
    se: cov ? se : null,
    ci95: Object.keys(ci95).length ? ci95 : null,
    method,
    profile,
    atBound,
    nearBound: [...nearBound],
  };
}
