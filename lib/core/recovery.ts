// Cells → switch analysis → chart-ready arrays. A cell holds sums (not means) over the trials at one
// (block k, position j, task), so cells from many participants, or from a SQL GROUP BY over the whole
// study (lib/server/dashboard.ts), combine by addition. `computeAnalysisFromCells` is the one
// function that turns cells into recovery curves, switch − repeat costs and the practice trend; it
// gives the same numbers as the in-memory oracle (lib/core/testing/switch-oracle.ts) on a single
// TrialRecord stream (proved in recovery.test.ts and lib/server/dashboard.int.test.ts).
import {
  type AnalysisOptions,
  type MeasureSummary,
  type PracticeTrend,
  type PracticeTrendPoint,
  type RecoveryPoint,
  type SwitchCost,
  leastSquaresSlope,
} from "./analysis";
import type { TrialRecord } from "./trial-record";
import {
  type Interval,
  type IntervalMethod,
  type Statistic,
  UnitTable,
  difference,
  intervals,
  ratio,
  slope,
} from "./uncertainty";

/** Sums over the kept trials of one (blockIndex, position, task). */
export type SwitchCell = {
  /** 0-based block; block k ≥ 1 follows switch k. */
  blockIndex: number;
  /** 1-based position in the block; the tail position (see cellTailPosition) pools every later one. */
  position: number;
  task: string;
  n: number;
  errors: number;
  /** Sum and count of kept correct RTs (humans). */
  rtSumMs: number;
  nRt: number;
  /** Sum and count of losses (model). */
  lossSum: number;
  nLoss: number;
};

export type CellAnalysis = {
  recovery: RecoveryPoint[];
  switchCost: SwitchCost;
  trend: PracticeTrend;
};

/** Positions at or beyond this are pooled into one cell per block (they only count as repeats). */
export function cellTailPosition(
  options: Pick<AnalysisOptions, "positions" | "repeatFromPosition">,
): number {
  return Math.max(options.positions, options.repeatFromPosition - 1) + 1;
}

/** Error rate, mean correct RT and mean loss over a set of cells. */
export function summarizeCells(cells: readonly SwitchCell[]): MeasureSummary {
  let n = 0,
    errors = 0,
    rtSum = 0,
    nRt = 0,
    lossSum = 0,
    nLoss = 0;
  for (const c of cells) {
    n += c.n;
    errors += c.errors;
    rtSum += c.rtSumMs;
    nRt += c.nRt;
    lossSum += c.lossSum;
    nLoss += c.nLoss;
  }
  return {
    n,
    errorRate: n === 0 ? null : errors / n,
    meanRtMs: nRt === 0 ? null : rtSum / nRt,
    nRt,
    meanLoss: nLoss === 0 ? null : lossSum / nLoss,
    nLoss,
  };
}

/**
 * Recovery curves, switch − repeat costs and practice trend from cells — the same definitions as
 * computeRecoveryCurves / computeSwitchCost / computePracticeTrend in analysis.ts. The cells must
 * have been built with a tail position ≥ cellTailPosition(options).
 */
