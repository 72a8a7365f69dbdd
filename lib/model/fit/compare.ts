// Model comparison by BIC (Schwarz 1978), per participant and summed over a study (docs/fitting.md
// "Verdict"). BIC = k ln n − 2 ln L̂ with n = the participant's
// scored trials. Every participant is fitted with the two NTA variants AND the descriptive baselines
// (baselines.ts); the flexible-vs-forgetful verdict is only as strong as the NTA models' fit:
//  - ΔBIC = BIC_forgetful − BIC_flexible: > 0 favours flexible; |ΔBIC| > 6 "strong", > 2 "positive"
//    (Kass & Raftery 1995);
//  - misfit: the best NTA variant is worse than the best baseline by more than MISFIT_THRESHOLD BIC
//    units — the NTA comparison is then between two models that both miss the data;
//  - at chance: the data-quality checks flag the participant at chance (lib/core/quality.ts: exact
//    binomial test overall or in one half) or the chance model is the best of all.
// A misfitting or at-chance participant's verdict is capped at "weak" and named for what it is.
import { QUALITY_THRESHOLDS, binomialUpperTail } from "@/lib/core/quality";

import type { ModelFit } from "./fit";
import {
  ALL_MODELS,
  BASELINES,
  type BaselineName,
  MODEL_LABELS,
  type ModelName,
  NTA_MODELS,
  type NtaModelName,
} from "./transforms";

/** BIC units by which the best baseline must beat the best NTA variant to flag a misfit ("very strong", Kass & Raftery). */
export const MISFIT_THRESHOLD = 10;

export type Strength = "weak" | "positive" | "strong";
export type Comparison = { deltaBic: number; preferred: NtaModelName; strength: Strength };

export function compareFits(
  flexible: Pick<ModelFit, "bic">,
  forgetful: Pick<ModelFit, "bic">,
): Comparison {
  const deltaBic = forgetful.bic - flexible.bic;
  const a = Math.abs(deltaBic);
  return {
    deltaBic,
    preferred: deltaBic > 0 ? "flexible" : "forgetful",
    strength: a > 6 ? "strong" : a > 2 ? "positive" : "weak",
  };
}

/** A participant flagged at chance by the data-quality checks (lib/core/quality.ts), with the reason. */
export type ChanceFlag = { flag: boolean; reason?: string };

/**
 * The quality checks' main-phase chance test (exact one-sided binomial test of accuracy > ½ at
 * QUALITY_THRESHOLDS.alpha) on `correct` of `n` responses: for callers without the run's trial
 * records (simulations); the server passes assessQuality's own flags.
 */
export function notAboveChance(correct: number, n: number): ChanceFlag {
  const p = n > 0 ? binomialUpperTail(correct, n, 0.5) : 1;
  return p >= QUALITY_THRESHOLDS.alpha
    ? { flag: true, reason: `${correct}/${n} correct, not above chance (p = ${p.toFixed(3)})` }
    : { flag: false };
}

export type PracticeEffect = {
  /** γ: log change of the switch interference from the first to the last switch (< 0: falls with practice). */
  estimate: number;
  lo: number;
  hi: number;
  /** practiceEstimable: the data bound the interval on a side and the estimate is not on the box edge. */
  estimable: boolean;
  loAtBound: boolean;
  hiAtBound: boolean;
  includesZero: boolean;
};

export type ModelComparison = Comparison & {
  bic: Partial<Record<ModelName, number>>;
  best: ModelName;
  bestNta: NtaModelName;
  bestBaseline: BaselineName | null;
  /** BIC_bestNta − BIC_bestBaseline (> 0: a baseline describes the data better). */
  ntaVsBaseline: number | null;
  misfit: boolean;
  atChance: boolean;
  chanceReason: string | null;
  /** Strength before the misfit/chance cap. */
  rawStrength: Strength;
  verdict: "flexible" | "forgetful" | "misfit" | "at chance";
  /** One line for tables: e.g. "forgetful (weak): NTA misfit, rule-knower … better by 40 BIC". */
  summary: string;
  practiceEffect: PracticeEffect | null;
};

type Scored = Pick<ModelFit, "bic"> & {
  uncertainty?: {
    profile?: Record<string, { lo: number; hi: number; loAtBound: boolean; hiAtBound: boolean }>;
  };
  theta?: Partial<Record<string, number>>;
};

/** The full per-participant comparison over every fitted model. `chance`: the accuracy test above. */
export function compareModels(
  fits: Partial<Record<ModelName, Scored>>,
  chance: ChanceFlag = { flag: false },
): ModelComparison {
  const { flexible, forgetful } = fits;
  if (!flexible || !forgetful) throw new Error("compareModels needs both NTA variants");
  const pair = compareFits(flexible, forgetful);
  const bic = Object.fromEntries(
    ALL_MODELS.filter((m) => fits[m]).map((m) => [m, fits[m]!.bic]),
  ) as Partial<Record<ModelName, number>>;
  const argmin = <M extends ModelName>(ms: readonly M[]) =>
    ms
      .filter((m) => bic[m] !== undefined)
      .reduce<M | null>((a, m) => (a === null || bic[m]! < bic[a]! ? m : a), null);
  const bestNta = argmin(NTA_MODELS)!;
  const bestBaseline = argmin(BASELINES);
  const best = argmin(ALL_MODELS)!;
  const ntaVsBaseline = bestBaseline ? bic[bestNta]! - bic[bestBaseline]! : null;
  const atChance = chance.flag || best === "chance";
  const misfit = !atChance && ntaVsBaseline !== null && ntaVsBaseline > MISFIT_THRESHOLD;
  const strength: Strength = atChance || misfit ? "weak" : pair.strength;
  const verdict = atChance ? "at chance" : misfit ? "misfit" : pair.preferred;
  const why = atChance
    ? (chance.reason ?? "the chance model fits best")
    : misfit
      ? `NTA misfit: ${MODEL_LABELS[bestBaseline!]} better by ${ntaVsBaseline!.toFixed(0)} BIC`
      : bestBaseline && ntaVsBaseline !== null
        ? `NTA within ${MISFIT_THRESHOLD} BIC of the best baseline`
        : "";
  return {
    ...pair,
    strength,
    rawStrength: pair.strength,
    bic,
    best,
    bestNta,
    bestBaseline,
    ntaVsBaseline,
    misfit,
    atChance,
    chanceReason: atChance ? (chance.reason ?? "the chance model fits best") : null,
    verdict,
    summary: `${pair.preferred} (${strength})${why ? `: ${why}` : ""}`,
    practiceEffect: practiceEffectOf(fits.rulePractice),
  };
}

