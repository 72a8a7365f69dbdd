// Parameter and model recovery (Wilson & Collins 2019, eLife 8:e49547, "Ten simple rules", rule 6):
// simulate participants from known θ (half flexible, half forgetful) on one curriculum, fit both
// models to each, and summarise true vs fitted (correlation and bias in the transformed space, where
// the prior is uniform) and the BIC model-recovery confusion matrix.
import { createRng, deriveSeed } from "@/lib/core/rng";

import type { StimulusSequence } from "../stimulus-trials";

import { type FitArch, jsEngine } from "./engine";
import type { ModelFit } from "./fit";
import { marginalLinkLogLikelihood } from "./likelihood";
import {
  INIT_SEEDS,
  type ParticipantFitOptions,
  fitParticipant,
  profiledValue,
} from "./participant";
import { type GeneratingRanges, drawTheta, simulateParticipant } from "./simulate";
import { type MechanismStats, mechanismStats } from "./signature";
import {
  type LinkName,
  type NtaModelName,
  PRIOR,
  type Theta,
  modelParamsFor,
  paramSpecs,
  toU,
} from "./transforms";

export type RecoveredParticipant = {
  id: number;
  model: NtaModelName;
  theta: Theta;
  accuracy: number;
  /** Fig. 8 signature statistics of the generating model on its own initialisation (signature.ts). */
  mechanism: MechanismStats;
  /** Draws needed to get an admissible θ (1 without a filter). */
  draws: number;
  fits: Record<
    NtaModelName,
    Pick<ModelFit, "link" | "theta" | "logLik" | "bic" | "nParams" | "uncertainty" | "wallMs">
  >;
  preferred: NtaModelName;
  deltaBic: number;
  /** The full verdict (with baselines, misfit and chance flags; compare.ts). */
  verdict: string;
  /** Per parameter of the generating model with an interval: does its 95 % interval cover the truth? */
  covered: Record<string, boolean>;
  /** How each of those intervals was computed (profile likelihood or Hessian). */
  intervalMethod: Record<string, "profile" | "hessian">;
  /** Log-likelihood of the generating θ under the fitting likelihood (fit seed, S initialisations): if it
   * beats the generating model's fitted optimum, the optimiser failed (not identifiability). */
  truthLogLik: number;
};

export type ParamRecovery = {
  param: string;
  model: NtaModelName;
  n: number;
  r: number;
  bias: number;
  rmse: number;
  scale: "log" | "logit" | "identity";
};

export type RecoverySummary = {
  participants: number;
  params: ParamRecovery[];
  /** confusion[generating][preferred] counts. */
  confusion: Record<NtaModelName, Record<NtaModelName, number>>;
  modelRecoveryRate: number;
  meanFitMs: number;
  /** Participants whose generating θ beats the fitted optimum of the generating model by > 0.5 log units. */
  optimiserMisses: number;
  /** Largest such shortfall (log units; ≤ 0 when the optimum is always at least as good as the truth). */
  worstShortfall: number;
  /** 95 % interval coverage of the generating values (coverageOf). */
  coverage: ReturnType<typeof intervalCoverage>;
};

export const pearson = (a: readonly number[], b: readonly number[]): number => {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n,
    mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
};

export type RecoveryOptions = {
  n: number;
  seed: number;
  ranges?: Partial<Record<NtaModelName, GeneratingRanges>>;
  /**
   * Admissibility of a generating participant, judged on the generating model alone (never on a fit):
   * draws are repeated until it holds (rejection sampling inside `ranges`). Default: all admissible.
   */
  admit?: (model: NtaModelName, theta: Theta, mechanism: MechanismStats) => boolean;
  fit?: Omit<ParticipantFitOptions, "seed">;
  /** How simulated participants answer: "choice" (keys only) or "ddm" (keys and response times;
   * θ then includes bound and ndt). Default: the fit's link. A "choice" fit of "ddm" data uses the
   * same participants' key presses only. */
  generateLink?: LinkName;
  onParticipant?: (p: RecoveredParticipant, done: number, total: number) => void;
};