export function computeAnalysisFromCells(
  cells: readonly SwitchCell[],
  options: AnalysisOptions,
): CellAnalysis {
  const real = cells.filter((c) => c.n > 0);
  const switched = real.filter(
    (c) => c.blockIndex >= 1 && (options.intoTask === null || c.task === options.intoTask),
  );
  const ks = [...new Set(switched.map((c) => c.blockIndex))].sort((a, b) => a - b);

  const recovery: RecoveryPoint[] = [];
  for (let level = 0; level * options.switchesPerLevel < ks.length; level++) {
    const group = ks.slice(
      level * options.switchesPerLevel,
      (level + 1) * options.switchesPerLevel,
    );
    const inGroup = switched.filter((c) => group.includes(c.blockIndex));
    for (let position = 1; position <= options.positions; position++) {
      const atPosition = inGroup.filter((c) => c.position === position);
      recovery.push({
        level,
        switches: [group[0], group[group.length - 1]],
        position,
        ...summarizeCells(atPosition),
      });
    }
  }

  const switchTrials = summarizeCells(switched.filter((c) => c.position === 1));
  const repeatTrials = summarizeCells(real.filter((c) => c.position >= options.repeatFromPosition));
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const switchCost: SwitchCost = {
    switchTrials,
    repeatTrials,
    errorRate: diff(switchTrials.errorRate, repeatTrials.errorRate),
    rtMs: diff(switchTrials.meanRtMs, repeatTrials.meanRtMs),
    loss: diff(switchTrials.meanLoss, repeatTrials.meanLoss),
  };

  const perSwitch: PracticeTrendPoint[] = ks.map((k) => ({
    switchIndex: k,
    ...summarizeCells(real.filter((c) => c.blockIndex === k && c.position <= options.positions)),
  }));
  const slopeOf = (pick: (p: PracticeTrendPoint) => number | null) =>
    leastSquaresSlope(
      perSwitch.flatMap((p) => (pick(p) === null ? [] : [[p.switchIndex, pick(p)!] as const])),
    );
  return {
    recovery,
    switchCost,
    trend: {
      perSwitch,
      errorRateSlope: slopeOf((p) => p.errorRate),
      rtMsSlope: slopeOf((p) => p.meanRtMs),
      lossSlope: slopeOf((p) => p.meanLoss),
    },
  };
}

/** Number of switches per practice level so that `switches` switches give about `levels` curves. */
export function switchesPerLevelFor(switches: number, levels: number): number {
  return Math.max(1, Math.ceil(switches / Math.max(1, levels)));
}

// ---- chart-ready arrays (components/charts take these as they are) ----

export type RecoveryMeasure = "errorPct" | "meanRtMs" | "meanLoss";

/** A chart series; `band` names the [low, high] columns of its interval, `nKey` the n column. */
export type ChartSeries = { key: string; label: string; band?: [string, string]; nKey?: string };

/** Rows keyed by x with one numeric (or null) column per series. */
export type ChartRows = Array<Record<string, number | null>>;

export type RecoveryChartData = { rows: ChartRows; series: ChartSeries[] };

const MEASURE_CODE: Record<RecoveryMeasure, string> = {
  errorPct: "e",
  meanRtMs: "r",
  meanLoss: "l",
};
const MEASURE_SCALE: Record<RecoveryMeasure, number> = { errorPct: 100, meanRtMs: 1, meanLoss: 1 };

function pickMeasure(s: MeasureSummary, measure: RecoveryMeasure): number | null {
  if (measure === "errorPct") return s.errorRate === null ? null : s.errorRate * 100;
  return measure === "meanRtMs" ? s.meanRtMs : s.meanLoss;
}

/** Writes `<key>Lo`, `<key>Hi` (the interval, in the measure's unit) and `<key>N` (units behind it). */
function putInterval(
  row: Record<string, number | null>,
  key: string,
  iv: StreamIntervals | undefined,
  name: string,
  measure: RecoveryMeasure,
) {
  if (!iv) return;
  const v = iv.values[`${MEASURE_CODE[measure]}:${name}`];
  const k = MEASURE_SCALE[measure];
  row[`${key}Lo`] = v?.lo == null ? null : v.lo * k;
  row[`${key}Hi`] = v?.hi == null ? null : v.hi * k;
  row[`${key}N`] = v?.units ?? 0;
}

const withBand = (key: string, label: string, iv: StreamIntervals | undefined): ChartSeries =>
  iv ? { key, label, band: [`${key}Lo`, `${key}Hi`], nKey: `${key}N` } : { key, label };

export function describeLevel(switches: [number, number]): string {
  return switches[0] === switches[1]
    ? `switch ${switches[0]}`
    : `switches ${switches[0]}–${switches[1]}`;
}

/**
 * Recovery curves as chart rows: x = position j (1…J), one column per practice level
 * (`level0`, `level1`, …, in practice order). `maxLevels` keeps only the first levels (Fig. 8B shows
 * switches 1–4). With `intervals`, each level also gets its band and n columns.
 */
