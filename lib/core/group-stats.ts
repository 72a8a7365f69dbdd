// Study-level statistics (docs/group-stats.md):
// 1. Random-effects Bayesian model selection over participants from per-participant log evidences
//    (Stephan et al. 2009, NeuroImage 46:1004, variational scheme), exceedance probabilities (exact
//    for two models, seeded Dirichlet sampling otherwise) and protected exceedance probabilities
//    with the Bayesian omnibus risk (Rigoux et al. 2014, NeuroImage 84:971).
// 2. The practice effect on the switch cost: per participant, the OLS slope of the post-switch cost
//    over switch number with a t interval; per group, the mean slope with a t interval (the
//    summary-statistics random-effects approach) and a seeded bootstrap interval beside it.
import type { RunQualityView } from "./quality";
import { type Rng, createRng } from "./rng";
import { betaInc, digamma, logGamma, mean, sampleGamma, sd, studentTQuantile } from "./stats";

export type BmsResult = {
  models: string[];
  participants: number;
  /** Posterior Dirichlet counts over model frequencies. */
  alpha: number[];
  /** Expected model frequencies E[r_k]. */
  expectedFrequency: number[];
  /** P(r_k is the largest frequency). */
  exceedance: number[];
  /** Exceedance probabilities protected against the chance that all frequencies are equal. */
  protectedExceedance: number[];
  /** Bayesian omnibus risk: posterior probability that the model frequencies are all equal. */
  bor: number;
  /** Posterior probability that participant n used model k ([n][k]). */
  assignment: number[][];
  /** Free energies of the random-effects (F1) and the equal-frequency null (F0) models. */
  freeEnergy: { F1: number; F0: number };
  /** "exact" (two models) or the number of Dirichlet samples. */
  exceedanceMethod: "exact" | number;
  iterations: number;
};

const logSumExp = (xs: readonly number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, v) => s + Math.exp(v - m), 0));
};

/** Posterior model assignment of each participant under E[log r] (softmax of lme + E log r). */
function assign(lme: readonly number[][], eLogR: readonly number[]): number[][] {
  return lme.map((row) => {
    const u = row.map((l, k) => l + eLogR[k]);
    const z = logSumExp(u);
    return u.map((v) => Math.exp(v - z));
  });
}

const expectedLogR = (alpha: readonly number[]) => {
  const s = digamma(alpha.reduce((a, b) => a + b, 0));
  return alpha.map((a) => digamma(a) - s);
};

/**
 * Random-effects BMS. `lme[n][k]`: log evidence of model k for participant n (e.g. −BIC/2).
 * `alpha0`: prior Dirichlet counts (default 1 each). Exceedance for > 2 models by `samples`
 * Dirichlet draws from `seed` (default 1e5 draws, seed 1).
 */
