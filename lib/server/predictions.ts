// Model predictions before data (docs/researcher-guide.md "Predictions"): a "prediction" job runs
// both presets on every condition's curricula (lib/core/predictions.ts predictionPlan: several
// participant seeds × model seeds) in the compute pool and stores one Prediction row per
// (condition, preset) with its seeds. Rows carry the hash of what they depend on
// (predictionInputs): when the study's settings change, the stored rows are stale until the job
// queued by the save replaces them. Readers turn the stored sums into the dashboard's model-stream
// view for any options (lib/core/predictions.ts predictedStream).
import "server-only";

import { createHash } from "node:crypto";

import { z } from "zod";

import type { PredictionState } from "@/lib/core/api-responses";
import { effectiveConfig } from "@/lib/core/conditions";
import {
  type PredictedStream,
  type PredictedSums,
  type PredictionPreset,
  PREDICTION_PRESETS,
  PREDICTION_SIZE,
  predictedStream,
  predictionInputs,
  predictionOptions,
  predictionPlan,
} from "@/lib/core/predictions";
import { type StudyConfig, studyConfigSchema } from "@/lib/core/study-config";
import { stimulusPresets } from "@/lib/model/presets";

import { getDb } from "./db";
import { type ExportRow, formatCsvCell } from "./exports";
import { HttpError } from "./http";
import { runOffThread } from "./job-pool";
import type { JobHandler } from "./job-runner";
import { enqueueJob } from "./jobs";
import { codeVersion } from "./version";

const presetParams = (preset: PredictionPreset) => ({
  ...stimulusPresets[preset].params,
  arch: stimulusPresets[preset].arch,
});

/** The hash a study's stored predictions must carry to be current. */
export function predictionHash(
  config: StudyConfig,
  size: { participants: number; modelSeeds: number } = PREDICTION_SIZE,
): string {
  const params = Object.fromEntries(PREDICTION_PRESETS.map((p) => [p, presetParams(p)]));
  return createHash("sha256")
    .update(JSON.stringify(predictionInputs(config, params, size)))
    .digest("hex")
    .slice(0, 32);
}

const payloadSchema = z.object({
  studyId: z.string(),
  participants: z.number().int().min(2).max(100).optional(),
  modelSeeds: z.number().int().min(1).max(32).optional(),
});

/**
 * Queue the study's prediction for its current settings (a job with the same inputs already
 * queued or running is returned instead). Nothing is queued when the stored rows are current,
 * unless `force`.
 */
export async function enqueuePredictions(
  study: { id: string; config: unknown },
  opts: { force?: boolean; participants?: number; modelSeeds?: number } = {},
) {
  const config = studyConfigSchema.parse(study.config);
  const size = {
    participants: opts.participants ?? PREDICTION_SIZE.participants,
    modelSeeds: opts.modelSeeds ?? PREDICTION_SIZE.modelSeeds,
  };
  const hash = predictionHash(config, size);
  if (!opts.force) {
    const current = await getDb().prediction.count({
      where: { studyId: study.id, inputsHash: hash },
    });
    if (current > 0) return null;
  }
  return enqueueJob({
    kind: "prediction",
    key: `${study.id}/${hash}`,
    payload: { studyId: study.id, ...size },
    studyId: study.id,
  });
}

/**
 * After a study's settings were saved (the study form): queue its prediction unless the stored
 * one is current. Never fails the save: a queueing error is logged and the study page's button
 * can queue it again.
 */
export async function predictAfterSave(studyId: string) {
  try {
    const study = await getDb().study.findUnique({
      where: { id: studyId },
      select: { id: true, config: true },
    });
    if (study) await enqueuePredictions(study);
  } catch (err) {
    console.error(`[predictions] could not queue the prediction of study ${studyId}`, err);
  }
}

/**
 * Job handler: payload {studyId, participants?, modelSeeds?}. Computes every condition in the
 * compute pool, then replaces the study's rows in one transaction — unless the settings changed
 * meanwhile (a newer job has the new inputs), in which case nothing is stored.
 */