export function toRecoveryChartData(
  recovery: readonly RecoveryPoint[],
  measure: RecoveryMeasure,
  maxLevels = Infinity,
  intervals?: StreamIntervals,
): RecoveryChartData {
  const levels = [
    ...new Map(
      recovery.filter((p) => p.level < maxLevels).map((p) => [p.level, p.switches]),
    ).entries(),
  ].sort((a, b) => a[0] - b[0]);
  const positions = [...new Set(recovery.map((p) => p.position))].sort((a, b) => a - b);
  const rows = positions.map((position) => {
    const row: Record<string, number | null> = { position };
    for (const [level] of levels) {
      const p = recovery.find((r) => r.level === level && r.position === position);
      row[`level${level}`] = p ? pickMeasure(p, measure) : null;
      putInterval(row, `level${level}`, intervals, `L${level}:${position}`, measure);
    }
    return row;
  });
  return {
    rows,
    series: levels.map(([level, switches]) =>
      withBand(`level${level}`, describeLevel(switches), intervals),
    ),
  };
}

/** Post-switch measure per switch for several streams on one x axis (switch index k). */
export function toTrendChartData(
  streams: readonly {
    key: string;
    label: string;
    perSwitch: readonly PracticeTrendPoint[];
    intervals?: StreamIntervals;
  }[],
  measure: RecoveryMeasure,
): RecoveryChartData {
  const ks = [...new Set(streams.flatMap((s) => s.perSwitch.map((p) => p.switchIndex)))].sort(
    (a, b) => a - b,
  );
  const rows = ks.map((switchIndex) => {
    const row: Record<string, number | null> = { switchIndex };
    for (const s of streams) {
      const p = s.perSwitch.find((q) => q.switchIndex === switchIndex);
      row[s.key] = p ? pickMeasure(p, measure) : null;
      putInterval(row, s.key, s.intervals, `K${switchIndex}`, measure);
    }
    return row;
  });
  return {
    rows,
    series: streams.map(({ key, label, intervals }) => withBand(key, label, intervals)),
  };
}

export type BlockSpan = { blockIndex: number; task: string; fromTrial: number; toTrial: number };

export type TrialChartData = {
  /** x = trial number (trialIndex + 1). */
  rows: ChartRows;
  blocks: BlockSpan[];
  /** Model series present (keys `<preset>Loss`, `<preset>Gate<p>`). */
  models: { preset: string; gateCount: number }[];
};

/**
 * Per-trial rows for one participant: running accuracy (%) over the last `window` trials of the
 * same block, correct RT (ms), and each model's loss and gates on the same x axis, plus the block
 * spans to shade.
 */
export function toTrialChartData(
  human: readonly TrialRecord[],
  models: readonly { preset: string; records: readonly TrialRecord[] }[],
  window = 5,
): TrialChartData {
  const main = human.filter((r) => r.phase === "main").sort((a, b) => a.trialIndex - b.trialIndex);
  const byIndex = new Map<number, Record<string, number | null>>();
  const rowFor = (trialIndex: number) => {
    let row = byIndex.get(trialIndex);
    if (!row) byIndex.set(trialIndex, (row = { trial: trialIndex + 1 }));
    return row;
  };
  main.forEach((r, i) => {
    const recent = main
      .slice(Math.max(0, i - window + 1), i + 1)
      .filter((q) => q.blockIndex === r.blockIndex);
    const row = rowFor(r.trialIndex);
    row.accuracyPct = (100 * recent.filter((q) => q.correct).length) / recent.length;
    row.rtMs = r.correct && r.rtMs !== null ? r.rtMs : null;
  });
  const modelInfo = models.map(({ preset, records }) => {
    let gateCount = 0;
    for (const r of records) {
      const row = rowFor(r.trialIndex);
      row[`${preset}Loss`] = r.loss;
      (r.gates ?? []).forEach((g, p) => (row[`${preset}Gate${p}`] = g));
      gateCount = Math.max(gateCount, r.gates?.length ?? 0);
    }
    return { preset, gateCount };
  });
  const source = main.length > 0 ? main : (models[0]?.records ?? []);
  const blocks: BlockSpan[] = [];
  for (const r of source) {
    const last = blocks[blocks.length - 1];
    if (last && last.blockIndex === r.blockIndex) last.toTrial = r.trialIndex + 1;
    else
      blocks.push({
        blockIndex: r.blockIndex,
        task: r.task,
        fromTrial: r.trialIndex + 1,
        toTrial: r.trialIndex + 1,
      });
  }
  return {
    rows: [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row),
    blocks,
    models: modelInfo,
  };
}

