// Model trial streams: the NTA model learning one participant run's exact curriculum in stimulus
// mode (docs/science.md §10.3). Computed by a server job when a run completes, or in a
// browser (researcher dashboard, participant's own browser) and posted here. Every stream is
// stored as ModelRun + ModelTrial rows with provenance: preset, parameters, seed, code version.
import "server-only";

import { z } from "zod";

import {
  curriculumMismatch,
  curriculumSchema,
  type Curriculum,
} from "@/lib/core/curriculum-schema";
import { trialRecordSchema, type TrialRecord } from "@/lib/core/trial-record";
import { computeTasks } from "@/lib/model/compute";
import { stimulusPresets } from "@/lib/model/presets";
import { modelSeedFor } from "@/lib/model/seeds";

import { getDb } from "./db";
import type { ModelSource } from "./generated/prisma/client";
import { HttpError, parseOr422 } from "./http";
import { runOffThread } from "./job-pool";
import type { JobHandler } from "./job-runner";
import { codeVersion } from "./version";

export const modelStreamPresetSchema = z.enum(["flexible", "forgetful"]);
export type ModelStreamPreset = z.infer<typeof modelStreamPresetSchema>;

export { modelSeedFor } from "@/lib/model/seeds";

/** Run a stimulus preset on a run's curriculum in this process (scripts, tests; jobs use the pool). */
export function computeModelStream(
  curriculumJson: unknown,
  preset: ModelStreamPreset,
  seed: number,
  onProgress: (fraction: number, message: string) => void = () => undefined,
): Promise<TrialRecord[]> {
  return computeTasks.modelStream({ curriculum: curriculumJson, preset, seed }, onProgress);
}

/** A model TrialRecord as a ModelTrial row (without its stream id). */
export function toModelTrialRow(r: TrialRecord) {
  return {
    trialIndex: r.trialIndex,
    blockIndex: r.blockIndex,
    trialInBlock: r.trialInBlock,
    task: r.task,
    stimulus: r.stimulus,
    correctResponse: r.correctResponse,
    congruent: r.congruent,
    response: r.response ?? "",
    correct: r.correct,
    output: r.output ?? 0,
    loss: r.loss ?? 0,
    gates: r.gates ?? [],
  };
}

/** 422 unless a model record is the curriculum trial at its index, with output, loss and gates. */
function checkModelRecord(curriculum: Curriculum, rec: TrialRecord) {
  const expected = curriculum.trials[rec.trialIndex];
  const mismatch = expected ? curriculumMismatch(expected, rec) : "out of range";
  if (mismatch)
    throw new HttpError(
      422,
      `model trial ${rec.trialIndex} does not match the run's curriculum: ${mismatch}`,
    );
  if (rec.output === null || rec.loss === null || rec.gates === null)
    throw new HttpError(422, `model trial ${rec.trialIndex} needs output, loss and gates`);
}

/** Rows per INSERT when a whole stream is stored: each chunk is its own short statement. */
export const MODEL_TRIAL_CHUNK = 500;

/**
 * Store (or replace) the stream of one model on one run. One stream per (run, preset, source). No
 * long transaction (a 5,000-trial stream once outlasted Prisma's 5-s transaction limit): the
 * stream is marked "running", its old trials deleted, the new ones inserted in chunks of
 * MODEL_TRIAL_CHUNK, and only then marked "done" — readers take "done" streams only, so they never
 * see a half-written one, and a writer that dies midway leaves a "running" stream that the next
 * attempt replaces.
 */
export async function storeModelStream(input: {
  runId: string;
  studyId: string;
  preset: string;
  source: ModelSource;
  params: unknown;
  seed: number;
  records: TrialRecord[];
  expectedTrials: number;
}) {
  const db = getDb();
  const data = input.records.map(toModelTrialRow);
  const modelRun = await db.modelRun.upsert({
    where: {
      runId_preset_source: { runId: input.runId, preset: input.preset, source: input.source },
    },
    create: {
      runId: input.runId,
      studyId: input.studyId,
      preset: input.preset,
      source: input.source,
      params: input.params as object,
      seed: input.seed,
      codeVersion: codeVersion(),
      expectedTrials: input.expectedTrials,
      status: "running",
    },
    update: {
      params: input.params as object,
      seed: input.seed,
      codeVersion: codeVersion(),
      status: "running",
      finishedAt: null,
    },
  });
  await db.modelTrial.deleteMany({ where: { modelRunId: modelRun.id } });
  for (let i = 0; i < data.length; i += MODEL_TRIAL_CHUNK) {
    await db.modelTrial.createMany({
      data: data.slice(i, i + MODEL_TRIAL_CHUNK).map((d) => ({ ...d, modelRunId: modelRun.id })),
    });
  }
  const complete = data.length >= input.expectedTrials;
  return db.modelRun.update({
    where: { id: modelRun.id },
    data: { status: complete ? "done" : "running", finishedAt: complete ? new Date() : null },
  });
}

