// Fit every model to one participant on their own curriculum and compare them (docs/science.md
// §10.5; docs/fitting.md). The NTA variants learn the participant's exact main-phase sequence
// (same stimuli, targets by the rule in force); the baselines describe it (baselines.ts). Every model
// yields a signed evidence per trial, which the link (choice or ddm) scores.
import type { StimulusSequence } from "../stimulus-trials";

import { baselineEvidence } from "./baselines";
import { type ChanceFlag, type ModelComparison, compareModels, notAboveChance } from "./compare";
import { type FitArch, jsEngine } from "./engine";
import {
  type FitOptions,
  type ModelFit,
  type TrajectoryEngine,
  fitModel,
  marginalNll,
} from "./fit";
import {
  type GroupInformedEstimate,
  type GroupMember,
  empiricalBayes,
  groupInformedEstimate,
} from "./hierarchical";
import type { FitData } from "./likelihood";
import { type PpcSummary, posteriorPredictive } from "./ppc";
import type { ProfileTarget } from "./profile";
import {
  ALL_MODELS,
  type LinkName,
  type ModelName,
  NTA_MODELS,
  type NtaModelName,
  PRIOR,
  type ParamName,
  type Theta,
  boundsU,
  fromU,
  isNtaModel,
  modelParamsFor,
  paramSpecs,
  thetaFromU,
} from "./transforms";

/** Default number of model initialisations marginalised in the likelihood (docs/fitting.md). */
export const INIT_SEEDS = 8;

export type ParticipantFit = {
  fits: Partial<Record<ModelName, ModelFit>>;
  flexible: ModelFit;
  forgetful: ModelFit;
  comparison: ModelComparison;
  ppc: PpcSummary;
  wallMs: number;
};

export type ParticipantFitOptions = Omit<FitOptions, "onProgress" | "profile"> & {
  /** Models to fit (default: all; both NTA variants are always needed for the verdict). */
  models?: readonly ModelName[];
  /** Initialisations (seed indices 0…S−1 of `seed`) the likelihood marginalises over (default INIT_SEEDS). */
  initSeeds?: number;
  /** Profile-likelihood intervals (default true; false: Hessian intervals only, faster). */
  profile?: boolean;
  /** The data-quality chance flag (lib/core/quality.ts); default: its binomial test on `data`. */
  chance?: ChanceFlag;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
};

/** The engine of one model: NTA → the float64 engine over S initialisations; baseline → its evidence (S = 1). */
export function trajectoryEngine(
  model: ModelName,
  arch: FitArch,
  seq: StimulusSequence,
  seed: number,
  S = INIT_SEEDS,
): TrajectoryEngine {
  if (!isNtaModel(model))
    return async (thetas) => thetas.map((th) => baselineEvidence(model, th, seq));
  const engine = jsEngine(arch, seq, seed, S);
  return (thetas) => engine(thetas.map((th) => modelParamsFor(model, th)));
}

/**
 * Quantities with profile-likelihood intervals (docs/fitting.md "Intervals"): the ones people read.
 * τ_c/τ_w as a ratio (log τ_c − log τ_w), the rest one parameter each.
 */
export function profileTargets(model: ModelName, link: LinkName): ProfileTarget[] {
  const specs = paramSpecs(model, link);
  const at = (n: ParamName) => specs.findIndex((s) => s.name === n);
  const single = (n: ParamName): ProfileTarget => ({
    name: n,
    coef: specs.map((_, i) => (i === at(n) ? 1 : 0)),
    toTheta: (q) => fromU(PRIOR[n], q),
  });
  switch (model) {
    case "flexible":
      return [
        {
          name: "tauRatio",
          coef: specs.map((_, i) => (i === at("tauC") ? 1 : i === at("tauW") ? -1 : 0)),
          toTheta: Math.exp,
        },
        single("tauW"),
        single("tauC"),
        single("lambda"),
        single("prior"),
        single("beta"),
      ];
    case "forgetful":
      return [single("tau"), single("prior"), single("beta")];
    case "rulePractice":
      return [single("practice")];
    default:
      return [];
  }
}

/** The θ-scale value of a profiled quantity (e.g. tauRatio = τ_c/τ_w). */
export function profiledValue(name: string, theta: Theta): number | undefined {
  return name === "tauRatio" && theta.tauC !== undefined && theta.tauW !== undefined
    ? theta.tauC / theta.tauW
    : theta[name as ParamName];
}

/** Rough cost of fitting each model (progress bar, and how scripts split models over threads). */
export const MODEL_COST = (m: ModelName): number =>
  m === "flexible" ? 10 : m === "forgetful" ? 4 : 1;

/** The models a participant fit covers: both NTA variants always (the verdict needs them). */
export const participantModels = (opts: Pick<ParticipantFitOptions, "models">): ModelName[] =>
  ALL_MODELS.filter((m) => isNtaModel(m) || !opts.models || opts.models.includes(m));

