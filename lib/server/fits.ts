// Model fits to participants (docs/science.md §10.5; docs/fitting.md): the NTA model learns
// each completed run's own curriculum; the two NTA variants and the descriptive baselines are
// fitted to the participant's key presses — and, with the default "ddm" link, their response times —
// by maximum likelihood and compared by BIC (with misfit and chance flags). Stored as Fit rows (one
// per model) with provenance (model seed, code version, job id); the run's comparison and posterior
// predictive summary are stored in its flexible row's params. A study fit then adds each NTA row's
// group-informed (empirical-Bayes) estimate over the study's participants not at chance
// (params.groupInformed; the population prior in the study-sum rows' params.groupPrior). Runs in a
// "fit" job (payload {studyId, runId?}) or `npm run fit`.
import "server-only";

import { z } from "zod";

import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { type QualityReport, assessQuality, qualitySummary } from "@/lib/core/quality";
import {
  type FitRow,
  type FitsResponse,
  modelComparisonSchema,
  ppcSummarySchema,
} from "@/lib/core/api-responses";
import { studyConfigSchema } from "@/lib/core/study-config";
import { deriveSeed } from "@/lib/core/rng";
import {
  type ChanceFlag,
  type ModelComparison,
  type StudyComparison,
  compareStudy,
} from "@/lib/model/fit/compare";
import type { ModelFit } from "@/lib/model/fit/fit";
import { fitDataFor } from "@/lib/model/fit/likelihood";
import { GROUP_MIN_MEMBERS } from "@/lib/model/fit/hierarchical";
import type { GroupInformed, GroupParticipant, ParticipantFit } from "@/lib/model/fit/participant";
import type { PpcSummary } from "@/lib/model/fit/ppc";
import {
  ALL_MODELS,
  type LinkName,
  type ModelName,
  NTA_MODELS,
  type NtaModelName,
  isNtaModel,
  modelParamsFor,
} from "@/lib/model/fit/transforms";
import { stimulusPresets } from "@/lib/model/presets";
import { curriculumToStimulusTrials } from "@/lib/model/stimulus-trials";

import { getDb } from "./db";
import { HttpError, parseOr422 } from "./http";
import { computeThreads, runOffThread } from "./job-pool";
import type { JobHandler } from "./job-runner";
import { enqueueJob } from "./jobs";
import { requireOwnedStudy } from "./studies";
import { codeVersion } from "./version";

/** Architecture of every fit: the stimulus presets' (dt 0.02, P = 2, per-path gates, init 0.01 / 0.5). */
export const FIT_ARCH = stimulusPresets.flexible.arch;
const MODELS: readonly ModelName[] = ALL_MODELS;

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
  const config = studyConfigSchema.parse(run.config);
  const trials = await db.trial.findMany({
    where: { runId, phase: "main" },
    select: { trialIndex: true, response: true, rtMs: true, correct: true, timeElapsedMs: true },
  });
  const data = fitDataFor(
    sequence,
    new Map(trials.map((t) => [t.trialIndex, t])),
    config.timing.responseWindowMs,
  );
  const quality = assessQuality(trials, {
    timing: config.timing,
    feedback: config.feedback,
    mainTrials: sequence.trials.length,
  });
  return { run, sequence, data, quality };
}

/** The quality checks' chance flags (overall or one half) as the comparison's chance flag. */
function chanceFlagOf(q: QualityReport): ChanceFlag {
  const flags = q.flags.filter((f) => f.code === "chance" || f.code === "chance-half");
  return flags.length ? { flag: true, reason: qualitySummary({ flags }) } : { flag: false };
}

type Progress = (fraction: number, message: string) => void | Promise<void>;

/** Fit every model to one run and store (replace) its Fit rows. */
export async function fitRun(
  runId: string,
  opts: {
    jobId?: string;
    link?: LinkName;
    onProgress?: Progress;
    signal?: AbortSignal;
    /** Runs the storing transaction (a study fit passes one queue for all its runs). */
    storeIn?: <T>(write: () => Promise<T>) => Promise<T>;
  } = {},
): Promise<ParticipantFit & { fitIds: string[]; group: GroupParticipant }> {
  const { run, sequence, data, quality } = await loadRunForFit(runId);
  const seed = fitSeedFor(run.seed);
  const link = opts.link ?? DEFAULT_FIT_LINK;
  // the fit runs in a worker thread (lib/server/job-pool.ts); this thread reads and writes rows
  const result = await runOffThread(
    "fitParticipant",
    { arch: FIT_ARCH, sequence, data, options: { seed, link, chance: chanceFlagOf(quality) } },
    { signal: opts.signal, onProgress: (f, m) => void opts.onProgress?.(f, m) },
  );
  const db = getDb();
  const store = opts.storeIn ?? (<T>(write: () => Promise<T>) => write());
  const rows = await store(() =>
    db.$transaction(async (tx) => {
      await tx.fit.deleteMany({ where: { runId, model: { in: [...MODELS] } } });
      return Promise.all(
        MODELS.filter((m) => result.fits[m]).map((m) =>
          tx.fit.create({
            data: fitRowData(
              run.studyId,
              runId,
              result.fits[m]!,
              opts.jobId,
              m === "flexible"
                ? {
                    comparison: result.comparison,
                    ppc: result.ppc,
                    quality: { flagged: quality.flagged, summary: qualitySummary(quality) },
                  }
                : {},
            ),
          }),
        ),
      );
    }),
  );
  // what a study fit's group-informed step needs of this run, without reading its trials again
  const u = Object.fromEntries(
    NTA_MODELS.flatMap((n) => (result.fits[n] ? [[n, result.fits[n]!.u]] : [])),
  );
  return { ...result, fitIds: rows.map((r) => r.id), group: { seq: sequence, data, seed, u } };
}

