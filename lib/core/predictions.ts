// Model predictions before data (docs/researcher-guide.md "Predictions"): what the NTA model does
// on each condition's curricula before anyone takes part. Pure: which curricula and seeds a
// prediction uses, the per-participant sums the model's trials are reduced to (stored as they are,
// with their seeds), and those sums turned into the same recovery curves, costs, trend and
// intervals as the dashboard's model streams (lib/core/recovery.ts), for any view's options.
import type { AnalysisOptions, PracticeTrendPoint } from "./analysis";
import { counterbalanceCells, effectiveConfig } from "./conditions";
import { generateCurriculum, participantSeedFor } from "./curriculum";
import type { Curriculum } from "./curriculum-schema";
import {
  type CellAnalysis,
  type ChartSeries,
  type RecoveryChartData,
  type StreamIntervals,
  type SwitchCell,
  type UnitRow,
  MODEL_INTERVALS,
  cellTailPosition,
  computeAnalysisFromCells,
  streamIntervals,
  switchesPerLevelFor,
  toRecoveryChartData,
  toTrendChartData,
  unitTables,
} from "./recovery";
import { deriveSeed } from "./rng";
import type { StudyConfig } from "./study-config";

export const PREDICTION_PRESETS = ["flexible", "forgetful"] as const;
export type PredictionPreset = (typeof PREDICTION_PRESETS)[number];

/** Participant seeds and model seeds per participant of a prediction (the defaults). */
export const PREDICTION_SIZE = { participants: 10, modelSeeds: 4 } as const;
/** Bump when what a prediction computes changes: stored predictions then count as stale. */
export const PREDICTION_VERSION = 1;
/** RNG stream of a predicted participant's model seed, derived from the participant seed. */
const MODEL_SEED_STREAM = 103;
/** Positions kept apart in stored sums; this one pools every later position. */
export const PREDICTION_POOLED_POSITION = 9;

/** One predicted participant: the seeds and the curriculum the model learns. */
export type PredictedParticipant = {
  participantIndex: number;
  participantSeed: number;
  /** Model initialisation seed; model seed i of this participant is rngFor(modelSeed, i, 0). */
  modelSeed: number;
  curriculum: Curriculum;
};

/** One condition's prediction plan (condition null: a study without conditions). */
export type ConditionPlan = {
  condition: string | null;
  design: { blocks: number; trialsPerBlock: number };
  participants: PredictedParticipant[];
};

/**
 * The curricula a prediction runs, per condition: participant indices 0…n−1 with the participant
 * seeds real participants 1…n get (participantSeedFor(study seed, index)), each condition's
 * effective config, and the counterbalancing cells in the order balanced assignment fills them.
 */
export function predictionPlan(
  config: StudyConfig,
  participants: number = PREDICTION_SIZE.participants,
): ConditionPlan[] {
  const names: (string | null)[] =
    config.conditions.length > 0 ? config.conditions.map((c) => c.name) : [null];
  return names.map((condition) => {
    const effective = effectiveConfig(config, condition);
    const cells = counterbalanceCells(effective);
    return {
      condition,
      design: { blocks: effective.blocks, trialsPerBlock: effective.trialsPerBlock },
      participants: Array.from({ length: participants }, (_, participantIndex) => {
        const participantSeed = participantSeedFor(config.seed, participantIndex);
        const cell = cells[participantIndex % cells.length];
        return {
          participantIndex,
          participantSeed,
          modelSeed: deriveSeed(participantSeed, MODEL_SEED_STREAM),
          curriculum: generateCurriculum(
            { ...effective, firstTask: cell.firstTask },
            participantSeed,
            participantIndex,
            cell.swapped,
          ),
        };
      }),
    };
  });
}

/**
 * What a stored prediction depends on, in a fixed key order (hashed on the server): a change to
 * any of it makes the stored prediction stale. Recruitment, consent text and timing do not count.
 */