export async function runRecovery(
  arch: FitArch,
  seq: StimulusSequence,
  opts: RecoveryOptions,
): Promise<{ participants: RecoveredParticipant[]; summary: RecoverySummary }> {
  const rng = createRng(opts.seed);
  // the link's own parameters from a separate stream: the same seed gives the same model θ's (and
  // admissions) whether participants answer with keys only or with keys and response times
  const linkRng = createRng(deriveSeed(opts.seed, 999_983));
  const fitLink = opts.fit?.link ?? "choice";
  const generateLink = opts.generateLink ?? fitLink;
  if (fitLink === "ddm" && generateLink !== "ddm")
    throw new Error(
      "A ddm fit needs participants simulated with response times (generateLink ddm)",
    );
  const participants: RecoveredParticipant[] = [];
  for (let id = 0; id < opts.n; id++) {
    const model: NtaModelName = id % 2 === 0 ? "flexible" : "forgetful";
    // generating and fitting model seeds differ: the fit must not rely on knowing the init noise
    const genSeed = deriveSeed(opts.seed, 3 * id);
    let theta: Theta,
      mechanism: MechanismStats,
      draws = 0;
    do {
      if (++draws > 1000) throw new Error(`No admissible ${model} participant in 1000 draws`);
      theta = drawTheta(model, rng, opts.ranges?.[model], generateLink, linkRng);
      mechanism = mechanismStats(arch, modelParamsFor(model, theta), seq, genSeed);
    } while (opts.admit && !opts.admit(model, theta, mechanism));
    const sim = simulateParticipant(
      arch,
      seq,
      model,
      theta,
      genSeed,
      deriveSeed(opts.seed, 3 * id + 1),
      { link: generateLink },
    );
    const fitSeed = deriveSeed(opts.seed, 3 * id + 2);
    const fit = await fitParticipant(arch, seq, sim.data, { ...opts.fit, seed: fitSeed });
    const truthOuts = await jsEngine(
      arch,
      seq,
      fitSeed,
      opts.fit?.initSeeds ?? INIT_SEEDS,
    )([modelParamsFor(model, theta)]);
    const truthLogLik = marginalLinkLogLikelihood(truthOuts, sim.data, fitLink, theta);
    const accuracy =
      sim.data.choices.reduce((s, c, t) => s + (c === seq.trials[t].target[0] ? 1 : 0), 0) /
      seq.trials.length;
    const pick = (f: ModelFit) => ({
      link: f.link,
      theta: f.theta,
      logLik: f.logLik,
      bic: f.bic,
      nParams: f.nParams,
      uncertainty: f.uncertainty,
      wallMs: f.wallMs,
    });
    const p: RecoveredParticipant = {
      id,
      model,
      theta,
      accuracy,
      mechanism,
      draws,
      fits: { flexible: pick(fit.flexible), forgetful: pick(fit.forgetful) },
      preferred: fit.comparison.preferred,
      deltaBic: fit.comparison.deltaBic,
      verdict: fit.comparison.summary,
      covered: coverageOf(fit.fits[model]!, theta),
      intervalMethod: fit.fits[model]!.uncertainty.method,
      truthLogLik,
    };
    participants.push(p);
    opts.onParticipant?.(p, id + 1, opts.n);
  }
  return { participants, summary: summariseRecovery(participants) };
}

/**
 * Coverage check (docs/fitting.md "Intervals"): for each quantity with a 95 % interval in the fit
 * (profile or Hessian, clipped to the box), whether it contains the generating value.
 */
export function coverageOf(
  fit: Pick<ModelFit, "uncertainty">,
  truth: Theta,
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [name, [lo, hi]] of Object.entries(fit.uncertainty.ci95 ?? {})) {
    const v = profiledValue(name, truth);
    if (v !== undefined) out[name] = v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  }
  return out;
}

