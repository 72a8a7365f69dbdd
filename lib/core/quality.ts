// Data-quality flags of one run (docs/quality.md): pure checks over the run's main-phase trials and
// the study's timing. Each check reports its statistic, the threshold it is compared with and a
// sentence a researcher can read; a run with any flagged check is excluded from study-level
// comparisons by default (listed with the reasons, re-includable).
import type { StudyConfig } from "./study-config";
import type { TrialRecord } from "./trial-record";

export type QualityTrial = Pick<TrialRecord, "trialIndex" | "response" | "correct" | "rtMs"> & {
  phase?: TrialRecord["phase"];
  timeElapsedMs?: number | null;
};

export type QualityCode =
  | "chance"
  | "chance-half"
  | "near-chance"
  | "misses"
  | "fast-rts"
  | "flat-rts"
  | "one-key"
  | "timing";

export type QualityCheck = {
  code: QualityCode;
  /** True when the check ran and the run fails it. */
  flagged: boolean;
  /** False when there were too few trials to judge (never flagged then). */
  evaluated: boolean;
  /** The number compared with the threshold (a p-value, a share, a bound or a standard deviation). */
  statistic: number | null;
  threshold: number;
  /** Trials the statistic is computed over. */
  n: number;
  /** One sentence: what was measured and why it is (or is not) a problem. */
  reason: string;
};

export type QualityReport = {
  flagged: boolean;
  /** The flagged checks only. */
  flags: QualityCheck[];
  checks: QualityCheck[];
  mainTrials: number;
  responses: number;
  /** Proportion correct among trials with a response (null without any). */
  accuracy: number | null;
};

/** Thresholds of the checks (docs/quality.md says why each value). */
export const QUALITY_THRESHOLDS = {
  /** One-sided exact binomial test of accuracy > ½: "at chance" when p ≥ alpha. */
  alpha: 0.05,
  /** "Near chance" when the one-sided 95 % upper confidence bound of accuracy is below this. */
  nearChanceBound: 0.65,
  /** Fewest responses a chance test needs (overall and per half). */
  minResponses: 20,
  /** Largest acceptable share of main trials without a response. */
  missShare: 0.1,
  /** A response faster than this (ms) cannot follow from reading the digit. */
  fastRtMs: 150,
  /** Largest acceptable share of responses faster than fastRtMs. */
  fastShare: 0.1,
  /** Response-time SD (ms) below which the times look generated, not human. */
  minRtSdMs: 40,
  /** Largest acceptable share of responses on the more frequent key. */
  oneKeyShare: 0.9,
  /** Largest acceptable share of trial-to-trial clock steps shorter than the design allows. */
  timingShare: 0.05,
  /** Clock steps may fall short of the design's minimum by this many ms (frame and timer slack). */
  timingSlackMs: 100,
} as const;

export type QualityThresholds = { -readonly [K in keyof typeof QUALITY_THRESHOLDS]: number };

export type QualityDesign = {
  timing: Pick<StudyConfig["timing"], "fixationMs" | "responseWindowMs" | "feedbackMs" | "itiMs">;
  feedback: StudyConfig["feedback"];
  /** Main trials the design has (for the halves); default: the largest saved trialIndex + 1. */
  mainTrials?: number;
};

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;