export type Fig8Panel = {
  key: string;
  label: string;
  streams: number;
  /** Units behind the intervals (participants or model streams); < 2 = no interval. */
  intervalUnits: number;
  error: RecoveryChartData;
  /** Humans: correct RT; models: loss. */
  second: RecoveryChartData;
  secondMeasure: RecoveryMeasure;
};

type Ci = [number, number] | null;

export type CostRow = {
  key: string;
  label: string;
  /** Which trials: all, congruent or incongruent ones (the stimulus maps to the same key in both tasks or not). */
  congruency: Congruency;
  /** Units (participants / model streams) with switch trials of this kind. */
  units: number;
  switchErrorPct: number | null;
  repeatErrorPct: number | null;
  errorCostPct: number | null;
  errorCostCi: Ci;
  switchRtMs: number | null;
  repeatRtMs: number | null;
  rtCostMs: number | null;
  rtCostCi: Ci;
  switchLoss: number | null;
  repeatLoss: number | null;
  lossCost: number | null;
  lossCostCi: Ci;
  /** Practice slope of the post-switch error (pp per switch), all trials only. */
  errorSlopePct: number | null;
  errorSlopeCi: Ci;
  /** Practice slope of the post-switch correct RT (ms per switch), humans. */
  rtSlopeMs: number | null;
  rtSlopeCi: Ci;
};

export type Fig8Stream = {
  key: string;
  label: string;
  streams: number;
  analysis: CellAnalysis;
  isHuman: boolean;
  intervals?: StreamIntervals;
};

type AnalysedStream = CellAnalysis & { streams: number; intervals?: StreamIntervals };

/**
 * The three streams of every Fig. 8 view, in their fixed order and labels: participants, then the
 * flexible and the forgetful model.
 */
export function fig8Streams(
  d: { human: AnalysedStream; models: Record<"flexible" | "forgetful", AnalysedStream> },
  humanLabel = "Participants",
): Fig8Stream[] {
  const one = (key: string, label: string, s: AnalysedStream, isHuman: boolean) => ({
    key,
    label,
    streams: s.streams,
    analysis: s,
    isHuman,
    intervals: s.intervals,
  });
  return [
    one("human", humanLabel, d.human, true),
    one("flexible", "Flexible model", d.models.flexible, false),
    one("forgetful", "Forgetful model", d.models.forgetful, false),
  ];
}

/**
 * Switch − repeat costs of one stream, for all trials and split by congruency, with intervals.
 * Point estimates are the pooled sums (the same numbers as computeAnalysisFromCells' switchCost).
 */
