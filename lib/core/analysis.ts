// Switch-cost analysis, one definition for human and model streams (docs/science.md §10.4).
// Terms: block k ≥ 1 starts right after switch k; position j = trialInBlock + 1 (j = 1 is the switch
// trial). Recovery curves give each measure at j = 1…J per practice level (a group of consecutive
// switches, the Fig. 8 view); the switch cost is switch trials (j = 1 of blocks ≥ 1) minus repeat
// trials (j ≥ repeatFromPosition); the practice trend is the least-squares slope of the post-switch
// measure (mean over j = 1…J) against switch index k.
// Human exclusions are options and are reported beside the result. Model records have rtMs null,
// so the RT exclusions never touch them; pass `noExclusions` for a model stream.
// In production these are computed ONCE, in SQL (lib/server/dashboard.ts) over cells that
// lib/core/recovery.ts turns into curves, costs and trends; this file holds the definitions' types
// and options. The same definitions in memory, per TrialRecord stream, live in
// lib/core/testing/switch-oracle.ts and serve only as the tests' oracle for that SQL.
import type { TrialRecord } from "./trial-record";

export type ExclusionOptions = {
  /** Drop anticipations: trials with rtMs below this (from every measure). null = keep. */
  minRtMs: number | null;
  /** Drop correct RTs more than this many SDs from their condition's mean (RT measures only). null = keep. */
  maxSd: number | null;
  /** Drop trials right after an error from RT measures. */
  dropPostError: boolean;
  /** Drop block 0 (no switch precedes it) from every measure. */
  dropFirstBlock: boolean;
};

export const defaultExclusions: ExclusionOptions = {
  minRtMs: 150,
  maxSd: 3,
  dropPostError: false,
  dropFirstBlock: false,
};

export const noExclusions: ExclusionOptions = {
  minRtMs: null,
  maxSd: null,
  dropPostError: false,
  dropFirstBlock: false,
};

export type AnalysisOptions = {
  /** Positions after a switch in the recovery curves and the practice trend (J). */
  positions: number;
  /** Consecutive switches per practice level (1 = one curve per switch). */
  switchesPerLevel: number;
  /** First position counted as a repeat trial (2 = every non-switch trial). */
  repeatFromPosition: number;
  /** Only switches into this task (e.g. the paper's A→B switches); null = all switches. */
  intoTask: string | null;
  /** Phase analysed. */
  phase: TrialRecord["phase"];
  exclusions: ExclusionOptions;
};

export const defaultAnalysisOptions: AnalysisOptions = {
  positions: 5,
  switchesPerLevel: 1,
  repeatFromPosition: 2,
  intoTask: null,
  phase: "main",
  exclusions: defaultExclusions,
};

export type AnalysisOptionsInput = Partial<Omit<AnalysisOptions, "exclusions">> & {
  exclusions?: Partial<ExclusionOptions>;
};

export type ExclusionReport = {
  options: ExclusionOptions;
  trialsIn: number;
  /** Trials left for error and loss measures. */
  trialsKept: number;
  /** Correct trials with an RT left for RT measures. */
  rtTrialsKept: number;
  counts: {
    anticipation: number;
    firstBlock: number;
    slowOrFastOutlier: number;
    postError: number;
  };
};

/** Measures over a set of trials; null where no trial contributes. */
export type MeasureSummary = {
  n: number;
  errorRate: number | null;
  /** Mean RT of correct trials (humans). */
  meanRtMs: number | null;
  nRt: number;
  /** Mean loss (model). */
  meanLoss: number | null;
  nLoss: number;
};

export type RecoveryPoint = MeasureSummary & {
  /** 0-based practice level. */
  level: number;
  /** First and last switch index (1-based k) in the level. */
  switches: [number, number];
  /** 1-based position after the switch. */
  position: number;
};

export type SwitchCost = {
  switchTrials: MeasureSummary;
  repeatTrials: MeasureSummary;
  /** switch − repeat; null where either side has no data. */
  errorRate: number | null;
  rtMs: number | null;
  loss: number | null;
};

export type PracticeTrendPoint = MeasureSummary & { switchIndex: number };

export type PracticeTrend = {
  perSwitch: PracticeTrendPoint[];
  /** Least-squares slope per switch; negative = gets better with practice. */
  errorRateSlope: number | null;
  rtMsSlope: number | null;
  lossSlope: number | null;
};

export type SwitchAnalysis = {
  options: AnalysisOptions;
  exclusions: ExclusionReport;
  recovery: RecoveryPoint[];
  switchCost: SwitchCost;
  trend: PracticeTrend;
};

/** A trial after exclusions, with whether its RT counts. */
export type AnalysedTrial = { record: TrialRecord; rtKept: boolean };

export function resolveAnalysisOptions(input: AnalysisOptionsInput = {}): AnalysisOptions {
  const options: AnalysisOptions = {
    ...defaultAnalysisOptions,
    ...input,
    exclusions: { ...defaultAnalysisOptions.exclusions, ...input.exclusions },
  };
  const { positions, switchesPerLevel, repeatFromPosition } = options;
  for (const [name, value] of Object.entries({ positions, switchesPerLevel, repeatFromPosition })) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  return options;
}

export function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Ordinary least-squares slope; null for fewer than 2 distinct x. */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number | null {
  const mx = mean(points.map((p) => p[0]));
  const my = mean(points.map((p) => p[1]));
  if (mx === null || my === null) return null;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  return sxx === 0 ? null : sxy / sxx;
}
