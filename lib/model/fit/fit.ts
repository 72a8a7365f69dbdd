// Maximum-likelihood fit of one model (flexible or forgetful) to one participant's choices
// (DESIGN.md science decision 5; docs/fitting.md). Three stages:
//  1. multi-start design: `designSize` Latin-hypercube points over the model's trajectory parameters,
//     ALL evaluated in one batched engine call (TF.js runStimulus by default); β and lapse do not
//     change the trajectory, so each point's outputs are scored analytically on a (β, lapse) grid;
//  2. Nelder–Mead from the best `starts` design points in the full transformed space (float64 engine),
//     then one restart from the winner;
//  3. a central-difference Hessian of the NLL in u space (one batch) → standard errors by the delta method.
import { createRng } from "@/lib/core/rng";

import { type OutputEngine } from "./engine";
import { countChoices, marginalLogLikelihood } from "./likelihood";
import { type Box, invertSpd, latinHypercube, nelderMead, numericalHessian } from "./optimise";
import {
  MODEL_PARAMS, type ModelName, type Theta, boundsU, dThetaDu, fromU, linkIndices, modelParamsFor, thetaFromU, toU,
} from "./transforms";

export type FitOptions = {
  /** Model initialisation seed; the engine's S initialisations are its seed indices 0…S−1. Stored with the fit. */
  seed: number;
  /** Seed of the multi-start design (LHS). */
  designSeed?: number;
  designSize?: number;
  starts?: number;
  maxEvals?: number;
  /** Engine for the batched design stage (default: the refinement engine). */
  designEngine?: OutputEngine;
  onProgress?: (fraction: number, message: string) => void;
};

export type Uncertainty = {
  /** Hessian of the NLL in u space is positive definite (otherwise se/ci are null). */
  hessianPD: boolean;
  /** Standard errors in u (log / logit) space and in θ units (delta method). */
  seU: Theta | null;
  se: Theta | null;
  /** 95% interval: exp/logistic of u ± 1.96 se_u (asymmetric in θ, stays inside (0, ∞) / (0, ½)). */
  ci95: Partial<Record<keyof Theta, [number, number]>> | null;
  /** Parameters whose estimate sits on the prior box edge (interval not meaningful there). */
  atBound: string[];
};

export type ModelFit = {
  model: ModelName;
  theta: Theta;
  u: number[];
  logLik: number;
  bic: number;
  aic: number;
  nParams: number;
  /** Trials with a choice (missed responses are skipped). */
  nTrials: number;
  seed: number;
  uncertainty: Uncertainty;
  evals: number;
  wallMs: number;
};

export const bic = (logLik: number, k: number, n: number): number => k * Math.log(n) - 2 * logLik;

const BETA_GRID = Array.from({ length: 10 }, (_, i) => Math.exp(Math.log(0.3) + (i / 9) * Math.log(100)));
const LAPSE_GRID = [0.005, 0.02, 0.06, 0.15, 0.35];
const DESIGN_INITS = 4;

/** Marginal log-likelihood (over the S initialisations) at every (β, lapse) of the design grid, β-major. */
function gridLogLik(outs: Float64Array[], choices: Int8Array): Float64Array {
  const L = LAPSE_GRID.length, res = new Float64Array(BETA_GRID.length * L);
  const perInit = outs.map(() => new Float64Array(res.length));
  outs.forEach((y, s) => {
    for (let t = 0; t < choices.length; t++) {
      const c = choices[t];
      if (c === 0) continue;
      const yc = Number.isFinite(y[t]) ? y[t] * c : 0;
      for (let b = 0; b < BETA_GRID.length; b++) {
        const sig = 1 / (1 + Math.exp(-BETA_GRID[b] * yc));
        for (let l = 0; l < L; l++) perInit[s][b * L + l] += Math.log(LAPSE_GRID[l] / 2 + (1 - LAPSE_GRID[l]) * sig);
      }
    }
  });
  for (let g = 0; g < res.length; g++) {
    const m = Math.max(...perInit.map((v) => v[g]));
    res[g] = m + Math.log(perInit.reduce((a, v) => a + Math.exp(v[g] - m), 0) / perInit.length);
  }
  return res;
}

