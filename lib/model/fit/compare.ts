// Flexible vs forgetful by BIC (Schwarz 1978), per participant and summed over a study
// (docs/science.md §10.5). BIC = k ln n − 2 ln L̂ with n = the participant's choices used.
// ΔBIC = BIC_forgetful − BIC_flexible: > 0 favours flexible; |ΔBIC| > 6 is "strong" (Kass & Raftery 1995).
import type { ModelFit } from "./fit";
import type { ModelName } from "./transforms";

export type Comparison = {
  deltaBic: number;
  preferred: ModelName;
  strength: "weak" | "positive" | "strong";
};

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

export type StudyComparison = Comparison & {
  participants: number;
  bic: Record<ModelName, number>;
  logLik: Record<ModelName, number>;
  nParams: Record<ModelName, number>;
  nTrials: number;
  /** Participants whose own ΔBIC prefers each model. */
  preferredCount: Record<ModelName, number>;
};

/** Sum over participants: each participant's BIC uses their own n, so summed BIC = Σ BIC_i. */
export function compareStudy(
  pairs: readonly {
    flexible: Pick<ModelFit, "bic" | "logLik" | "nParams" | "nTrials">;
    forgetful: Pick<ModelFit, "bic" | "logLik" | "nParams" | "nTrials">;
  }[],
): StudyComparison | null {
  if (pairs.length === 0) return null;
  const sum = (
    m: ModelName,
    f: (x: Pick<ModelFit, "bic" | "logLik" | "nParams" | "nTrials">) => number,
  ) => pairs.reduce((s, p) => s + f(p[m]), 0);
  const bic = {
    flexible: sum("flexible", (f) => f.bic),
    forgetful: sum("forgetful", (f) => f.bic),
  };
  const preferredFlexible = pairs.filter(
    (p) => compareFits(p.flexible, p.forgetful).preferred === "flexible",
  ).length;
  return {
    ...compareFits({ bic: bic.flexible }, { bic: bic.forgetful }),
    participants: pairs.length,
    bic,
    logLik: {
      flexible: sum("flexible", (f) => f.logLik),
      forgetful: sum("forgetful", (f) => f.logLik),
    },
    nParams: {
      flexible: sum("flexible", (f) => f.nParams),
      forgetful: sum("forgetful", (f) => f.nParams),
    },
    nTrials: sum("flexible", (f) => f.nTrials),
    preferredCount: { flexible: preferredFlexible, forgetful: pairs.length - preferredFlexible },
  };
}