export function toCostRows(s: Fig8Stream): CostRow[] {
  const iv = s.intervals?.values ?? {};
  const get = (name: string, k = 1) => {
    const v = iv[name];
    return v?.estimate == null ? null : v.estimate * k;
  };
  const ci = (name: string, k = 1): Ci => {
    const v = iv[name];
    return v?.lo == null || v.hi == null ? null : [v.lo * k, v.hi * k];
  };
  const c = s.analysis.switchCost;
  const pct = (x: number | null) => (x === null ? null : 100 * x);
  return (["all", "c", "i"] as Congruency[]).map((g) => ({
    key: s.key,
    label: s.label,
    congruency: g,
    units: iv[`e:switch:${g}`]?.units ?? (g === "all" ? s.streams : 0),
    switchErrorPct: g === "all" ? pct(c.switchTrials.errorRate) : get(`e:switch:${g}`, 100),
    repeatErrorPct: g === "all" ? pct(c.repeatTrials.errorRate) : get(`e:repeat:${g}`, 100),
    errorCostPct: g === "all" ? pct(c.errorRate) : get(`e:cost:${g}`, 100),
    errorCostCi: ci(`e:cost:${g}`, 100),
    switchRtMs: g === "all" ? c.switchTrials.meanRtMs : get(`r:switch:${g}`),
    repeatRtMs: g === "all" ? c.repeatTrials.meanRtMs : get(`r:repeat:${g}`),
    rtCostMs: g === "all" ? c.rtMs : get(`r:cost:${g}`),
    rtCostCi: ci(`r:cost:${g}`),
    switchLoss: g === "all" ? c.switchTrials.meanLoss : get(`l:switch:${g}`),
    repeatLoss: g === "all" ? c.repeatTrials.meanLoss : get(`l:repeat:${g}`),
    lossCost: g === "all" ? c.loss : get(`l:cost:${g}`),
    lossCostCi: ci(`l:cost:${g}`),
    errorSlopePct: g === "all" ? pct(s.analysis.trend.errorRateSlope) : null,
    errorSlopeCi: g === "all" ? ci("e:slope", 100) : null,
    rtSlopeMs: g === "all" ? s.analysis.trend.rtMsSlope : null,
    rtSlopeCi: g === "all" ? ci("r:slope") : null,
  }));
}

/**
 * The Fig. 8 view of a study: humans and each model preset in the same layout (recovery curves per
 * practice level, with intervals when given), their post-switch trends on one axis, and the
 * switch − repeat cost table split by congruency.
 */
export function toFig8View(streams: readonly Fig8Stream[], maxLevels = Infinity) {
  const panels: Fig8Panel[] = streams.map((s) => {
    const secondMeasure: RecoveryMeasure = s.isHuman ? "meanRtMs" : "meanLoss";
    return {
      key: s.key,
      label: s.label,
      streams: s.streams,
      intervalUnits: s.intervals?.units ?? 0,
      secondMeasure,
      error: toRecoveryChartData(s.analysis.recovery, "errorPct", maxLevels, s.intervals),
      second: toRecoveryChartData(s.analysis.recovery, secondMeasure, maxLevels, s.intervals),
    };
  });
  const trendStreams = streams.map((s) => ({
    key: s.key,
    label: s.label,
    perSwitch: s.analysis.trend.perSwitch,
    intervals: s.intervals,
  }));
  return {
    panels,
    trendError: toTrendChartData(trendStreams, "errorPct"),
    trendRt: toTrendChartData(
      trendStreams.filter((_, i) => streams[i].isHuman),
      "meanRtMs",
    ),
    trendLoss: toTrendChartData(
      trendStreams.filter((_, i) => !streams[i].isHuman),
      "meanLoss",
    ),
    costs: streams.flatMap(toCostRows),
  };
}
export type Fig8View = ReturnType<typeof toFig8View>;

// ---- uncertainty over participants / model streams (lib/core/uncertainty.ts) ----

/** Per-unit sums, as lib/server/dashboard.ts fetchHumanUnits / fetchModelUnits return them. */
export type UnitRow = Pick<SwitchCell, "n" | "errors" | "rtSumMs" | "nRt" | "lossSum" | "nLoss"> & {
  /** "human" or a model preset. */
  stream: string;
  /** Participant run id or model stream id. */
  unit: string;
  /** L: level a × position b; K: switch a; C: a = 1 switch / 0 repeat trial × congruent. */
  kind: "L" | "K" | "C";
  a: number;
  b: number | null;
  congruent: boolean | null;
};

