// Switch-cost analysis, one definition for human and model streams (docs/science.md §10.4).
// Terms: block k ≥ 1 starts right after switch k; position j = trialInBlock + 1 (j = 1 is the switch
// trial). Recovery curves give each measure at j = 1…J per practice level (a group of consecutive
// switches, the Fig. 8 view); the switch cost is switch trials (j = 1 of blocks ≥ 1) minus repeat
// trials (j ≥ repeatFromPosition); the practice trend is the least-squares slope of the post-switch
// measure (mean over j = 1…J) against switch index k.
// Human exclusions are options and are reported beside the result. Model records have rtMs null,
// so the RT exclusions never touch them; pass `noExclusions` for a model stream.
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

const isSwitchTrial = (r: TrialRecord) => r.blockIndex >= 1 && r.trialInBlock === 0;
const isRepeatTrial = (r: TrialRecord, o: AnalysisOptions) =>
  r.trialInBlock + 1 >= o.repeatFromPosition;

/** Apply the human exclusions; records are sorted by trialIndex first. */
export function applyExclusions(
  records: readonly TrialRecord[],
  options: AnalysisOptions = defaultAnalysisOptions,
): { trials: AnalysedTrial[]; report: ExclusionReport } {
  const ex = options.exclusions;
  const inPhase = records
    .filter((r) => r.phase === options.phase)
    .sort((a, b) => a.trialIndex - b.trialIndex);
  const counts = { anticipation: 0, firstBlock: 0, slowOrFastOutlier: 0, postError: 0 };
  const trials: AnalysedTrial[] = [];
  let previous: TrialRecord | null = null;
  for (const record of inPhase) {
    const afterError =
      previous !== null && !previous.correct && previous.trialIndex === record.trialIndex - 1;
    previous = record;
    if (ex.dropFirstBlock && record.blockIndex === 0) {
      counts.firstBlock++;
      continue;
    }
    if (ex.minRtMs !== null && record.rtMs !== null && record.rtMs < ex.minRtMs) {
      counts.anticipation++;
      continue;
    }
    let rtKept = record.correct && record.rtMs !== null;
    if (rtKept && ex.dropPostError && afterError) {
      counts.postError++;
      rtKept = false;
    }
    trials.push({ record, rtKept });
  }
  if (ex.maxSd !== null) {
    // SD trimming within condition (switch vs everything else), one pass.
    for (const inCondition of [true, false]) {
      const group = trials.filter((t) => t.rtKept && isSwitchTrial(t.record) === inCondition);
      const rts = group.map((t) => t.record.rtMs!);
      const m = mean(rts);
      const sd = standardDeviation(rts);
      if (m === null || sd === null) continue;
      for (const t of group) {
        if (Math.abs(t.record.rtMs! - m) > ex.maxSd * sd) {
          t.rtKept = false;
          counts.slowOrFastOutlier++;
        }
      }
    }
  }
  return {
    trials,
    report: {
      options: ex,
      trialsIn: inPhase.length,
      trialsKept: trials.length,
      rtTrialsKept: trials.filter((t) => t.rtKept).length,
      counts,
    },
  };
}

/** Error rate, mean correct RT and mean loss of a set of analysed trials. */
export function summarizeTrials(trials: readonly AnalysedTrial[]): MeasureSummary {
  const rts = trials.filter((t) => t.rtKept).map((t) => t.record.rtMs!);
  const losses = trials.flatMap((t) => (t.record.loss === null ? [] : [t.record.loss]));
  return {
    n: trials.length,
    errorRate: mean(trials.map((t) => (t.record.correct ? 0 : 1))),
    meanRtMs: mean(rts),
    nRt: rts.length,
    meanLoss: mean(losses),
    nLoss: losses.length,
  };
}

function switchedTrials(trials: readonly AnalysedTrial[], options: AnalysisOptions) {
  return trials.filter(
    (t) =>
      t.record.blockIndex >= 1 && (options.intoTask === null || t.record.task === options.intoTask),
  );
}

/** Switch indices k (1-based) present in the stream, after the intoTask filter. */
function switchIndices(trials: readonly AnalysedTrial[], options: AnalysisOptions): number[] {
  return [...new Set(switchedTrials(trials, options).map((t) => t.record.blockIndex))].sort(
    (a, b) => a - b,
  );
}

/** Recovery curves: each measure at positions 1…J, one curve per practice level. */
export function computeRecoveryCurves(
  trials: readonly AnalysedTrial[],
  options: AnalysisOptions,
): RecoveryPoint[] {
  const ks = switchIndices(trials, options);
  const points: RecoveryPoint[] = [];
  for (let level = 0; level * options.switchesPerLevel < ks.length; level++) {
    const group = ks.slice(
      level * options.switchesPerLevel,
      (level + 1) * options.switchesPerLevel,
    );
    const inGroup = switchedTrials(trials, options).filter((t) =>
      group.includes(t.record.blockIndex),
    );
    for (let position = 1; position <= options.positions; position++) {
      const atPosition = inGroup.filter((t) => t.record.trialInBlock === position - 1);
      points.push({
        level,
        switches: [group[0], group[group.length - 1]],
        position,
        ...summarizeTrials(atPosition),
      });
    }
  }
  return points;
}

/** Switch − repeat costs. Repeat trials come from every block (block 0 too unless excluded). */
export function computeSwitchCost(
  trials: readonly AnalysedTrial[],
  options: AnalysisOptions,
): SwitchCost {
  const switchTrials = summarizeTrials(
    switchedTrials(trials, options).filter((t) => isSwitchTrial(t.record)),
  );
  const repeatTrials = summarizeTrials(trials.filter((t) => isRepeatTrial(t.record, options)));
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    switchTrials,
    repeatTrials,
    errorRate: diff(switchTrials.errorRate, repeatTrials.errorRate),
    rtMs: diff(switchTrials.meanRtMs, repeatTrials.meanRtMs),
    loss: diff(switchTrials.meanLoss, repeatTrials.meanLoss),
  };
}

/** Post-switch measures (positions 1…J) per switch and their slope over switch index. */
export function computePracticeTrend(
  trials: readonly AnalysedTrial[],
  options: AnalysisOptions,
): PracticeTrend {
  const perSwitch = switchIndices(trials, options).map((k) => ({
    switchIndex: k,
    ...summarizeTrials(
      trials.filter((t) => t.record.blockIndex === k && t.record.trialInBlock < options.positions),
    ),
  }));
  const slopeOf = (pick: (p: PracticeTrendPoint) => number | null) => {
    const xy = perSwitch.flatMap((p) => {
      const y = pick(p);
      return y === null ? [] : [[p.switchIndex, y] as const];
    });
    return leastSquaresSlope(xy);
  };
  return {
    perSwitch,
    errorRateSlope: slopeOf((p) => p.errorRate),
    rtMsSlope: slopeOf((p) => p.meanRtMs),
    lossSlope: slopeOf((p) => p.meanLoss),
  };
}

/** The whole analysis of one stream (human or model), with the exclusions used. */
export function computeSwitchAnalysis(
  records: readonly TrialRecord[],
  input: AnalysisOptionsInput = {},
): SwitchAnalysis {
  const options = resolveAnalysisOptions(input);
  const { trials, report } = applyExclusions(records, options);
  return {
    options,
    exclusions: report,
    recovery: computeRecoveryCurves(trials, options),
    switchCost: computeSwitchCost(trials, options),
    trend: computePracticeTrend(trials, options),
  };
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample SD (n − 1); null for fewer than 2 values. */
function standardDeviation(xs: readonly number[]): number | null {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
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