/** One write at a time, in call order (PGlite has one connection; rows of a run are replaced whole). */
function writeQueue(): <T>(write: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (write) => {
    const next = tail.then(write);
    tail = next.catch(() => undefined);
    return next;
  };
}

function fitRowData(
  studyId: string,
  runId: string,
  f: ModelFit,
  jobId: string | undefined,
  extra: { comparison?: ModelComparison; ppc?: PpcSummary; quality?: object },
) {
  return {
    studyId,
    runId,
    model: f.model,
    params: {
      ...f.theta,
      link: f.link,
      ...(isNtaModel(f.model)
        ? { arch: FIT_ARCH, modelParams: modelParamsFor(f.model, f.theta) }
        : {}),
      evals: f.evals,
      wallMs: Math.round(f.wallMs),
      ...extra,
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

/**
 * Fit every completed, non-pilot run of a study — as many at once as the compute pool has threads
 * (NTA_COMPUTE_THREADS) — then the group-informed estimates, then store the study sums (runId null).
 */
export async function fitStudy(
  studyId: string,
  opts: {
    jobId?: string;
    link?: LinkName;
    onProgress?: Progress;
    signal?: AbortSignal;
    onRun?: (runId: string, fit: ParticipantFit, i: number, n: number) => void;
  } = {},
) {
  const runs = await getDb().run.findMany({
    where: { studyId, status: "completed", isPilot: false },
    orderBy: { participantIndex: "asc" },
    select: { id: true },
  });
  const pairs: {
    runId: string;
    fits: ParticipantFit["fits"];
    comparison: ModelComparison;
    group: GroupParticipant;
  }[] = [];
  // the per-run fits take the first FITS_SHARE of the progress, the group-informed step the rest
  const share = runs.length >= GROUP_MIN_MEMBERS ? FITS_SHARE : 1;
  // as many runs at once as the compute pool has threads; their rows are written one run at a time
  const done = runs.map(() => 0);
  const storeIn = writeQueue();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < runs.length; i = next++) {
      const fit = await fitRun(runs[i].id, {
        jobId: opts.jobId,
        link: opts.link,
        signal: opts.signal,
        storeIn,
        onProgress: (f, m) => {
          done[i] = f;
          return opts.onProgress?.(
            (share * done.reduce((a, b) => a + b, 0)) / runs.length,
            `run ${i + 1}/${runs.length} ${m}`,
          );
        },
      });
      done[i] = 1;
      pairs[i] = {
        runId: runs[i].id,
        fits: fit.fits,
        comparison: fit.comparison,
        group: fit.group,
      };
      opts.onRun?.(runs[i].id, fit, i, runs.length);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(computeThreads(), runs.length)) }, worker),
  );
  const comparison = compareStudy(pairs);
  const group = await informFromGroup(
    pairs.filter((p) => !p.comparison.atChance),
    opts.link ?? DEFAULT_FIT_LINK,
    {
      signal: opts.signal,
      onProgress: (f, m) => opts.onProgress?.(share + (1 - share) * f, m),
    },
  );
  if (comparison) await storeStudySums(studyId, comparison, opts.jobId, group);
  return { runs: runs.length, comparison, groupInformed: group ? group.n : 0 };
}

/** Share of a study fit's progress taken by the per-run fits (the group-informed step: the rest). */
const FITS_SHARE = 0.9;

type GroupPriors = { n: number; priors: Partial<Record<NtaModelName, GroupInformed["prior"]>> };

/**
 * Group-informed estimates (lib/model/fit/hierarchical.ts) over the fitted participants not at
 * chance, stored with each run's NTA fit rows (params.groupInformed); null below GROUP_MIN_MEMBERS.
 */