export const predictionJob: JobHandler = async (job, ctx) => {
  const payload = payloadSchema.parse(job.payload);
  const size = {
    participants: payload.participants ?? PREDICTION_SIZE.participants,
    modelSeeds: payload.modelSeeds ?? PREDICTION_SIZE.modelSeeds,
  };
  const db = getDb();
  const study = await db.study.findUniqueOrThrow({ where: { id: payload.studyId } });
  const config = studyConfigSchema.parse(study.config);
  const hash = predictionHash(config, size);
  const plan = predictionPlan(config, size.participants);
  const results: {
    condition: string | null;
    design: object;
    sums: Record<string, PredictedSums[]>;
  }[] = [];
  for (const [i, c] of plan.entries()) {
    const sums = await runOffThread(
      "predictParticipants",
      { participants: c.participants, modelSeeds: size.modelSeeds },
      {
        signal: ctx.signal,
        onProgress: (fraction, message) =>
          void ctx
            .progress(
              (i + fraction) / plan.length,
              `${c.condition ? `condition ${c.condition}: ` : ""}${message}`,
            )
            .catch(() => undefined),
      },
    );
    results.push({ condition: c.condition, design: c.design, sums });
  }
  const now = await db.study.findUnique({ where: { id: study.id }, select: { config: true } });
  if (!now || predictionHash(studyConfigSchema.parse(now.config), size) !== hash)
    return { stored: 0, stale: true };
  const version = codeVersion();
  await db.$transaction([
    db.prediction.deleteMany({ where: { studyId: study.id } }),
    db.prediction.createMany({
      data: results.flatMap((r) =>
        PREDICTION_PRESETS.map((preset) => ({
          studyId: study.id,
          condition: r.condition ?? "",
          preset,
          inputsHash: hash,
          design: r.design,
          params: presetParams(preset),
          participants: size.participants,
          modelSeeds: size.modelSeeds,
          sums: r.sums[preset] as unknown as object[],
          codeVersion: version,
        })),
      ),
    }),
  ]);
  return { stored: results.length * PREDICTION_PRESETS.length, conditions: results.length };
};

/**
 * Whether the study's predictions are current (stored rows match the settings), stale (computed
 * for older settings) or none, and its newest prediction job.
 */
export async function fetchPredictionState(study: {
  id: string;
  config: unknown;
}): Promise<PredictionState> {
  const config = studyConfigSchema.parse(study.config);
  const db = getDb();
  const [row, job] = await Promise.all([
    db.prediction.findFirst({
      where: { studyId: study.id },
      select: { inputsHash: true, participants: true, modelSeeds: true },
    }),
    db.job.findFirst({
      where: { studyId: study.id, kind: "prediction" },
      orderBy: { createdAt: "desc" },
      select: { status: true, progress: true, message: true, error: true },
    }),
  ]);
  const state = !row
    ? "none"
    : predictionHash(config, row) === row.inputsHash
      ? "current"
      : "stale";
  return { state, job };
}

export type ConditionPrediction = {
  /** null: a study without conditions. */
  condition: string | null;
  design: { blocks: number; trialsPerBlock: number };
  participants: number;
  modelSeeds: number;
  createdAt: Date;
  codeVersion: string;
  /** Seeds of every predicted participant (model seed i = rngFor(modelSeed, i, 0)). */
  seeds: { participantIndex: number; participantSeed: number; modelSeed: number }[];
  params: Record<PredictionPreset, unknown>;
  presets: Record<PredictionPreset, PredictedStream>;
};

/**
 * The study's current predictions per condition (in the settings' order), analysed as the
 * dashboard analyses that design (`levels` as on the dashboard). Empty when none is current.
 */
export async function fetchPredictions(
  study: { id: string; config: unknown },
  view: { levels?: "grouped" | "first4"; condition?: string | null } = {},
): Promise<ConditionPrediction[]> {
  const config = studyConfigSchema.parse(study.config);
  const rows = await getDb().prediction.findMany({
    where: {
      studyId: study.id,
      ...(view.condition !== undefined ? { condition: view.condition ?? "" } : {}),
    },
  });
  const first = rows[0];
  if (!first || predictionHash(config, first) !== first.inputsHash) return [];
  const order = config.conditions.map((c) => c.name);
  const byCondition = new Map<string, typeof rows>();
  for (const r of rows) byCondition.set(r.condition, [...(byCondition.get(r.condition) ?? []), r]);
  return [...byCondition.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([condition, list]) => {
      const design = effectiveConfig(config, condition || null);
      const d = { blocks: design.blocks, trialsPerBlock: design.trialsPerBlock };
      const o = predictionOptions(d, view.levels);
      const maxLevels = view.levels === "first4" ? 4 : Infinity;
      const get = (preset: PredictionPreset) => list.find((r) => r.preset === preset)!;
      const sums = get("flexible").sums as unknown as PredictedSums[];
      return {
        condition: condition || null,
        design: d,
        participants: list[0].participants,
        modelSeeds: list[0].modelSeeds,
        createdAt: list[0].createdAt,
        codeVersion: list[0].codeVersion,
        seeds: sums.map((s) => ({
          participantIndex: s.participantIndex,
          participantSeed: s.participantSeed,
          modelSeed: s.modelSeed,
        })),
        params: { flexible: get("flexible").params, forgetful: get("forgetful").params },
        presets: {
          flexible: predictedStream(sums, o, maxLevels),
          forgetful: predictedStream(
            get("forgetful").sums as unknown as PredictedSums[],
            o,
            maxLevels,
          ),
        },
      };
    });
}

