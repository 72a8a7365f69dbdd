// Model fits to participants (docs/science.md §10.5; docs/fitting.md): the NTA model learns
// each completed run's own curriculum, flexible and forgetful are fitted to the participant's key
// presses — and, with the default "ddm" link, their response times — by maximum likelihood and compared by BIC. Stored as Fit rows with provenance (model seed,
// code version, job id). Runs in a "fit" job (payload {studyId, runId?}) or `npm run fit`.
import "server-only";

import { z } from "zod";

import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { deriveSeed } from "@/lib/core/rng";
import { compareStudy } from "@/lib/model/fit/compare";
import { jsEngine } from "@/lib/model/fit/engine";
import type { ModelFit } from "@/lib/model/fit/fit";
import { type FitCurvePoint, fitRecoveryCurves } from "@/lib/model/fit/curves";
import { fitDataFor, initWeights, predictedCorrect } from "@/lib/model/fit/likelihood";
import { INIT_SEEDS, type ParticipantFit, fitParticipant } from "@/lib/model/fit/participant";
import {
  type LinkName,
  type ModelName,
  type Theta,
  modelParamsFor,
} from "@/lib/model/fit/transforms";
import { initBackend } from "@/lib/model/backend";
import { stimulusPresets } from "@/lib/model/presets";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

import { getDb } from "./db";
import { HttpError, parseOr422 } from "./http";
import type { JobHandler } from "./job-runner";
import { requireOwnedStudy } from "./studies";
import { codeVersion } from "./version";

/** Architecture of every fit: the stimulus presets' (dt 0.02, P = 2, per-path gates, init 0.01 / 0.5). */
export const FIT_ARCH = stimulusPresets.flexible.arch;
const MODELS: ModelName[] = ["flexible", "forgetful"];

/** The model initialisation seed of a run's fits: derived from the run's seed, stored with the fit. */
export const fitSeedFor = (runSeed: number): number => deriveSeed(runSeed, 201);

/** The default link of participant fits: key presses and response times (docs/fitting.md). */
export const DEFAULT_FIT_LINK: LinkName = "ddm";
const linkSchema = z.enum(["ddm", "choice"]);

/** A run's curriculum as the model's sequence, and the participant's choices and response times aligned with it. */
export async function loadRunForFit(runId: string) {
  const db = getDb();
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const sequence = curriculumToStimulusTrials(curriculumSchema.parse(run.curriculum));
  const { responseWindowMs } = studyConfigSchema.parse(run.config).timing;
  const trials = await db.trial.findMany({
    where: { runId, phase: "main" },
    select: { trialIndex: true, response: true, rtMs: true },
  });
  const data = fitDataFor(
    sequence,
    new Map(trials.map((t) => [t.trialIndex, t])),
    responseWindowMs,
  );
  return { run, sequence, data };
}

type Progress = (fraction: number, message: string) => void | Promise<void>;

/** Fit both models to one run and store (replace) its two Fit rows. */
export async function fitRun(
  runId: string,
  opts: { jobId?: string; link?: LinkName; onProgress?: Progress } = {},
): Promise<ParticipantFit & { fitIds: string[] }> {
  const { run, sequence, data } = await loadRunForFit(runId);
  await initBackend();
  const seed = fitSeedFor(run.seed);
  const link = opts.link ?? DEFAULT_FIT_LINK;
  const result = await fitParticipant(FIT_ARCH, sequence, data, {
    seed,
    link,
    onProgress: (f, m) => void opts.onProgress?.(f, m),
  });
  const db = getDb();
  const rows = await db.$transaction(async (tx) => {
    await tx.fit.deleteMany({ where: { runId, model: { in: MODELS } } });
    return Promise.all(
      MODELS.map((m) =>
        tx.fit.create({ data: fitRowData(run.studyId, runId, result[m], opts.jobId) }),
      ),
    );
  });
  return { ...result, fitIds: rows.map((r) => r.id) };
}

function fitRowData(studyId: string, runId: string, f: ModelFit, jobId?: string) {
  return {
    studyId,
    runId,
    model: f.model,
    params: {
      ...f.theta,
      link: f.link,
      arch: FIT_ARCH,
      modelParams: modelParamsFor(f.model, f.theta),
      evals: f.evals,
      wallMs: Math.round(f.wallMs),
    } as object,
    uncertainty: f.uncertainty as object,
    logLik: f.logLik,
    bic: f.bic,
    nTrials: f.nTrials,
    nParams: f.nParams,
    seed: f.seed,
    codeVersion: codeVersion(),
    jobId: jobId ?? null,
  };
}

/** Fit every completed, non-pilot run of a study, then store the study sums (runId null). */
export async function fitStudy(
  studyId: string,
  opts: {
    jobId?: string;
    link?: LinkName;
    onProgress?: Progress;
    onRun?: (runId: string, fit: ParticipantFit, i: number, n: number) => void;
  } = {},
) {
  const runs = await getDb().run.findMany({
    where: { studyId, status: "completed", isPilot: false },
    orderBy: { participantIndex: "asc" },
    select: { id: true },
  });
  const pairs: ParticipantFit[] = [];
  for (const [i, r] of runs.entries()) {
    const fit = await fitRun(r.id, {
      jobId: opts.jobId,
      link: opts.link,
      onProgress: (f, m) =>
        opts.onProgress?.((i + f) / runs.length, `run ${i + 1}/${runs.length} ${m}`),
    });
    pairs.push(fit);
    opts.onRun?.(r.id, fit, i, runs.length);
  }
  const comparison = compareStudy(pairs);
  if (comparison) await storeStudySums(studyId, comparison, opts.jobId);
  return { runs: runs.length, comparison };
}