export function predictionInputs(
  config: StudyConfig,
  params: Record<string, unknown>,
  size: { participants: number; modelSeeds: number } = PREDICTION_SIZE,
) {
  const design = (c: StudyConfig) => ({
    blocks: c.blocks,
    trialsPerBlock: c.trialsPerBlock,
    firstTask: c.firstTask,
  });
  return {
    version: PREDICTION_VERSION,
    size: { participants: size.participants, modelSeeds: size.modelSeeds },
    seed: config.seed,
    taskPair: config.taskPair,
    keyMapping: config.keyMapping,
    keys: { left: config.keys.left, right: config.keys.right },
    conditions:
      config.conditions.length > 0
        ? config.conditions.map((c) => ({
            name: c.name,
            ...design(effectiveConfig(config, c.name)),
          }))
        : [{ name: null, ...design(config) }],
    params,
  };
}

/**
 * One predicted participant's model trials (all its model seeds) as sums, dense arrays:
 *  - per (block b, position p = 1…9, 9 pooling every later one), index b·9 + p − 1: trials n,
 *    errors e, loss sum l;
 *  - per (position p, congruent) over switch trials (p = 1, block ≥ 1) and every later position,
 *    index (p − 1)·2 + (congruent ? 1 : 0): gn, ge, gl.
 */
export type PredictedSums = {
  participantIndex: number;
  participantSeed: number;
  modelSeed: number;
  modelSeeds: number;
  /** Task of each block. */
  tasks: string[];
  n: number[];
  e: number[];
  l: number[];
  gn: number[];
  ge: number[];
  gl: number[];
};

/** A model trial as the sums need it. */
export type PredictedTrial = {
  blockIndex: number;
  trialInBlock: number;
  task: string;
  congruent: boolean;
};

const P = PREDICTION_POOLED_POSITION;

/** The sums of a cell or unit row before anything is added. */
const zeroSums = () => ({ n: 0, errors: 0, rtSumMs: 0, nRt: 0, lossSum: 0, nLoss: 0 });

/** Empty sums for a participant whose curriculum has these trials. */
export function emptySums(
  p: Pick<PredictedParticipant, "participantIndex" | "participantSeed" | "modelSeed">,
  trials: readonly PredictedTrial[],
  modelSeeds: number,
): PredictedSums {
  const blocks = trials.reduce((m, t) => Math.max(m, t.blockIndex + 1), 0);
  const tasks = Array.from({ length: blocks }, () => "");
  for (const t of trials) tasks[t.blockIndex] = t.task;
  const zeros = (k: number) => Array.from({ length: k }, () => 0);
  return {
    participantIndex: p.participantIndex,
    participantSeed: p.participantSeed,
    modelSeed: p.modelSeed,
    modelSeeds,
    tasks,
    n: zeros(blocks * P),
    e: zeros(blocks * P),
    l: zeros(blocks * P),
    gn: zeros(P * 2),
    ge: zeros(P * 2),
    gl: zeros(P * 2),
  };
}

/** Add one model trial (one model seed) to the sums. */
export function addTrial(s: PredictedSums, t: PredictedTrial, correct: boolean, loss: number) {
  const p = Math.min(t.trialInBlock + 1, P);
  const i = t.blockIndex * P + p - 1;
  s.n[i] += 1;
  s.e[i] += correct ? 0 : 1;
  s.l[i] += loss;
  if (p >= 2 || t.blockIndex >= 1) {
    const g = (p - 1) * 2 + (t.congruent ? 1 : 0);
    s.gn[g] += 1;
    s.ge[g] += correct ? 0 : 1;
    s.gl[g] += loss;
  }
}

/** The analysis options of a predicted design, as the study dashboard picks them for that design. */
export function predictionOptions(
  design: { blocks: number; trialsPerBlock: number },
  levels: "grouped" | "first4" = "grouped",
): AnalysisOptions {
  return {
    positions: Math.max(1, Math.min(8, design.trialsPerBlock)),
    switchesPerLevel: levels === "first4" ? 1 : switchesPerLevelFor(design.blocks - 1, 4),
    repeatFromPosition: 2,
    intoTask: null,
    phase: "main",
    exclusions: { minRtMs: null, maxSd: null, dropPostError: false, dropFirstBlock: false },
  };
}

/**
 * Cells (summed over the predicted participants) and per-participant unit rows, exactly as
 * lib/server/dashboard.ts builds them from model trials (one unit = one predicted participant,
 * its model seeds pooled). Needs repeatFromPosition ≥ 2 and a tail position ≤ 9.
 */