/** Fit the given models, one after another (no comparison): fitParticipant's first half. */
export async function fitModels(
  arch: FitArch,
  seq: StimulusSequence,
  data: FitData,
  models: readonly ModelName[],
  opts: ParticipantFitOptions,
): Promise<Partial<Record<ModelName, ModelFit>>> {
  const S = opts.initSeeds ?? INIT_SEEDS;
  const link = opts.link ?? "choice";
  const total = models.reduce((s, m) => s + MODEL_COST(m), 0);
  let done = 0;
  const fits: Partial<Record<ModelName, ModelFit>> = {};
  for (const model of models) {
    if (opts.signal?.aborted) throw new Error("Fit cancelled");
    const base = done;
    fits[model] = await fitModel(model, trajectoryEngine(model, arch, seq, opts.seed, S), data, {
      ...opts,
      link,
      profile: opts.profile === false ? [] : profileTargets(model, link),
      onProgress: (f, msg) =>
        opts.onProgress?.((base + f * MODEL_COST(model)) / total, `${model}: ${msg}`),
    });
    done += MODEL_COST(model);
  }
  return fits;
}

/** Compare fitted models and check them against the data: fitParticipant's second half. */
export async function assembleParticipantFit(
  arch: FitArch,
  seq: StimulusSequence,
  data: FitData,
  fits: Partial<Record<ModelName, ModelFit>>,
  opts: ParticipantFitOptions,
  startedAt: number,
): Promise<ParticipantFit> {
  const S = opts.initSeeds ?? INIT_SEEDS;
  const link = opts.link ?? "choice";
  const models = participantModels(opts);
  for (const m of models) if (!fits[m]) throw new Error(`No fit of model ${m}`);
  const correct = data.choices.reduce(
    (n, c, t) => n + (c !== 0 && c === (seq.trials[t].target[0] > 0 ? 1 : -1) ? 1 : 0),
    0,
  );
  const responded = data.choices.reduce((n, c) => n + (c !== 0 ? 1 : 0), 0);
  const comparison = compareModels(fits, opts.chance ?? notAboveChance(correct, responded));
  const fitted = Object.fromEntries(
    await Promise.all(
      models.map(async (m) => [
        m,
        {
          theta: fits[m]!.theta,
          outputs: await trajectoryEngine(m, arch, seq, opts.seed, S)([fits[m]!.theta]),
        },
      ]),
    ),
  );
  return {
    fits,
    flexible: fits.flexible!,
    forgetful: fits.forgetful!,
    comparison,
    ppc: posteriorPredictive(seq, data, link, fitted, opts.seed),
    wallMs: performance.now() - startedAt,
  };
}

export async function fitParticipant(
  arch: FitArch,
  seq: StimulusSequence,
  data: FitData,
  opts: ParticipantFitOptions,
): Promise<ParticipantFit> {
  const t0 = performance.now();
  const fits = await fitModels(arch, seq, data, participantModels(opts), opts);
  return assembleParticipantFit(arch, seq, data, fits, opts, t0);
}

/** One participant of a group-informed fit: the model's sequence, the data and the ML fits (u). */
export type GroupParticipant = {
  seq: StimulusSequence;
  data: FitData;
  /** The participant's fit seed (the same S initialisations as their own fit). */
  seed: number;
  /** Maximum-likelihood estimates (u) of each NTA model to inform. */
  u: Partial<Record<NtaModelName, readonly number[]>>;
};

export type GroupInformed = {
  model: NtaModelName;
  /** The population prior: mean (θ units) and sd on the transformed (log/logit) scale, by parameter. */
  prior: { mean: Theta; sdU: Record<string, number> };
  /** Per participant, in input order. */
  estimates: GroupInformedEstimate[];
  evals: number;
};

/**
 * Group-informed (empirical-Bayes) estimates of the NTA models over a study's participants
 * (hierarchical.ts): each participant's MAP under a population prior estimated from all of them.
 * Needs GROUP_MIN_MEMBERS participants; the caller chooses them (e.g. those not at chance).
 */
export async function groupInformedFits(
  arch: FitArch,
  participants: readonly GroupParticipant[],
  opts: {
    link?: LinkName;
    initSeeds?: number;
    models?: readonly NtaModelName[];
    onProgress?: (fraction: number, message: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<Partial<Record<NtaModelName, GroupInformed>>> {
  const link = opts.link ?? "choice";
  const S = opts.initSeeds ?? INIT_SEEDS;
  const models = (opts.models ?? NTA_MODELS).filter((m) => participants.every((p) => p.u[m]));
  const out: Partial<Record<NtaModelName, GroupInformed>> = {};
  for (const [mi, model] of models.entries()) {
    const members: GroupMember[] = participants.map((p) => ({
      u: p.u[model]!,
      nllBatch: marginalNll(model, trajectoryEngine(model, arch, p.seq, p.seed, S), p.data, link),
    }));
    const g = await empiricalBayes(members, boundsU(model, link), {
      signal: opts.signal,
      onProgress: (f, msg) => opts.onProgress?.((mi + f) / models.length, `${model}: ${msg}`),
    });
    const specs = paramSpecs(model, link);
    const targets = profileTargets(model, link);
    out[model] = {
      model,
      prior: {
        mean: thetaFromU(model, g.prior.mean, link),
        sdU: Object.fromEntries(specs.map((s, j) => [s.name, g.prior.sd[j]])),
      },
      estimates: g.members.map((m) =>
        groupInformedEstimate(model, link, m.u, targets, participants.length, g.iterations),
      ),
      evals: g.evals,
    };
  }
  return out;
}