export function bmsRandomEffects(
  lme: readonly number[][],
  models: readonly string[],
  opts: { alpha0?: number[]; samples?: number; seed?: number; tol?: number } = {},
): BmsResult {
  const K = models.length,
    N = lme.length;
  if (K < 2) throw new Error("Model selection needs at least 2 models");
  if (N < 1) throw new Error("Model selection needs at least 1 participant");
  for (const [n, row] of lme.entries()) {
    if (row.length !== K) throw new Error(`Participant ${n} has ${row.length} evidences, not ${K}`);
    if (!row.every(Number.isFinite)) throw new Error(`Participant ${n} has a non-finite evidence`);
  }
  const alpha0 = opts.alpha0 ?? Array(K).fill(1);
  let alpha = alpha0.slice(),
    iterations = 0;
  for (; iterations < 10_000; iterations++) {
    const g = assign(lme, expectedLogR(alpha));
    const next = alpha0.map((a, k) => a + g.reduce((s, row) => s + row[k], 0));
    const change = Math.max(...next.map((v, k) => Math.abs(v - alpha[k])));
    alpha = next;
    if (change < (opts.tol ?? 1e-10)) break;
  }
  const eLogR = expectedLogR(alpha);
  const g = assign(lme, eLogR);
  const a0 = alpha.reduce((a, b) => a + b, 0);

  // free energy of the random-effects model: E[log p(y, m, r)] + H[q(r)] + H[q(m)]
  const sumA0 = alpha0.reduce((a, b) => a + b, 0);
  let elj =
    logGamma(sumA0) -
    alpha0.reduce((s, a) => s + logGamma(a), 0) +
    alpha0.reduce((s, a, k) => s + (a - 1) * eLogR[k], 0);
  let hm = 0;
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) {
      const gk = g[n][k];
      elj += gk * (eLogR[k] + lme[n][k]);
      if (gk > 0) hm -= gk * Math.log(gk);
    }
  const hr =
    alpha.reduce((s, a) => s + logGamma(a), 0) -
    logGamma(a0) -
    alpha.reduce((s, a, k) => s + (a - 1) * eLogR[k], 0);
  const F1 = elj + hr + hm;
  // null: every participant's model drawn with frequency 1/K (its evidence is exact)
  const F0 = lme.reduce((s, row) => s + logSumExp(row) - Math.log(K), 0);
  const bor = 1 / (1 + Math.exp(F1 - F0));

  const { xp, method } = exceedance(alpha, opts.samples ?? 100_000, createRng(opts.seed ?? 1));
  return {
    models: [...models],
    participants: N,
    alpha,
    expectedFrequency: alpha.map((a) => a / a0),
    exceedance: xp,
    protectedExceedance: xp.map((x) => x * (1 - bor) + bor / K),
    bor,
    assignment: g,
    freeEnergy: { F1, F0 },
    exceedanceMethod: method,
    iterations,
  };
}

/** P(r_k > r_j ∀ j ≠ k) under Dirichlet(alpha): exact Beta tail for K = 2, else sampled. */
export function exceedance(
  alpha: readonly number[],
  samples: number,
  rng: Rng,
): { xp: number[]; method: "exact" | number } {
  if (alpha.length === 2) {
    // r_1 ~ Beta(α1, α2); P(r_1 > ½) = 1 − I_½(α1, α2)
    const x1 = 1 - betaInc(0.5, alpha[0], alpha[1]);
    return { xp: [x1, 1 - x1], method: "exact" };
  }
  const wins = Array(alpha.length).fill(0);
  const gammaSource = { uniform: () => rng.next(), normal: () => rng.normal() };
  for (let s = 0; s < samples; s++) {
    let best = 0,
      bestV = -1;
    alpha.forEach((a, k) => {
      const v = sampleGamma(a, gammaSource);
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    });
    wins[best]++;
  }
  return { xp: wins.map((w) => w / samples), method: samples };
}

// ---------------------------------------------------------------------------------------------
// Practice effect on the switch cost

/** The fields of a trial the switch-cost measures need (human TrialRecord or a model trial). */
export type SwitchTrial = {
  blockIndex: number;
  trialInBlock: number;
  correct: boolean;
  response: string | null;
  rtMs?: number | null;
};

export type PracticeEffectOptions = {
  /** Post-switch window: the first `window` trials of a block (default 4). */
  window?: number;
  /** Positions ≥ `baselineFrom` in a block give the participant's settled level (default 8). */
  baselineFrom?: number;
  /** Two-sided level of the intervals (default 0.95). */
  level?: number;
};

export type SlopeEstimate = {
  /** Change in the cost per switch (OLS slope over switch number 1…K); < 0: the cost falls. */
  slope: number;
  se: number;
  ci: [number, number];
  /** Slope × (switches − 1): the change from the first to the last switch. */
  totalChange: number;
  switches: number;
};

export type ParticipantPracticeEffect = {
  /** Post-switch error rate minus the settled error rate, per switch. */
  errorCost: (number | null)[];
  /** Post-switch mean RT minus settled mean RT (correct responses, ms), per switch. */
  rtCost: (number | null)[];
  error: SlopeEstimate | null;
  rt: SlopeEstimate | null;
  /** Why a measure could not be estimated (null when both were). */
  notEstimable: string | null;
};