/** Job handler: payload {runId, preset}. Idempotent: a rerun replaces the stream. */
export const modelStreamJob: JobHandler = async (job, ctx) => {
  const { runId, preset } = z
    .object({ runId: z.string(), preset: modelStreamPresetSchema })
    .parse(job.payload);
  const run = await getDb().run.findUniqueOrThrow({ where: { id: runId } });
  const seed = modelSeedFor(run.seed, preset);
  let last = 0;
  // the model learns the curriculum in a worker thread; this thread only reads and writes rows
  const records = await runOffThread(
    "modelStream",
    { curriculum: run.curriculum, preset, seed },
    {
      signal: ctx.signal,
      onProgress: (fraction, message) => {
        if (fraction - last < 0.05) return; // throttle database writes
        last = fraction;
        void ctx.progress(fraction * 0.9, message).catch(() => undefined);
      },
    },
  );
  await ctx.progress(0.9, "storing model trials");
  const stored = await storeModelStream({
    runId,
    studyId: run.studyId,
    preset,
    source: "server",
    params: { ...stimulusPresets[preset].params, arch: stimulusPresets[preset].arch },
    seed,
    records,
    expectedTrials: run.expectedTrials,
  });
  return { modelRunId: stored.id, trials: records.length };
};

export const modelStreamUploadSchema = z.object({
  preset: modelStreamPresetSchema,
  seed: z.number().int().min(0).max(2_147_483_647),
  /** Every main trial, in order. */
  trials: z.array(trialRecordSchema).min(1).max(2000),
});

/**
 * A model stream computed in a browser (researcher dashboard or the participant's own browser),
 * validated against the run's curriculum before anything is stored. The browser must use the
 * preset's parameters; the seed it used is stored with the stream.
 */
export async function storeBrowserModelStream(
  run: { id: string; studyId: string; curriculum: unknown; expectedTrials: number },
  source: "researcher_browser" | "participant_browser",
  body: unknown,
) {
  const upload = parseOr422(modelStreamUploadSchema, body);
  const curriculum = curriculumSchema.parse(run.curriculum);
  if (upload.trials.length !== curriculum.trials.length) {
    throw new HttpError(
      422,
      `A model stream must hold all ${curriculum.trials.length} main trials (got ${upload.trials.length})`,
    );
  }
  upload.trials.forEach((rec, i) => {
    if (rec.trialIndex !== i)
      throw new HttpError(
        422,
        `model trial ${i} does not match the run's curriculum: trialIndex is ${rec.trialIndex}`,
      );
    checkModelRecord(curriculum, rec);
  });
  const p = stimulusPresets[upload.preset];
  return storeModelStream({
    runId: run.id,
    studyId: run.studyId,
    preset: upload.preset,
    source,
    params: { ...p.params, arch: p.arch },
    seed: upload.seed,
    records: upload.trials,
    expectedTrials: run.expectedTrials,
  });
}

export const modelTrialChunkSchema = z.object({
  preset: modelStreamPresetSchema,
  seed: z.number().int().min(0).max(2_147_483_647),
  trials: z.array(trialRecordSchema).min(1).max(100),
});

/**
 * Append a chunk of a model stream computed in the participant's browser, posted through the
 * same idempotent save queue as the human trials: keyed by (stream, trialIndex), so a retried or
 * duplicated chunk changes nothing. Every record must match the curriculum at its index; the
 * stream is "done" once it holds every main trial.
 */
export async function appendParticipantModelTrials(
  run: { id: string; studyId: string; curriculum: unknown; expectedTrials: number },
  body: unknown,
) {
  const chunk = parseOr422(modelTrialChunkSchema, body);
  const curriculum = curriculumSchema.parse(run.curriculum);
  for (const rec of chunk.trials) checkModelRecord(curriculum, rec);
  const p = stimulusPresets[chunk.preset];
  const db = getDb();
  const modelRun = await db.modelRun.upsert({
    where: {
      runId_preset_source: { runId: run.id, preset: chunk.preset, source: "participant_browser" },
    },
    create: {
      runId: run.id,
      studyId: run.studyId,
      preset: chunk.preset,
      source: "participant_browser",
      params: { ...p.params, arch: p.arch },
      seed: chunk.seed,
      codeVersion: codeVersion(),
      expectedTrials: run.expectedTrials,
      status: "running",
    },
    update: {},
  });
  if (modelRun.seed !== chunk.seed)
    throw new HttpError(
      409,
      `This stream was started with seed ${modelRun.seed}, not ${chunk.seed}`,
    );
  const created = await db.modelTrial.createMany({
    data: chunk.trials.map((r) => ({ ...toModelTrialRow(r), modelRunId: modelRun.id })),
    skipDuplicates: true,
  });
  const stored = await db.modelTrial.count({ where: { modelRunId: modelRun.id } });
  if (stored >= run.expectedTrials && modelRun.status !== "done") {
    await db.modelRun.update({
      where: { id: modelRun.id },
      data: { status: "done", finishedAt: new Date() },
    });
  }
  return {
    saved: created.count,
    duplicates: chunk.trials.length - created.count,
    stored,
    expected: run.expectedTrials,
  };
}