async function storeStudySums(
  studyId: string,
  c: NonNullable<ReturnType<typeof compareStudy>>,
  jobId?: string,
) {
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.fit.deleteMany({ where: { studyId, runId: null, model: { in: MODELS } } });
    for (const m of MODELS)
      await tx.fit.create({
        data: {
          studyId,
          runId: null,
          model: m,
          params: {
            participants: c.participants,
            preferredCount: c.preferredCount[m],
            deltaBic: c.deltaBic,
            preferred: c.preferred,
          },
          logLik: c.logLik[m],
          bic: c.bic[m],
          nTrials: c.nTrials,
          nParams: c.nParams[m],
          seed: 0,
          codeVersion: codeVersion(),
          jobId: jobId ?? null,
        },
      });
  });
}

export const fitJobPayloadSchema = z
  .object({
    studyId: z.string().min(1),
    runId: z.string().min(1).optional(),
    link: linkSchema.optional(),
  })
  .strict();

/** Job handler "fit": payload {studyId, runId?, link?}. Idempotent: a rerun replaces the fits it covers. */
export const fitJob: JobHandler = async (job, ctx) => {
  const { studyId, runId, link } = fitJobPayloadSchema.parse(job.payload);
  let last = 0;
  const onProgress: Progress = async (fraction, message) => {
    if (fraction - last < 0.02 && fraction < 1) return; // throttle database writes
    last = fraction;
    await ctx.progress(fraction * 0.98, message);
  };
  if (runId) {
    const r = await fitRun(runId, { jobId: job.id, link, onProgress });
    return { runId, fitIds: r.fitIds, comparison: r.comparison };
  }
  const s = await fitStudy(studyId, { jobId: job.id, link, onProgress });
  return { studyId, runs: s.runs, comparison: s.comparison };
};

/** POST body: {runId?, link?}: link "ddm" (default: keys and response times) or "choice" (keys only). */
export const fitRequestSchema = z
  .object({ runId: z.string().min(1).max(64).optional(), link: linkSchema.optional() })
  .strict();

/** Queue a fit job for the study (every completed run) or one completed run of it; owner only. */
export async function enqueueFit(userId: string, studyId: string, body: unknown) {
  await requireOwnedStudy(userId, studyId);
  const { runId, link } = parseOr422(fitRequestSchema, body ?? {});
  const db = getDb();
  if (runId) {
    const run = await db.run.findFirst({ where: { id: runId, studyId }, select: { status: true } });
    if (!run) throw new HttpError(404, "Run not found");
    if (run.status !== "completed")
      throw new HttpError(422, `Only completed runs can be fitted (this run is ${run.status})`);
  } else if (
    (await db.run.count({ where: { studyId, status: "completed", isPilot: false } })) === 0
  ) {
    throw new HttpError(422, "The study has no completed runs to fit");
  }
  const payload = { studyId, ...(runId ? { runId } : {}), ...(link ? { link } : {}) };
  return db.job.create({ data: { kind: "fit", payload, studyId, runId: runId ?? null } });
}

/** Fits of a study (per run and the study sums), the BIC comparison over runs, and recent fit jobs. */
export async function fetchFits(userId: string, studyId: string) {
  await requireOwnedStudy(userId, studyId);
  const db = getDb();
  const [fits, jobs] = await Promise.all([
    db.fit.findMany({ where: { studyId }, orderBy: [{ runId: "asc" }, { model: "asc" }] }),
    db.job.findMany({
      where: { studyId, kind: "fit" },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: {
        id: true,
        runId: true,
        status: true,
        progress: true,
        message: true,
        error: true,
        createdAt: true,
        updatedAt: true,
      },
    }),
  ]);
  const byRun = new Map<string, Partial<Record<ModelName, (typeof fits)[number]>>>();
  for (const f of fits)
    if (f.runId) byRun.set(f.runId, { ...byRun.get(f.runId), [f.model as ModelName]: f });
  const pairs = [...byRun.values()].filter((p) => p.flexible && p.forgetful) as Record<
    ModelName,
    (typeof fits)[number]
  >[];
  return { fits, jobs, comparison: compareStudy(pairs) };
}

/**
 * Observed vs fitted recovery curves of one run, recomputed from the stored θ and seed (~5 ms). The
 * prediction mixes the fit's S model initialisations by their posterior weight given the
 * participant's data (the likelihood marginalises over them, so a single draw would show the wrong
 * specialisation time for a flexible fit).
 */
export async function fetchFitCurves(
  userId: string,
  studyId: string,
  runId: string,
): Promise<FitCurvePoint[] | null> {
  await requireOwnedStudy(userId, studyId);
  const fits = await getDb().fit.findMany({ where: { studyId, runId } });
  if (fits.length === 0) return null;
  const { sequence, data } = await loadRunForFit(runId);
  const predicted: Record<string, Float64Array> = {};
  for (const f of fits) {
    const theta = f.params as Theta & { link?: LinkName };
    const link: LinkName = theta.link === "ddm" && data.rts ? "ddm" : "choice";
    const outs = await jsEngine(
      FIT_ARCH,
      sequence,
      f.seed,
      INIT_SEEDS,
    )([modelParamsFor(f.model as ModelName, theta)]);
    const weights = initWeights(outs, data, link, theta);
    const mix = new Float64Array(sequence.trials.length);
    outs.forEach((o, s) =>
      predictedCorrect(o, sequence, theta.beta!, theta.lapse!).forEach(
        (p, t) => (mix[t] += weights[s] * p),
      ),
    );
    predicted[f.model] = mix;
  }
  return fitRecoveryCurves(sequence, data.choices, predicted);
}