async function informFromGroup(
  members: readonly { runId: string; group: GroupParticipant }[],
  link: LinkName,
  opts: { onProgress?: Progress; signal?: AbortSignal },
): Promise<GroupPriors | null> {
  if (members.length < GROUP_MIN_MEMBERS) return null;
  const participants = members.map((m) => m.group);
  const result = await runOffThread(
    "groupInformedFits",
    { arch: FIT_ARCH, participants, link },
    { signal: opts.signal, onProgress: (f, msg) => void opts.onProgress?.(f, msg) },
  );
  const db = getDb();
  await db.$transaction(async (tx) => {
    for (const [i, m] of members.entries())
      for (const model of NTA_MODELS) {
        const estimate = result[model]?.estimates[i];
        const row = estimate ? await tx.fit.findFirst({ where: { runId: m.runId, model } }) : null;
        if (!row || !estimate) continue;
        await tx.fit.update({
          where: { id: row.id },
          data: { params: { ...(row.params as object), groupInformed: estimate } as object },
        });
      }
  });
  return {
    n: members.length,
    priors: Object.fromEntries(
      NTA_MODELS.flatMap((n) => (result[n] ? [[n, result[n]!.prior]] : [])),
    ),
  };
}

/** The study sums, one row per model (runId null); the flexible row holds the whole comparison. */
async function storeStudySums(
  studyId: string,
  c: StudyComparison,
  jobId?: string,
  group?: GroupPriors | null,
) {
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.fit.deleteMany({ where: { studyId, runId: null, model: { in: [...MODELS] } } });
    for (const m of MODELS.filter((m) => c.bic[m] !== undefined))
      await tx.fit.create({
        data: {
          studyId,
          runId: null,
          model: m,
          params: {
            participants: c.participants,
            bestCount: c.bestCount[m] ?? 0,
            deltaBic: c.deltaBic,
            preferred: c.preferred,
            ...(m === "flexible" ? { comparison: c } : {}),
            ...(group && isNtaModel(m) && group.priors[m]
              ? { groupPrior: { participants: group.n, ...group.priors[m] } }
              : {}),
          },
          logLik: c.logLik[m]!,
          bic: c.bic[m]!,
          nTrials: c.nTrials,
          nParams: c.nParams[m]!,
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
    const r = await fitRun(runId, { jobId: job.id, link, onProgress, signal: ctx.signal });
    return { runId, fitIds: r.fitIds, comparison: r.comparison };
  }
  const s = await fitStudy(studyId, { jobId: job.id, link, onProgress, signal: ctx.signal });
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
  // one queued or running fit per run (or per study): a repeated click returns that job
  const { job } = await enqueueJob({
    kind: "fit",
    key: runId ? `run/${runId}` : `study/${studyId}`,
    payload,
    studyId,
    runId: runId ?? null,
  });
  return job;
}

/** Fits of a study (per run and the study sums), the BIC comparison over runs, and recent fit jobs. */
/** The fits response in the model's own types; its wire shape is lib/core's fitsResponseSchema. */
export type StudyFits = FitsResponse<ModelComparison, StudyComparison, PpcSummary>;

export async function fetchFits(userId: string, studyId: string): Promise<StudyFits> {
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
      },
    }),
  ]);
  const byRun = new Map<string, Partial<Record<ModelName, (typeof fits)[number]>>>();
  for (const f of fits)
    if (f.runId) byRun.set(f.runId, { ...byRun.get(f.runId), [f.model as ModelName]: f });
  const comparisons: Record<string, ModelComparison | null> = {};
  const rows = [...byRun.entries()].map(([runId, f]) => {
    comparisons[runId] = storedComparison(f.flexible);
    return { runId, fits: f, comparison: comparisons[runId] };
  });
  return {
    fits: fits.map((f): FitRow => ({
      id: f.id,
      runId: f.runId,
      model: f.model,
      params: f.params as FitRow["params"],
      uncertainty: f.uncertainty as FitRow["uncertainty"],
      logLik: f.logLik,
      bic: f.bic,
      nTrials: f.nTrials,
      nParams: f.nParams,
      createdAt: f.createdAt.toISOString(),
    })),
    jobs: jobs.map((j) => ({
      ...j,
      status: j.status as StudyFits["jobs"][number]["status"],
      createdAt: j.createdAt.toISOString(),
    })),
    comparisons,
    comparison: compareStudy(rows),
  };
}

/**
 * The run's comparison stored with its flexible row; null for rows fitted before baselines existed
 * or in an older shape (what the client could not parse is not sent).
 */
function storedComparison(flexible: { params: unknown } | undefined): ModelComparison | null {
  const p = flexible?.params as { comparison?: unknown } | null | undefined;
  return modelComparisonSchema.safeParse(p?.comparison).success
    ? (p!.comparison as ModelComparison)
    : null;
}

/**
 * The posterior predictive summary of one run (observed vs each model's predicted accuracy,
 * post-switch error and RT curves per practice level, RT quantiles), stored with its flexible fit.
 */
export async function fetchFitPpc(
  userId: string,
  studyId: string,
  runId: string,
): Promise<PpcSummary | null> {
  await requireOwnedStudy(userId, studyId);
  const row = await getDb().fit.findFirst({ where: { studyId, runId, model: "flexible" } });
  const ppc = (row?.params as { ppc?: unknown } | null)?.ppc;
  return ppcSummarySchema.safeParse(ppc).success ? (ppc as PpcSummary) : null;
}