/** Bootstrap over participants with a fixed seed, so a page shows the same interval on every load. */
export const HUMAN_INTERVALS: IntervalMethod = { kind: "bootstrap", resamples: 1000, seed: 1 };
/** ± 1 SE over model streams (one seed each). */
export const MODEL_INTERVALS: IntervalMethod = { kind: "se" };

type Measure = "e" | "r" | "l";
const MEASURES: Measure[] = ["e", "r", "l"];

/** One UnitTable per stream: keys `<measure>:<group>` (measure e = error, r = RT, l = loss). */
export function unitTables(rows: readonly UnitRow[]): Map<string, UnitTable> {
  const tables = new Map<string, UnitTable>();
  for (const row of rows) {
    let t = tables.get(row.stream);
    if (!t) tables.set(row.stream, (t = new UnitTable()));
    const groups =
      row.kind === "L"
        ? [`L${row.a}:${row.b}`]
        : row.kind === "K"
          ? [`K${row.a}`]
          : [`C${row.a}:${row.congruent ? "c" : "i"}`, `C${row.a}:all`];
    for (const g of groups) {
      t.add(row.unit, `e:${g}`, row.errors, row.n);
      t.add(row.unit, `r:${g}`, row.rtSumMs, row.nRt);
      t.add(row.unit, `l:${g}`, row.lossSum, row.nLoss);
    }
  }
  return tables;
}

export type Congruency = "all" | "c" | "i";
export const CONGRUENCY_LABEL: Record<Congruency, string> = {
  all: "all trials",
  c: "congruent",
  i: "incongruent",
};

/** Every interval of one stream, keyed like its table (see streamIntervals). */
export type StreamIntervals = {
  method: IntervalMethod;
  units: number;
  /** `${measure}:L${level}:${position}`, `${measure}:K${k}`, `${measure}:cost:${congruency}`,
   * `${measure}:switch:${congruency}`, `${measure}:repeat:${congruency}`, `${measure}:slope`. */
  values: Record<string, Interval & { units: number }>;
};

/**
 * Intervals of every number the Fig. 8 view shows for one stream: recovery points, per-switch
 * points, switch − repeat costs (all trials and split by congruency), and the practice slope.
 */
export function streamIntervals(
  table: UnitTable | undefined,
  method: IntervalMethod,
): StreamIntervals {
  if (!table) return { method, units: 0, values: {} };
  const stats: Record<string, Statistic> = {};
  const unitsOf: Record<string, string> = {};
  const groups = new Set<string>();
  const ks = new Set<number>();
  for (const m of MEASURES)
    for (const key of table.keys())
      if (key.startsWith(`${m}:L`) || key.startsWith(`${m}:K`)) {
        groups.add(key.slice(2));
        if (key.startsWith(`${m}:K`)) ks.add(Number(key.slice(3)));
      }
  for (const m of MEASURES) {
    for (const g of groups) {
      stats[`${m}:${g}`] = ratio(`${m}:${g}`);
      unitsOf[`${m}:${g}`] = `${m}:${g}`;
    }
    for (const c of ["all", "c", "i"] as Congruency[]) {
      stats[`${m}:switch:${c}`] = ratio(`${m}:C1:${c}`);
      stats[`${m}:repeat:${c}`] = ratio(`${m}:C0:${c}`);
      stats[`${m}:cost:${c}`] = difference(`${m}:C1:${c}`, `${m}:C0:${c}`);
      unitsOf[`${m}:switch:${c}`] = unitsOf[`${m}:cost:${c}`] = `${m}:C1:${c}`;
      unitsOf[`${m}:repeat:${c}`] = `${m}:C0:${c}`;
    }
    stats[`${m}:slope`] = slope([...ks].sort((a, b) => a - b).map((k) => [k, `${m}:K${k}`]));
    unitsOf[`${m}:slope`] = `${m}:K${Math.min(...ks)}`;
  }
  const iv = intervals(table, stats, method);
  const values: StreamIntervals["values"] = {};
  for (const [name, v] of Object.entries(iv))
    values[name] = { ...v, units: table.unitsWith(unitsOf[name]) };
  return { method, units: table.units, values };
}
