// The two fitted models, their free parameters, prior box and transforms (docs/science.md
// §10.5; docs/fitting.md). Optimisation runs in an unbounded-looking transformed space u:
// log for τ_w, τ_c, λ, β; logit(lapse / LAPSE_MAX) for the lapse rate. The prior box (bounds in θ)
// is mapped to a box in u, which the optimiser respects; the box is also the prior range from which
// multi-start designs and simulated participants are drawn.
import type { ModelParams } from "../config";

export type ModelName = "flexible" | "forgetful";
export type ParamName = "tauW" | "tauC" | "tau" | "lambda" | "beta" | "lapse" | "bound" | "ndt";

/**
 * How the model's output ŷ_t is linked to the data (likelihood.ts):
 *  - "choice": key presses only, p = lapse/2 + (1 − lapse)·σ(β·ŷ·s);
 *  - "ddm": key presses AND response times through a drift-diffusion process with drift
 *    v = (β/A)·ŷ, boundary separation A, non-decision time T_er (ddm.ts). Its choice probability is
 *    exactly the "choice" link's σ(β·ŷ·s), so β means the same thing in both.
 */
export type LinkName = "choice" | "ddm";

/** Lapse rates live in (0, LAPSE_MAX): with lapse = ½ every choice is a coin flip. */
export const LAPSE_MAX = 0.5;

type Transform = { kind: "log" } | { kind: "logit"; max: number };

export type ParamSpec = {
  name: ParamName;
  transform: Transform;
  lo: number;
  hi: number;
  label: string;
};

const spec = (
  name: ParamName,
  label: string,
  lo: number,
  hi: number,
  transform: Transform = { kind: "log" },
): ParamSpec => ({ name, label, lo, hi, transform });

/** Prior box (θ units). τ's in model time units with dt = 0.02 per trial (η = dt/τ ≤ 1 for τ_w, ≤ 2 for τ_c). */
export const PRIOR = {
  tauW: spec("tauW", "τ_w", 0.02, 2),
  tauC: spec("tauC", "τ_c", 0.01, 2),
  tau: spec("tau", "τ (= τ_w = τ_c)", 0.02, 2),
  lambda: spec("lambda", "λ (λ_nonneg = λ, λ_L1 = 2λ)", 0.003, 0.3),
  beta: spec("beta", "β", 0.3, 30),
  lapse: spec("lapse", "lapse", 0.002, 0.4, { kind: "logit", max: LAPSE_MAX }),
  /** DDM boundary separation (diffusion noise σ = 1, seconds): mean decision time at zero drift A²/4 (0.02–4 s). */
  bound: spec("bound", "A (DDM boundary separation)", 0.3, 4),
  /** Non-decision time (encoding + motor), seconds. */
  ndt: spec("ndt", "T_er (non-decision time, s)", 0.05, 1),
} satisfies Record<ParamName, ParamSpec>;

/**
 * flexible: τ_w, τ_c, λ, β, lapse (5 free).
 * forgetful: regularisers off (λ = 0) AND one timescale τ_c = τ_w = τ (Fig. 2 `cfg_forgetful_`;
 * docs/science.md §10.5 "λ = 0, τ_c = τ_w"): τ, β, lapse (3 free). The forgetful model is the
 * flexible one on the λ → 0, τ_c = τ_w boundary, so BIC compares a 3- against a 5-parameter model.
 */
export const MODEL_PARAMS: Record<ModelName, ParamSpec[]> = {
  flexible: [PRIOR.tauW, PRIOR.tauC, PRIOR.lambda, PRIOR.beta, PRIOR.lapse],
  forgetful: [PRIOR.tau, PRIOR.beta, PRIOR.lapse],
};

/** Parameters the link adds after the model's own (β and lapse are part of every model). */
export const LINK_PARAMS: Record<LinkName, ParamSpec[]> = {
  choice: [],
  ddm: [PRIOR.bound, PRIOR.ndt],
};

/** The free parameters of a model under a link, in u-vector order. */
export const paramSpecs = (model: ModelName, link: LinkName = "choice"): ParamSpec[] => [
  ...MODEL_PARAMS[model],
  ...LINK_PARAMS[link],
];

/** Parameters that change the model's trajectory ŷ (the rest only enter the link). */
const TRAJECTORY_PARAMS: readonly ParamName[] = ["tauW", "tauC", "tau", "lambda"];
export const isTrajectoryParam = (s: ParamSpec): boolean => TRAJECTORY_PARAMS.includes(s.name);

export type Theta = Partial<Record<ParamName, number>>;

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function toU(s: ParamSpec, theta: number): number {
  return s.transform.kind === "log" ? Math.log(theta) : logit(theta / s.transform.max);
}
export function fromU(s: ParamSpec, u: number): number {
  return s.transform.kind === "log" ? Math.exp(u) : s.transform.max * sigmoid(u);
}
/** dθ/du at u (delta method for standard errors in θ units). */
export function dThetaDu(s: ParamSpec, u: number): number {
  if (s.transform.kind === "log") return Math.exp(u);
  const z = sigmoid(u);
  return s.transform.max * z * (1 - z);
}

/** Box in u space. */
export const boundsU = (
  model: ModelName,
  link: LinkName = "choice",
): { lo: number[]; hi: number[] } => ({
  lo: paramSpecs(model, link).map((s) => toU(s, s.lo)),
  hi: paramSpecs(model, link).map((s) => toU(s, s.hi)),
});

export function thetaFromU(
  model: ModelName,
  u: readonly number[],
  link: LinkName = "choice",
): Theta {
  const specs = paramSpecs(model, link);
  if (u.length !== specs.length)
    throw new Error(
      `Expected ${specs.length} parameters for ${model} (${link} link), got ${u.length}`,
    );
  return Object.fromEntries(specs.map((s, i) => [s.name, fromU(s, u[i])]));
}
export function uFromTheta(model: ModelName, theta: Theta, link: LinkName = "choice"): number[] {
  return paramSpecs(model, link).map((s) => {
    const v = theta[s.name];
    if (v === undefined || !Number.isFinite(v))
      throw new Error(`Missing parameter ${s.name} for ${model}`);
    return toU(s, v);
  });
}

/** The NTA hyperparameters a θ implies (β and lapse only enter the choice link). */
export function modelParamsFor(model: ModelName, theta: Theta): ModelParams {
  if (model === "forgetful") {
    const tau = theta.tau!;
    return { tauW: tau, tauC: tau, lambdaNonneg: 0, lambdaL1: 0, lambdaL2: 0, lambdaW: 0 };
  }
  const lambda = theta.lambda!;
  return {
    tauW: theta.tauW!,
    tauC: theta.tauC!,
    lambdaNonneg: lambda,
    lambdaL1: 2 * lambda,
    lambdaL2: 0,
    lambdaW: 0,
  };
}

/** Index of β and lapse in the model's u vector (they never change the model's trajectory). */
export function linkIndices(
  model: ModelName,
  link: LinkName = "choice",
): { beta: number; lapse: number } {
  const names = paramSpecs(model, link).map((s) => s.name);
  return { beta: names.indexOf("beta"), lapse: names.indexOf("lapse") };
}