/** OLS slope of y on x with a t interval on n − 2 degrees of freedom; null if not estimable. */
export function olsSlope(
  xs: readonly number[],
  ys: readonly number[],
  level = 0.95,
): SlopeEstimate | null {
  const n = xs.length;
  if (n < 4) return null;
  const mx = mean(xs),
    my = mean(ys);
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - my - slope * (xs[i] - mx)) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  if (se === 0) return null; // a perfectly flat or straight series: no noise to judge it against
  const q = studentTQuantile(1 - (1 - level) / 2, n - 2);
  return {
    slope,
    se,
    ci: [slope - q * se, slope + q * se],
    totalChange: slope * (Math.max(...xs) - Math.min(...xs)),
    switches: n,
  };
}

/** Counts and RT sums of a set of trials: answered n, errors among them, correct timed RTs. */
export type PracticeCell = { n: number; errors: number; rtSum: number; rtN: number };

/**
 * What a participant's practice effect is computed from (storable: lib/server/group-stats.ts keeps
 * one per completed run): the post-switch window of every block k ≥ 1 with trials, in block order,
 * and the settled positions of all blocks. Misses are left out of every count.
 */
export type PracticeSums = {
  blocks: number[];
  post: PracticeCell[];
  settled: PracticeCell;
};

const emptyCell = (): PracticeCell => ({ n: 0, errors: 0, rtSum: 0, rtN: 0 });

function count(cell: PracticeCell, t: SwitchTrial) {
  cell.n++;
  if (!t.correct) cell.errors++;
  else if (t.rtMs != null) {
    cell.rtSum += t.rtMs;
    cell.rtN++;
  }
}

/** The sums participantPracticeEffect needs, from a trial stream. */
export function practiceSums(
  trials: readonly SwitchTrial[],
  opts: PracticeEffectOptions = {},
): PracticeSums {
  const w = opts.window ?? 4,
    from = opts.baselineFrom ?? 8;
  const blocks = [...new Set(trials.map((t) => t.blockIndex))]
    .filter((b) => b >= 1)
    .sort((a, b) => a - b);
  const at = new Map(blocks.map((b, i) => [b, i]));
  const post = blocks.map(emptyCell);
  const settled = emptyCell();
  for (const t of trials) {
    if (t.response === null) continue;
    if (t.trialInBlock >= from) count(settled, t);
    if (t.trialInBlock < w && at.has(t.blockIndex)) count(post[at.get(t.blockIndex)!], t);
  }
  return { blocks, post, settled };
}

/**
 * Per-participant practice effect: the post-switch cost of each switch (block k ≥ 1 starts right
 * after switch k) and its OLS slope over switch number, for errors and for RTs.
 */
export function participantPracticeEffect(
  trials: readonly SwitchTrial[],
  opts: PracticeEffectOptions = {},
): ParticipantPracticeEffect {
  return practiceEffectFromSums(practiceSums(trials, opts), opts.level);
}

/** participantPracticeEffect from its sums (the same numbers, without the trials). */
export function practiceEffectFromSums(s: PracticeSums, level = 0.95): ParticipantPracticeEffect {
  const settledErr = s.settled.n ? s.settled.errors / s.settled.n : 0;
  const settledRt = s.settled.rtN ? s.settled.rtSum / s.settled.rtN : null;
  const errorCost = s.post.map((c) => (c.n ? c.errors / c.n - settledErr : null));
  const rtCost = s.post.map((c) =>
    c.rtN && settledRt !== null ? c.rtSum / c.rtN - settledRt : null,
  );
  const fit = (cost: (number | null)[]) => {
    const xs: number[] = [],
      ys: number[] = [];
    cost.forEach((c, i) => {
      if (c !== null) {
        xs.push(s.blocks[i]);
        ys.push(c);
      }
    });
    return olsSlope(xs, ys, level);
  };
  const error = fit(errorCost),
    rt = fit(rtCost);
  const why: string[] = [];
  if (!error)
    why.push(
      errorCost.filter((c) => c !== null).length < 4
        ? "errors: fewer than 4 switches with responses"
        : "errors: the same post-switch cost at every switch (e.g. no errors)",
    );
  if (!rt) why.push("response times: fewer than 4 switches with correct timed responses");
  return { errorCost, rtCost, error, rt, notEstimable: why.length ? why.join("; ") : null };
}