/** log n! for n = 0…N. */
function logFactorials(N: number): Float64Array {
  const out = new Float64Array(N + 1);
  for (let i = 2; i <= N; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
}

/** P(X ≥ k) for X ~ Binomial(n, p), exact (summed in log space). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lf = logFactorials(n);
  const lp = Math.log(p),
    lq = Math.log1p(-p);
  let s = 0;
  for (let j = k; j <= n; j++) s += Math.exp(lf[n] - lf[j] - lf[n - j] + j * lp + (n - j) * lq);
  return Math.min(1, s);
}

/** One-sided exact (Clopper–Pearson) upper confidence bound of a proportion k/n at level 1 − alpha. */
export function binomialUpperBound(k: number, n: number, alpha = 0.05): number {
  if (n === 0 || k >= n) return 1;
  // the bound is the p where P(X ≤ k | p) = alpha, i.e. P(X ≥ k + 1 | p) = 1 − alpha (monotone in p)
  let lo = k / n,
    hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialUpperTail(k + 1, n, mid) < 1 - alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function notEnough(code: QualityCode, threshold: number, n: number, need: number): QualityCheck {
  return {
    code,
    flagged: false,
    evaluated: false,
    statistic: null,
    threshold,
    n,
    reason: `Not judged: ${n} trials, at least ${need} needed.`,
  };
}

function chanceCheck(
  code: "chance" | "chance-half",
  label: string,
  trials: readonly QualityTrial[],
  th: QualityThresholds,
): QualityCheck {
  const answered = trials.filter((t) => t.response !== null);
  const n = answered.length;
  if (n < th.minResponses) return notEnough(code, th.alpha, n, th.minResponses);
  const k = answered.filter((t) => t.correct).length;
  const p = binomialUpperTail(k, n, 0.5);
  const flagged = p >= th.alpha;
  return {
    code,
    flagged,
    evaluated: true,
    statistic: p,
    threshold: th.alpha,
    n,
    reason: flagged
      ? `${label}: ${k}/${n} correct (${pct(k / n)}) is not reliably above chance (exact binomial test, one-sided p = ${p.toFixed(3)} ≥ ${th.alpha}).`
      : `${label}: ${k}/${n} correct (${pct(k / n)}), above chance (p = ${p.toPrecision(2)}).`,
  };
}

/** All checks of one run. `trials` may hold practice trials too; only main-phase ones are used. */
export function assessQuality(
  allTrials: readonly QualityTrial[],
  design: QualityDesign,
  thresholds: Partial<QualityThresholds> = {},
): QualityReport {
  const th: QualityThresholds = { ...QUALITY_THRESHOLDS, ...thresholds };
  const trials = allTrials
    .filter((t) => (t.phase ?? "main") === "main")
    .slice()
    .sort((a, b) => a.trialIndex - b.trialIndex);
  const answered = trials.filter((t) => t.response !== null);
  const nMain = design.mainTrials ?? (trials.length ? trials[trials.length - 1].trialIndex + 1 : 0);
  const checks: QualityCheck[] = [];

  checks.push(chanceCheck("chance", "Main phase", trials, th));
  const half = Math.ceil(nMain / 2);
  const halves = [
    chanceCheck(
      "chance-half",
      "First half",
      trials.filter((t) => t.trialIndex < half),
      th,
    ),
    chanceCheck(
      "chance-half",
      "Second half",
      trials.filter((t) => t.trialIndex >= half),
      th,
    ),
  ];
  // one "chance-half" check: the worse half (the larger p-value) when both were judged
  const judged = halves.filter((h) => h.evaluated);
  checks.push(
    judged.length === 0
      ? halves[0]
      : judged.reduce((a, b) => ((b.statistic ?? 0) > (a.statistic ?? 0) ? b : a)),
  );

  const k = answered.filter((t) => t.correct).length;
  if (answered.length < th.minResponses)
    checks.push(notEnough("near-chance", th.nearChanceBound, answered.length, th.minResponses));
  else {
    const ub = binomialUpperBound(k, answered.length, th.alpha);
    const flagged = ub < th.nearChanceBound;
    checks.push({
      code: "near-chance",
      flagged,
      evaluated: true,
      statistic: ub,
      threshold: th.nearChanceBound,
      n: answered.length,
      reason: flagged
        ? `Accuracy ${pct(k / answered.length)}: even its upper 95 % bound (${pct(ub)}) is below ${pct(th.nearChanceBound)}, too close to guessing to model learning.`
        : `Accuracy ${pct(k / answered.length)} (upper 95 % bound ${pct(ub)}).`,
    });
  }

  if (trials.length < th.minResponses)
    checks.push(notEnough("misses", th.missShare, trials.length, th.minResponses));
  else {
    const share = 1 - answered.length / trials.length;
    const flagged = share > th.missShare;
    checks.push({
      code: "misses",
      flagged,
      evaluated: true,
      statistic: share,
      threshold: th.missShare,
      n: trials.length,
      reason: `${trials.length - answered.length}/${trials.length} trials (${pct(share)}) without a response within ${design.timing.responseWindowMs} ms${flagged ? `, more than ${pct(th.missShare)}` : ""}.`,
    });
  }

  const rts = answered.map((t) => t.rtMs).filter((v): v is number => v !== null);
  if (rts.length < th.minResponses) {
    checks.push(notEnough("fast-rts", th.fastShare, rts.length, th.minResponses));
    checks.push(notEnough("flat-rts", th.minRtSdMs, rts.length, th.minResponses));
  } else {
    const fast = rts.filter((v) => v < th.fastRtMs).length / rts.length;
    checks.push({
      code: "fast-rts",
      flagged: fast > th.fastShare,
      evaluated: true,
      statistic: fast,
      threshold: th.fastShare,
      n: rts.length,
      reason: `${pct(fast)} of responses faster than ${th.fastRtMs} ms${fast > th.fastShare ? ` (more than ${pct(th.fastShare)}: answers given before the digit could be read)` : ""}.`,
    });
    const mean = rts.reduce((s, v) => s + v, 0) / rts.length;
    const sd = Math.sqrt(rts.reduce((s, v) => s + (v - mean) ** 2, 0) / (rts.length - 1));
    checks.push({
      code: "flat-rts",
      flagged: sd < th.minRtSdMs,
      evaluated: true,
      statistic: sd,
      threshold: th.minRtSdMs,
      n: rts.length,
      reason: `Response-time SD ${sd.toFixed(0)} ms${sd < th.minRtSdMs ? ` (below ${th.minRtSdMs} ms: almost identical times on every trial, not a person's)` : ""}.`,
    });
  }

  if (answered.length < th.minResponses)
    checks.push(notEnough("one-key", th.oneKeyShare, answered.length, th.minResponses));
  else {
    const counts = new Map<string, number>();
    for (const t of answered) counts.set(t.response!, (counts.get(t.response!) ?? 0) + 1);
    const [key, top] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
    const share = top / answered.length;
    const flagged = share > th.oneKeyShare;
    checks.push({
      code: "one-key",
      flagged,
      evaluated: true,
      statistic: share,
      threshold: th.oneKeyShare,
      n: answered.length,
      reason: `${pct(share)} of responses on key "${key}"${flagged ? ` (more than ${pct(th.oneKeyShare)}: one key pressed regardless of the digit)` : ""}.`,
    });
  }

  checks.push(timingCheck(trials, design, th));
  const flags = checks.filter((c) => c.flagged);
  return {
    flagged: flags.length > 0,
    flags,
    checks,
    mainTrials: trials.length,
    responses: answered.length,
    accuracy: answered.length ? k / answered.length : null,
  };
}

/**
 * Clock plausibility: between the end of trial i and the end of trial i + 1 the browser must show
 * the inter-trial gap, the fixation, the response time (or the whole window on a miss) and the
 * feedback. Steps shorter than that (minus slack) mean the records were not produced by the
 * experiment as designed (edited, replayed or scripted); a response time beyond the window is
 * counted too.
 */
function timingCheck(
  trials: readonly QualityTrial[],
  design: QualityDesign,
  th: QualityThresholds,
): QualityCheck {
  const { fixationMs, responseWindowMs, feedbackMs, itiMs } = design.timing;
  const feedback = design.feedback === "trial" ? feedbackMs : 0;
  let steps = 0,
    bad = 0;
  for (let i = 0; i < trials.length; i++) {
    const t = trials[i];
    if (t.rtMs !== null && t.rtMs > responseWindowMs + th.timingSlackMs) {
      steps++;
      bad++;
      continue;
    }
    const prev = trials[i - 1];
    if (!prev || prev.trialIndex !== t.trialIndex - 1) continue;
    if (prev.timeElapsedMs == null || t.timeElapsedMs == null) continue;
    const minStep = itiMs + fixationMs + (t.rtMs ?? responseWindowMs) + feedback;
    steps++;
    if (t.timeElapsedMs - prev.timeElapsedMs < minStep - th.timingSlackMs) bad++;
  }
  if (steps < th.minResponses) return notEnough("timing", th.timingShare, steps, th.minResponses);
  const share = bad / steps;
  const flagged = share > th.timingShare;
  return {
    code: "timing",
    flagged,
    evaluated: true,
    statistic: share,
    threshold: th.timingShare,
    n: steps,
    reason: `${bad}/${steps} trial clock steps (${pct(share)}) shorter than the design allows (gap + fixation + response + feedback) or a response time beyond the window${flagged ? `: more than ${pct(th.timingShare)}, the timing does not come from the experiment as designed` : ""}.`,
  };
}

/** "at chance; too many misses" — the flagged checks' short labels, for tables and exports. */
export const QUALITY_LABELS: Record<QualityCode, string> = {
  chance: "at chance",
  "chance-half": "at chance in one half",
  "near-chance": "near chance",
  misses: "too many misses",
  "fast-rts": "too many fast responses",
  "flat-rts": "response times too uniform",
  "one-key": "one key only",
  timing: "implausible timing",
};

export function qualitySummary(report: Pick<QualityReport, "flags">): string {
  return report.flags.map((f) => QUALITY_LABELS[f.code]).join("; ");
}

/** What tables, exports and the group statistics show of a report. */
export type RunQualityView = {
  flagged: boolean;
  /** "at chance; too many misses" (empty when not flagged). */
  summary: string;
  codes: QualityCode[];
  /** One sentence per flag, with its statistic and threshold. */
  reasons: string[];
};

export const qualityView = (r: QualityReport): RunQualityView => ({
  flagged: r.flagged,
  summary: qualitySummary(r),
  codes: r.flags.map((f) => f.code),
  reasons: r.flags.map((f) => f.reason),
});