function practiceEffectOf(f: Scored | undefined): PracticeEffect | null {
  const p = f?.uncertainty?.profile?.practice;
  const estimate = f?.theta?.practice;
  if (!p || estimate === undefined) return null;
  return {
    estimate,
    lo: p.lo,
    hi: p.hi,
    estimable: practiceEstimable({ estimate, ...p }),
    loAtBound: p.loAtBound,
    hiAtBound: p.hiAtBound,
    includesZero: p.lo <= 0 && p.hi >= 0,
  };
}

/**
 * Whether a participant's practice effect γ is reported as a number with its interval. Not when the
 * interval reaches the box on both sides (the data say nothing about γ, e.g. no post-switch errors),
 * and not when the **estimate itself sits on the box edge**: the likelihood then keeps rising
 * toward |γ| → ∞ (the switch cost vanishes, or appears, faster than γ can express), and the χ²
 * interval, which needs an interior optimum (Wilks), is not a 95 % interval there — on the zoo's
 * constant-cost people such edge estimates were the false "falls with practice" claims.
 */
export function practiceEstimable(p: {
  estimate: number;
  lo: number;
  hi: number;
  loAtBound: boolean;
  hiAtBound: boolean;
}): boolean {
  const tol = 1e-3;
  const onEdge =
    (p.loAtBound && p.estimate <= p.lo + tol) || (p.hiAtBound && p.estimate >= p.hi - tol);
  return !(p.loAtBound && p.hiAtBound) && !onEdge;
}

export type StudyComparison = Comparison & {
  /** Participants in the sums (those not at chance); `excluded` lists the others. */
  participants: number;
  excluded: { runId?: string; reason: string }[];
  bic: Partial<Record<ModelName, number>>;
  logLik: Partial<Record<ModelName, number>>;
  nParams: Partial<Record<ModelName, number>>;
  nTrials: number;
  /** Participants whose own ΔBIC prefers each NTA variant. */
  preferredCount: Record<NtaModelName, number>;
  /** Participants whose best model (lowest BIC of all) is each model. */
  bestCount: Partial<Record<ModelName, number>>;
  misfitCount: number;
};

type StudyRow = {
  runId?: string;
  fits: Partial<Record<ModelName, Pick<ModelFit, "bic" | "logLik" | "nParams" | "nTrials">>>;
  comparison?:
    | (Pick<ModelComparison, "atChance" | "misfit" | "best"> & {
        chanceReason?: string | null;
      })
    | null;
};

/**
 * Sum over participants (each BIC uses its own n, so summed BIC = Σ BIC_i). Participants flagged at
 * chance are excluded from the sums by default and listed with the reason (`includeAtChance` keeps them).
 */
export function compareStudy(
  rows: readonly StudyRow[],
  opts: { includeAtChance?: boolean } = {},
): StudyComparison | null {
  const complete = rows.filter((r) => r.fits.flexible && r.fits.forgetful);
  const excluded = opts.includeAtChance
    ? []
    : complete
        .filter((r) => r.comparison?.atChance)
        .map((r) => ({ runId: r.runId, reason: r.comparison?.chanceReason ?? "at chance" }));
  const kept = complete.filter((r) => opts.includeAtChance || !r.comparison?.atChance);
  if (kept.length === 0) return null;
  const models = ALL_MODELS.filter((m) => kept.every((r) => r.fits[m]));
  const sum = (f: (x: Pick<ModelFit, "bic" | "logLik" | "nParams" | "nTrials">) => number) =>
    Object.fromEntries(models.map((m) => [m, kept.reduce((s, r) => s + f(r.fits[m]!), 0)]));
  const bic = sum((f) => f.bic) as Record<ModelName, number>;
  const preferredFlexible = kept.filter(
    (r) => compareFits(r.fits.flexible!, r.fits.forgetful!).preferred === "flexible",
  ).length;
  const bestCount: Partial<Record<ModelName, number>> = {};
  for (const r of kept) {
    const b = r.comparison?.best;
    if (b) bestCount[b] = (bestCount[b] ?? 0) + 1;
  }
  return {
    ...compareFits({ bic: bic.flexible }, { bic: bic.forgetful }),
    participants: kept.length,
    excluded,
    bic,
    logLik: sum((f) => f.logLik),
    nParams: sum((f) => f.nParams),
    nTrials: kept.reduce((s, r) => s + r.fits.flexible!.nTrials, 0),
    preferredCount: { flexible: preferredFlexible, forgetful: kept.length - preferredFlexible },
    bestCount,
    misfitCount: kept.filter((r) => r.comparison?.misfit).length,
  };
}