/** CSV columns of a prediction export (one row per curve point or cost, long format). */
const CSV_COLUMNS = [
  "condition",
  "blocks",
  "trialsPerBlock",
  "preset",
  "curve",
  "level",
  "switches",
  "position",
  "switchIndex",
  "n",
  "errorRate",
  "errorRateSe",
  "meanLoss",
  "meanLossSe",
  "participants",
  "modelSeeds",
  "participantSeeds",
  "modelSeedBases",
] as const;

/**
 * The study's current predictions as a download: JSON (every condition with seeds, parameters,
 * recovery curves, per-switch trend and costs) or long-format CSV. 409 when none is current.
 */
export async function predictionExport(
  study: { id: string; slug: string; title: string; config: unknown },
  format: "json" | "csv",
) {
  const predicted = await fetchPredictions(study);
  if (predicted.length === 0)
    throw new HttpError(409, "This study has no current predictions yet (compute them first)");
  const hash = (await getDb().prediction.findFirstOrThrow({ where: { studyId: study.id } }))
    .inputsHash;
  const fileName = `${study.slug}-predictions.${format}`;
  if (format === "json") {
    const body = JSON.stringify(
      {
        study: { id: study.id, slug: study.slug, title: study.title },
        inputsHash: hash,
        intervals: "± 1 SE over predicted participants (each pooling its model seeds)",
        conditions: predicted.map((p) => ({
          condition: p.condition,
          design: p.design,
          participants: p.participants,
          modelSeeds: p.modelSeeds,
          seeds: p.seeds,
          codeVersion: p.codeVersion,
          createdAt: p.createdAt,
          presets: Object.fromEntries(
            PREDICTION_PRESETS.map((preset) => {
              const s = p.presets[preset];
              return [
                preset,
                {
                  params: p.params[preset],
                  recovery: s.recovery,
                  perSwitch: s.trend.perSwitch,
                  switchCost: s.switchCost,
                  errorRateSlope: s.trend.errorRateSlope,
                  lossSlope: s.trend.lossSlope,
                },
              ];
            }),
          ),
        })),
      },
      null,
      2,
    );
    return { body, fileName, contentType: "application/json; charset=utf-8" };
  }
  const lines = [CSV_COLUMNS.join(",")];
  for (const p of predicted)
    for (const preset of PREDICTION_PRESETS) {
      const s = p.presets[preset];
      const iv = s.intervals.values;
      const se = (name: string) => {
        const v = iv[name];
        return v?.lo == null || v.hi == null ? null : (v.hi - v.lo) / 2;
      };
      const common = {
        condition: p.condition ?? "",
        blocks: p.design.blocks,
        trialsPerBlock: p.design.trialsPerBlock,
        preset,
        participants: p.participants,
        modelSeeds: p.modelSeeds,
        participantSeeds: p.seeds.map((x) => x.participantSeed),
        modelSeedBases: p.seeds.map((x) => x.modelSeed),
      };
      const rows: ExportRow[] = [
        ...s.recovery.map((r) => ({
          ...common,
          curve: "recovery",
          level: r.level,
          switches: `${r.switches[0]}-${r.switches[1]}`,
          position: r.position,
          n: r.n,
          errorRate: r.errorRate,
          errorRateSe: se(`e:L${r.level}:${r.position}`),
          meanLoss: r.meanLoss,
          meanLossSe: se(`l:L${r.level}:${r.position}`),
        })),
        ...s.trend.perSwitch.map((r) => ({
          ...common,
          curve: "perSwitch",
          switchIndex: r.switchIndex,
          n: r.n,
          errorRate: r.errorRate,
          errorRateSe: se(`e:K${r.switchIndex}`),
          meanLoss: r.meanLoss,
          meanLossSe: se(`l:K${r.switchIndex}`),
        })),
        {
          ...common,
          curve: "switchCost",
          n: s.switchCost.switchTrials.n,
          errorRate: s.switchCost.errorRate,
          errorRateSe: se("e:cost:all"),
          meanLoss: s.switchCost.loss,
          meanLossSe: se("l:cost:all"),
        },
        {
          ...common,
          curve: "slopePerSwitch",
          errorRate: s.trend.errorRateSlope,
          errorRateSe: se("e:slope"),
          meanLoss: s.trend.lossSlope,
          meanLossSe: se("l:slope"),
        },
      ];
      for (const r of rows) lines.push(CSV_COLUMNS.map((c) => formatCsvCell(r[c])).join(","));
    }
  return { body: `${lines.join("\n")}\n`, fileName, contentType: "text/csv; charset=utf-8" };
}
