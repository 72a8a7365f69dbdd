// The test oracle of the switch analysis: the definitions of lib/core/analysis.ts computed in memory
// on one TrialRecord stream (exclusions, recovery curves, switch − repeat costs, practice trend), and
// the same stream turned into cells. Production computes all of this once, in SQL
// (lib/server/dashboard.ts); the tests check that SQL against these functions. Not imported by the app.
import {
  type AnalysedTrial,
  type AnalysisOptions,
  type AnalysisOptionsInput,
  type ExclusionReport,
  type MeasureSummary,
  type PracticeTrend,
  type PracticeTrendPoint,
  type RecoveryPoint,
  type SwitchAnalysis,
  type SwitchCost,
  defaultAnalysisOptions,
  leastSquaresSlope,
  mean,
  resolveAnalysisOptions,
} from "../analysis";
import {
  type CellAnalysis,
  type SwitchCell,
  cellTailPosition,
  computeAnalysisFromCells,
} from "../recovery";
import type { TrialRecord } from "../trial-record";

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

/** Sample SD (n − 1); null for fewer than 2 values. */
function standardDeviation(xs: readonly number[]): number | null {
  const m = mean(xs);
  if (m === null || xs.length < 2) return null;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Cells of one analysed stream (after applyExclusions), the in-memory twin of the SQL GROUP BY. */
export function computeCellsFromTrials(
  trials: readonly AnalysedTrial[],
  tailPosition: number,
): SwitchCell[] {
  const cells = new Map<string, SwitchCell>();
  for (const { record, rtKept } of trials) {
    const position = Math.min(record.trialInBlock + 1, tailPosition);
    const key = `${record.blockIndex}|${position}|${record.task}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        blockIndex: record.blockIndex,
        position,
        task: record.task,
        n: 0,
        errors: 0,
        rtSumMs: 0,
        nRt: 0,
        lossSum: 0,
        nLoss: 0,
      };
      cells.set(key, cell);
    }
    cell.n++;
    if (!record.correct) cell.errors++;
    if (rtKept) {
      cell.rtSumMs += record.rtMs!;
      cell.nRt++;
    }
    if (record.loss !== null) {
      cell.lossSum += record.loss;
      cell.nLoss++;
    }
  }
  return [...cells.values()].sort(
    (a, b) =>
      a.blockIndex - b.blockIndex || a.position - b.position || a.task.localeCompare(b.task),
  );
}

/** Add cells with the same (blockIndex, position, task), e.g. several participants' cells. */
export function mergeCells(...groups: readonly (readonly SwitchCell[])[]): SwitchCell[] {
  const merged = new Map<string, SwitchCell>();
  for (const cell of groups.flat()) {
    const key = `${cell.blockIndex}|${cell.position}|${cell.task}`;
    const m = merged.get(key);
    if (!m) merged.set(key, { ...cell });
    else {
      m.n += cell.n;
      m.errors += cell.errors;
      m.rtSumMs += cell.rtSumMs;
      m.nRt += cell.nRt;
      m.lossSum += cell.lossSum;
      m.nLoss += cell.nLoss;
    }
  }
  return [...merged.values()].sort(
    (a, b) =>
      a.blockIndex - b.blockIndex || a.position - b.position || a.task.localeCompare(b.task),
  );
}

/** One TrialRecord stream through the cell path: exclusions, cells, analysis. */
export function computeCellAnalysisOfRecords(
  records: readonly TrialRecord[],
  input: AnalysisOptionsInput = {},
): CellAnalysis & { options: AnalysisOptions; exclusions: ExclusionReport; cells: SwitchCell[] } {
  const options = resolveAnalysisOptions(input);
  const { trials, report } = applyExclusions(records, options);
  const cells = computeCellsFromTrials(trials, cellTailPosition(options));
  return { options, exclusions: report, cells, ...computeAnalysisFromCells(cells, options) };
}