export function predictionCellsAndUnits(
  rows: readonly PredictedSums[],
  stream: string,
  o: AnalysisOptions,
  maxLevels = Infinity,
): { cells: SwitchCell[]; units: UnitRow[] } {
  const tail = cellTailPosition(o);
  if (tail > P || o.repeatFromPosition < 2)
    throw new Error(`predicted sums keep positions 1–${P - 1} apart`);
  const cells = new Map<string, SwitchCell>();
  const units: UnitRow[] = [];
  for (const r of rows) {
    const unit = `p${r.participantIndex}`;
    const acc = new Map<string, UnitRow>();
    const add = (
      kind: UnitRow["kind"],
      a: number,
      b: number | null,
      congruent: boolean | null,
      n: number,
      e: number,
      l: number,
    ) => {
      const key = `${kind}|${a}|${b}|${congruent}`;
      let u = acc.get(key);
      if (!u) {
        u = {
          stream,
          unit,
          kind,
          a,
          b,
          congruent,
          ...zeroSums(),
        };
        acc.set(key, u);
      }
      u.n += n;
      u.errors += e;
      u.lossSum += l;
      u.nLoss += n;
    };
    r.tasks.forEach((task, b) => {
      for (let p = 1; p <= P; p++) {
        const i = b * P + p - 1;
        const n = r.n[i];
        if (n === 0) continue;
        const position = Math.min(p, tail);
        const key = `${b}|${position}|${task}`;
        let c = cells.get(key);
        if (!c) {
          c = {
            blockIndex: b,
            position,
            task,
            ...zeroSums(),
          };
          cells.set(key, c);
        }
        c.n += n;
        c.errors += r.e[i];
        c.lossSum += r.l[i];
        c.nLoss += n;
        if (b >= 1 && p <= o.positions) {
          const lvl = Math.floor((b - 1) / o.switchesPerLevel);
          if (lvl < maxLevels) add("L", lvl, p, null, n, r.e[i], r.l[i]);
          add("K", b, null, null, n, r.e[i], r.l[i]);
        }
      }
    });
    for (let p = 1; p <= P; p++)
      for (const congruent of [false, true]) {
        const g = (p - 1) * 2 + (congruent ? 1 : 0);
        if (r.gn[g] === 0) continue;
        const kind = p === 1 ? 1 : p >= o.repeatFromPosition ? 0 : null;
        if (kind !== null) add("C", kind, null, congruent, r.gn[g], r.ge[g], r.gl[g]);
      }
    units.push(...acc.values());
  }
  const byCell = (a: SwitchCell, b: SwitchCell) =>
    a.blockIndex - b.blockIndex || a.position - b.position || a.task.localeCompare(b.task);
  return { cells: [...cells.values()].sort(byCell), units };
}

export type PredictedStream = CellAnalysis & { streams: number; intervals: StreamIntervals };

/**
 * A predicted preset as a dashboard model stream: recovery curves, costs and trend from the cells,
 * ± 1 SE over predicted participants. `streams` counts model runs (participants × model seeds).
 */
export function predictedStream(
  rows: readonly PredictedSums[],
  o: AnalysisOptions,
  maxLevels = Infinity,
): PredictedStream {
  const { cells, units } = predictionCellsAndUnits(rows, "predicted", o, maxLevels);
  return {
    ...computeAnalysisFromCells(cells, o),
    streams: rows.reduce((s, r) => s + r.modelSeeds, 0),
    intervals: streamIntervals(unitTables(units).get("predicted"), MODEL_INTERVALS),
  };
}

// ---- chart-ready arrays (components/dashboard/prediction-panels.tsx draws them as they are) ----

/** A predicted condition as the views take it (lib/server/predictions.ts fetchPredictions). */
export type PredictionViewInput = {
  condition: string | null;
  design: { blocks: number; trialsPerBlock: number };
  participants: number;
  modelSeeds: number;
  presets: Record<PredictionPreset, PredictedStream>;
};

export const PRESET_LABEL: Record<PredictionPreset, string> = {
  flexible: "Flexible model",
  forgetful: "Forgetful model",
};

/** A series of a comparison chart: its colour follows `stream`, its dash the condition's index. */
export type StyledSeries = ChartSeries & { stream: string; dashIndex: number };

export const conditionLabel = (condition: string | null) =>
  condition === null ? "this study" : `condition ${condition}`;