/**
 * Share of (participant, quantity) pairs whose interval covers the truth: over every interval, over
 * the profile-likelihood intervals only (the quantities people read), and per quantity.
 */
export function intervalCoverage(
  ps: readonly {
    covered: Record<string, boolean>;
    intervalMethod?: Record<string, "profile" | "hessian">;
  }[],
): {
  overall: number;
  n: number;
  profiled: { overall: number; n: number };
  byParam: Record<string, { covered: number; n: number; method: string }>;
} {
  const byParam: Record<string, { covered: number; n: number; method: string }> = {};
  for (const p of ps)
    for (const [name, c] of Object.entries(p.covered)) {
      const b = (byParam[name] ??= { covered: 0, n: 0, method: p.intervalMethod?.[name] ?? "?" });
      b.n++;
      if (c) b.covered++;
    }
  const share = (bs: { covered: number; n: number }[]) => {
    const n = bs.reduce((s, b) => s + b.n, 0);
    return { overall: bs.reduce((s, b) => s + b.covered, 0) / Math.max(1, n), n };
  };
  return {
    ...share(Object.values(byParam)),
    profiled: share(Object.values(byParam).filter((b) => b.method === "profile")),
    byParam,
  };
}

/** True vs fitted per parameter (fits of the generating model), plus τ_c/τ_w; and the confusion matrix. */
export function summariseRecovery(ps: readonly RecoveredParticipant[]): RecoverySummary {
  const params: ParamRecovery[] = [];
  const add = (
    param: string,
    model: NtaModelName,
    pairs: [number, number][],
    scale: "log" | "logit" | "identity",
  ) => {
    if (pairs.length < 3) return;
    const t = pairs.map((p) => p[0]),
      f = pairs.map((p) => p[1]);
    const d = pairs.map((p) => p[1] - p[0]);
    params.push({
      param,
      model,
      n: pairs.length,
      r: pearson(t, f),
      scale,
      bias: d.reduce((s, v) => s + v, 0) / d.length,
      rmse: Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length),
    });
  };
  for (const model of ["flexible", "forgetful"] as const) {
    const own = ps.filter((p) => p.model === model);
    for (const s of paramSpecs(model, own[0]?.fits[model].link ?? "choice")) {
      add(
        s.name,
        model,
        own.map((p) => [toU(s, p.theta[s.name]!), toU(s, p.fits[model].theta[s.name]!)]),
        s.transform.kind,
      );
    }
    if (model === "flexible") {
      const ratio = (t: Theta) => Math.log(t.tauC! / t.tauW!);
      add(
        "tauC/tauW",
        model,
        own.map((p) => [ratio(p.theta), ratio(p.fits.flexible.theta)]),
        "log",
      );
    }
  }
  // β across all participants, each from the fit of its generating model
  const beta = PRIOR.beta;
  add(
    "beta (all)",
    "flexible",
    ps.map((p) => [toU(beta, p.theta.beta!), toU(beta, p.fits[p.model].theta.beta!)]),
    "log",
  );
  if (params.length) params[params.length - 1].model = "flexible";
  const confusion = {
    flexible: { flexible: 0, forgetful: 0 },
    forgetful: { flexible: 0, forgetful: 0 },
  };
  for (const p of ps) confusion[p.model][p.preferred]++;
  const fitMs = ps.map((p) => p.fits.flexible.wallMs + p.fits.forgetful.wallMs);
  return {
    participants: ps.length,
    params,
    confusion,
    modelRecoveryRate: ps.filter((p) => p.preferred === p.model).length / Math.max(1, ps.length),
    meanFitMs: fitMs.reduce((s, v) => s + v, 0) / Math.max(1, fitMs.length),
    optimiserMisses: ps.filter((p) => p.truthLogLik - p.fits[p.model].logLik > 0.5).length,
    worstShortfall: Math.max(...ps.map((p) => p.truthLogLik - p.fits[p.model].logLik)),
    coverage: intervalCoverage(ps),
  };
}