export async function fitModel(model: ModelName, engine: OutputEngine, choices: Int8Array, opts: FitOptions): Promise<ModelFit> {
  const t0 = performance.now();
  const specs = MODEL_PARAMS[model];
  const k = specs.length;
  const n = countChoices(choices);
  if (n === 0) throw new Error("No trial has a response: nothing to fit");
  const box: Box = boundsU(model);
  const link = linkIndices(model);
  const trajDims = specs.map((_, i) => i).filter((i) => i !== link.beta && i !== link.lapse);
  const report = opts.onProgress ?? (() => {});
  let evals = 0;

  // S initialisations per parameter set (the engine's `seeds`); the likelihood marginalises over them
  const perInit = (outs: Float64Array[], count: number) => {
    const S = outs.length / count;
    if (!Number.isInteger(S) || S < 1) throw new Error(`Engine returned ${outs.length} trajectories for ${count} parameter sets`);
    return Array.from({ length: count }, (_, i) => outs.slice(i * S, (i + 1) * S));
  };
  const nllBatch = async (us: number[][]): Promise<number[]> => {
    evals += us.length;
    const outs = perInit(await engine(us.map((u) => modelParamsFor(model, thetaFromU(model, u)))), us.length);
    return us.map((u, i) => -marginalLogLikelihood(outs[i], choices, fromU(specs[link.beta], u[link.beta]), fromU(specs[link.lapse], u[link.lapse])));
  };
  const nll = async (u: number[]) => (await nllBatch([u]))[0];

  // 1. design over trajectory parameters (one batch), (β, lapse) on an analytic grid
  const trajBox = { lo: trajDims.map((i) => box.lo[i]), hi: trajDims.map((i) => box.hi[i]) };
  const design = latinHypercube(opts.designSize ?? 512, trajBox, createRng(opts.designSeed ?? 1));
  report(0.05, `design: ${design.length} parameter sets in one batch`);
  const full = (z: number[], beta: number, lapse: number) => {
    const u = new Array<number>(k);
    trajDims.forEach((d, j) => (u[d] = z[j]));
    u[link.beta] = toU(specs[link.beta], beta);
    u[link.lapse] = toU(specs[link.lapse], lapse);
    return u;
  };
  const designOuts = perInit(await (opts.designEngine ?? engine)(design.map((z) => modelParamsFor(model, thetaFromU(model, full(z, 1, 0.1))))), design.length);
  evals += design.length;
  const scored = design.map((z, i) => {
    // ranking starts only: the first DESIGN_INITS initialisations are enough (Nelder–Mead re-scores with all S)
    const grid = gridLogLik(designOuts[i].slice(0, DESIGN_INITS), choices);
    let best = { f: Infinity, beta: 1, lapse: 0.1 };
    BETA_GRID.forEach((beta, b) => LAPSE_GRID.forEach((lapse, l) => {
      const f = -grid[b * LAPSE_GRID.length + l];
      if (f < best.f) best = { f, beta, lapse };
    }));
    return { u: full(z, best.beta, best.lapse), f: best.f };
  });
  scored.sort((a, b) => a.f - b.f);

  // 2. Nelder–Mead from the best starts, then a restart from the winner
  const starts = scored.slice(0, opts.starts ?? 8);
  let best = { x: starts[0].u, f: Infinity };
  for (const [i, s] of starts.entries()) {
    report(0.1 + (0.75 * i) / starts.length, `Nelder–Mead from start ${i + 1}/${starts.length}`);
    const r = await nelderMead(nll, s.u, box, { maxEvals: opts.maxEvals ?? 150 * k });
    if (r.f < best.f) best = r;
  }
  const restart = await nelderMead(nll, best.x, box, { maxEvals: opts.maxEvals ?? 150 * k, step: box.lo.map((lo, i) => 0.03 * (box.hi[i] - lo)) });
  if (restart.f < best.f) best = restart;

  // 3. uncertainty from the Hessian of the NLL in u space
  report(0.9, "Hessian");
  const uncertainty = await uncertaintyAt(model, nllBatch, best.x, box);
  const logLik = -best.f;
  report(1, "done");
  return {
    model, theta: thetaFromU(model, best.x), u: best.x, logLik, bic: bic(logLik, k, n), aic: 2 * k - 2 * logLik,
    nParams: k, nTrials: n, seed: opts.seed, uncertainty, evals, wallMs: performance.now() - t0,
  };
}

async function uncertaintyAt(model: ModelName, nllBatch: (us: number[][]) => Promise<number[]>, u: number[], box: Box): Promise<Uncertainty> {
  const specs = MODEL_PARAMS[model];
  const atBound = specs.filter((s, i) => u[i] - box.lo[i] < 1e-3 || box.hi[i] - u[i] < 1e-3).map((s) => s.name);
  const H = await numericalHessian(nllBatch, u, u.map(() => 0.01));
  const cov = invertSpd(H);
  if (!cov) return { hessianPD: false, seU: null, se: null, ci95: null, atBound };
  const seU: Theta = {}, se: Theta = {}, ci95: Uncertainty["ci95"] = {};
  specs.forEach((s, i) => {
    const sd = Math.sqrt(cov[i][i]);
    seU[s.name] = sd;
    se[s.name] = sd * dThetaDu(s, u[i]);
    ci95[s.name] = [fromU(s, u[i] - 1.96 * sd), fromU(s, u[i] + 1.96 * sd)];
  });
  return { hessianPD: true, seU, se, ci95, atBound };
}