/** Switch − repeat costs and practice slopes of one predicted (condition, preset), with ± 1 SE. */
export type PredictedCostRow = {
  condition: string | null;
  preset: PredictionPreset;
  errorCostPct: number | null;
  errorCostSePct: number | null;
  lossCost: number | null;
  lossCostSe: number | null;
  errorSlopePct: number | null;
  lossSlope: number | null;
  lossSlopeSe: number | null;
};

const halfWidth = (s: PredictedStream, name: string, k = 1) => {
  const v = s.intervals.values[name];
  return v?.lo == null || v.hi == null ? null : ((v.hi - v.lo) / 2) * k;
};

/**
 * The study page's prediction view: per condition, each preset's recovery curves (error, loss)
 * per practice level; across conditions, loss and error after each switch (one line per condition
 * and preset) and the cost table.
 */
export function toPredictionView(list: readonly PredictionViewInput[]) {
  const conditions = list.map((c) => ({
    key: c.condition ?? "",
    label: conditionLabel(c.condition),
    design: c.design,
    switches: c.design.blocks - 1,
    positions: Math.max(1, Math.min(8, c.design.trialsPerBlock)),
    participants: c.participants,
    modelSeeds: c.modelSeeds,
    panels: PREDICTION_PRESETS.map((preset) => {
      const s = c.presets[preset];
      return {
        key: preset,
        label: PRESET_LABEL[preset],
        streams: s.streams,
        intervalUnits: s.intervals.units,
        error: toRecoveryChartData(s.recovery, "errorPct", Infinity, s.intervals),
        loss: toRecoveryChartData(s.recovery, "meanLoss", Infinity, s.intervals),
      };
    }),
  }));
  const trendStreams = list.flatMap((c) =>
    PREDICTION_PRESETS.map((preset) => ({
      key: `${c.condition ?? ""}:${preset}`,
      label: `${PRESET_LABEL[preset]}, ${conditionLabel(c.condition)}`,
      perSwitch: c.presets[preset].trend.perSwitch,
      intervals: c.presets[preset].intervals,
    })),
  );
  const style = (d: RecoveryChartData) => ({
    rows: d.rows,
    series: d.series.map((s, i): StyledSeries => ({
      ...s,
      stream: PREDICTION_PRESETS[i % PREDICTION_PRESETS.length],
      dashIndex: Math.floor(i / PREDICTION_PRESETS.length),
    })),
  });
  const costs: PredictedCostRow[] = list.flatMap((c) =>
    PREDICTION_PRESETS.map((preset) => {
      const s = c.presets[preset];
      const pct = (x: number | null) => (x === null ? null : 100 * x);
      return {
        condition: c.condition,
        preset,
        errorCostPct: pct(s.switchCost.errorRate),
        errorCostSePct: halfWidth(s, "e:cost:all", 100),
        lossCost: s.switchCost.loss,
        lossCostSe: halfWidth(s, "l:cost:all"),
        errorSlopePct: pct(s.trend.errorRateSlope),
        lossSlope: s.trend.lossSlope,
        lossSlopeSe: halfWidth(s, "l:slope"),
      };
    }),
  );
  return {
    conditions,
    trendLoss: style(toTrendChartData(trendStreams, "meanLoss")),
    trendError: style(toTrendChartData(trendStreams, "errorPct")),
    costs,
  };
}
export type PredictionView = ReturnType<typeof toPredictionView>;

/**
 * The dashboard's overlay for one condition: observed post-switch error per switch (participants
 * and both models, solid) with the predicted presets (dashed), on one axis.
 */
export function toPredictionOverlay(
  observed: readonly { key: string; label: string; perSwitch: readonly PracticeTrendPoint[] }[],
  predicted: PredictionViewInput,
) {
  const streams = [
    ...observed.map((o) => ({ ...o, dashIndex: 0, stream: o.key })),
    ...PREDICTION_PRESETS.map((preset) => ({
      key: `predicted-${preset}`,
      label: `${PRESET_LABEL[preset]}, predicted`,
      perSwitch: predicted.presets[preset].trend.perSwitch,
      dashIndex: 1,
      stream: preset as string,
    })),
  ];
  const d = toTrendChartData(streams, "errorPct");
  return {
    rows: d.rows,
    series: d.series.map((s, i): StyledSeries => ({
      ...s,
      stream: streams[i].stream,
      dashIndex: streams[i].dashIndex,
    })),
  };
}
