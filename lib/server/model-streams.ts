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
import { initBackend } from "@/lib/model/backend";
import { stimulusPresets } from "@/lib/model/presets";
import { runStimulus, toTrialRecords } from "@/lib/model/simulate-stimulus";
import { modelSeedFor } from "@/lib/model/seeds";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

import { getDb } from "./db";
import type { ModelSource } from "./generated/prisma/client";
import { HttpError, parseOr422 } from "./http";
import type { JobHandler } from "./job-runner";
import { codeVersion } from "./version";

export const modelStreamPresetSchema = z.enum(["flexible", "forgetful"]);
export type ModelStreamPreset = z.infer<typeof modelStreamPresetSchema>;

export { modelSeedFor } from "@/lib/model/seeds";

/** Run a stimulus preset on a run's curriculum in this process (Node, TF.js wasm backend). */
export async function computeModelStream(
  curriculumJson: unknown,
  preset: ModelStreamPreset,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<TrialRecord[]> {
  const curriculum = curriculumSchema.parse(curriculumJson);
  const sequence = curriculumToStimulusTrials(curriculum);
  const p = stimulusPresets[preset];
  await initBackend();
  const result = await runStimulus(
    { arch: p.arch, params: [p.params], sequence },
    { seeds: 1, seed, onProgress },
  );
  return toTrialRecords(result, sequence, 0);
}

/** A model TrialRecord as a ModelTrial row (without its stream id). */
function toModelTrialRow(r: TrialRecord) {
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

/**
 * Store (or replace) the stream of one model on one run. One stream per (run, preset, source):
 * storing again replaces the previous trials in one transaction, so readers never see a mix.
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
  return db.$transaction(async (tx) => {
    const modelRun = await tx.modelRun.upsert({
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
    await tx.modelTrial.deleteMany({ where: { modelRunId: modelRun.id } });
    for (let i = 0; i < data.length; i += 1000) {
      await tx.modelTrial.createMany({
        data: data.slice(i, i + 1000).map((d) => ({ ...d, modelRunId: modelRun.id })),
      });
    }
    return tx.modelRun.update({
      where: { id: modelRun.id },
      data: {
        status: data.length >= input.expectedTrials ? "done" : "running",
        finishedAt: data.length >= input.expectedTrials ? new Date() : null,
      },
    });
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
  const records = await computeModelStream(run.curriculum, preset, seed, (done, total) => {
    last = done / total;
  });
  await ctx.progress(Math.min(last, 0.9), "storing model trials");
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