export type GroupEstimate = {
  n: number;
  mean: number;
  se: number;
  /** Student t interval on n − 1 df. */
  ci: [number, number];
  /** Percentile bootstrap interval over participants (seeded). */
  bootstrapCi: [number, number];
  bootstrap: { samples: number; seed: number };
  /** Does the t interval exclude 0? */
  excludesZero: boolean;
};

/** Group mean of per-participant values with a t interval and a seeded percentile bootstrap. */
export function groupMean(
  values: readonly number[],
  opts: { level?: number; samples?: number; seed?: number } = {},
): GroupEstimate | null {
  const n = values.length;
  if (n < 2) return null;
  const level = opts.level ?? 0.95,
    samples = opts.samples ?? 10_000,
    seed = opts.seed ?? 1;
  const m = mean(values),
    se = sd(values) / Math.sqrt(n);
  const q = studentTQuantile(1 - (1 - level) / 2, n - 1);
  const rng = createRng(seed);
  const boots = Array.from({ length: samples }, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)];
    return s / n;
  }).sort((a, b) => a - b);
  const at = (p: number) => boots[Math.min(samples - 1, Math.max(0, Math.floor(p * samples)))];
  const ci: [number, number] = [m - q * se, m + q * se];
  return {
    n,
    mean: m,
    se,
    ci,
    bootstrapCi: [at((1 - level) / 2), at(1 - (1 - level) / 2)],
    bootstrap: { samples, seed },
    excludesZero: ci[0] > 0 || ci[1] < 0,
  };
}

export type GroupPracticeEffect = {
  /** Participants whose slope was estimable, per measure. */
  error: GroupEstimate | null;
  rt: GroupEstimate | null;
  participants: number;
  notEstimable: number;
};

/** Group-level practice effect: the mean of the per-participant slopes (error and RT cost). */
export function groupPracticeEffect(
  perParticipant: readonly ParticipantPracticeEffect[],
  opts: { level?: number; samples?: number; seed?: number } = {},
): GroupPracticeEffect {
  const pick = (f: (p: ParticipantPracticeEffect) => SlopeEstimate | null) =>
    perParticipant
      .map(f)
      .filter((s): s is SlopeEstimate => s !== null)
      .map((s) => s.slope);
  return {
    error: groupMean(
      pick((p) => p.error),
      opts,
    ),
    rt: groupMean(
      pick((p) => p.rt),
      opts,
    ),
    participants: perParticipant.length,
    notEstimable: perParticipant.filter((p) => p.notEstimable !== null).length,
  };
}

// ---------------------------------------------------------------------------------------------
// What the study dashboard gets (lib/server/group-stats.ts fills it)

export type GroupStatsParticipant = {
  runId: string;
  participantIndex: number;
  externalId: string | null;
  included: boolean;
  quality: RunQualityView;
  practice: Pick<ParticipantPracticeEffect, "error" | "rt" | "notEstimable">;
};

export type GroupStats = {
  includeFlagged: boolean;
  options: Required<PracticeEffectOptions>;
  participants: GroupStatsParticipant[];
  /** Flagged participants left out (empty with includeFlagged). */
  excluded: { runId: string; participantIndex: number; reasons: string[] }[];
  practice: { human: GroupPracticeEffect; models: Record<string, GroupPracticeEffect> };
  /** Over included participants with a stored fit of every model; null with fewer than 2 models or participants. */
  bms: (BmsResult & { summedBic: number[] }) | null;
  /** Included participants without a complete set of fits (left out of the BMS). */
  bmsMissingFits: number;
};
