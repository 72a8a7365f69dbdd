// Response bodies of the app's own JSON APIs, as zod schemas: the server's functions are typed by
// them and the client components parse with them, so neither end restates the other's shape.
import { z } from "zod";

import { RETURN_REASONS } from "./outcomes";

/** Every 4xx/5xx answer (lib/server/http.ts): a readable message, sometimes with details. */
export const errorBodySchema = z.object({ error: z.string(), details: z.unknown().optional() });

/** Read the `error` message of a failed response body, or `fallback`. */
export const errorMessageOf = (body: unknown, fallback: string) =>
  errorBodySchema.safeParse(body).data?.error ?? fallback;

/**
 * POST /api/runs/<token>/complete (outcome "completed") and POST /api/runs/<token>/return (the
 * stored reason) → 200: the outcome and what it earns (lib/core/outcomes.ts).
 */
export const runCompletionSchema = z.object({
  outcome: z.enum(["completed", ...RETURN_REASONS]),
  /** "" = no code for this outcome. */
  completionCode: z.string(),
  /** "" = stay on the end screen. */
  redirectUrl: z.string(),
});
export type RunCompletion = z.infer<typeof runCompletionSchema>;

/** POST /api/studies/<id>/jobs → 202: the model-stream jobs queued. */
export const modelJobsQueuedSchema = z.object({
  jobIds: z.array(z.string()),
  runs: z.number().int(),
  alreadyQueued: z.number().int(),
  /** ISO time the jobs were queued at: poll progress `since` then. */
  since: z.string(),
});
export type ModelJobsQueued = z.infer<typeof modelJobsQueuedSchema>;

/** GET /api/studies/<id>/jobs → progress of a study's (or a run's) model-stream jobs. */
export const modelJobProgressSchema = z.object({
  counts: z.object({
    queued: z.number().int(),
    running: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
  }),
  total: z.number().int(),
  /** Mean progress over the jobs counted, in [0, 1]; 1 when there are none. */
  progress: z.number(),
  errors: z.array(z.string()),
});
export type ModelJobProgress = z.infer<typeof modelJobProgressSchema>;

/** A background job's state (lib/server/jobs.ts). */
export const jobStatusSchema = z.enum(["queued", "running", "done", "failed"]);

/** GET /api/studies/<id>/predictions → whether the stored predictions are current, and the newest job. */
export const predictionStateSchema = z.object({
  state: z.enum(["current", "stale", "none"]),
  job: z
    .object({
      status: jobStatusSchema,
      progress: z.number(),
      message: z.string().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
});
export type PredictionState = z.infer<typeof predictionStateSchema>;

/** A fit job as GET /api/studies/<id>/fits lists it. */
export const fitJobSchema = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  status: jobStatusSchema,
  /** In [0, 1]. */
  progress: z.number(),
  message: z.string().nullable(),
  error: z.string().nullable(),
  /** ISO time. */
  createdAt: z.string(),
});
export type FitJob = z.infer<typeof fitJobSchema>;

/** POST /api/studies/<id>/fits → 202: the queued (or already queued) fit job. */
export const fitQueuedSchema = z.object({
  job: fitJobSchema.pick({ id: true, runId: true, status: true }),
});
export type FitQueued = z.infer<typeof fitQueuedSchema>;

/** Values by model name (lib/model/fit/transforms.ts ModelName; a model may be missing). */
const byModel = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

const strengthSchema = z.enum(["weak", "positive", "strong"]);

/** ΔBIC = BIC_forgetful − BIC_flexible and what it says (lib/model/fit/compare.ts compareFits). */
const comparisonSchema = z.object({
  deltaBic: z.number(),
  preferred: z.string(),
  strength: strengthSchema,
});

/** A run's comparison over every fitted model (lib/model/fit/compare.ts ModelComparison). */
export const modelComparisonSchema = comparisonSchema.extend({
  bic: byModel(z.number()),
  best: z.string(),
  bestNta: z.string(),
  bestBaseline: z.string().nullable(),
  ntaVsBaseline: z.number().nullable(),
  misfit: z.boolean(),
  atChance: z.boolean(),
  chanceReason: z.string().nullable(),
  rawStrength: strengthSchema,
  verdict: z.enum(["flexible", "forgetful", "misfit", "at chance"]),
  summary: z.string(),
  practiceEffect: z
    .object({
      estimate: z.number(),
      lo: z.number(),
      hi: z.number(),
      estimable: z.boolean(),
      loAtBound: z.boolean(),
      hiAtBound: z.boolean(),
      includesZero: z.boolean(),
    })
    .nullable(),
});

/** The study's BIC sums (lib/model/fit/compare.ts StudyComparison). */
export const studyComparisonSchema = comparisonSchema.extend({
  participants: z.number().int(),
  excluded: z.array(z.object({ runId: z.string().optional(), reason: z.string() })),
  bic: byModel(z.number()),
  logLik: byModel(z.number()),
  nParams: byModel(z.number()),
  nTrials: z.number(),
  preferredCount: byModel(z.number()),
  bestCount: byModel(z.number()),
  misfitCount: z.number().int(),
});

const ppcStatsSchema = z.object({
  accuracy: z.number(),
  rtQuantiles: z.array(z.number()).nullable(),
});

/** A run's posterior predictive summary (lib/model/fit/ppc.ts PpcSummary, curves.ts FitCurvePoint). */
export const ppcSummarySchema = z.object({
  observed: ppcStatsSchema,
  predicted: byModel(ppcStatsSchema),
  curves: z.array(
    z.object({
      level: z.number(),
      position: z.number(),
      observed: z.number().nullable(),
      predicted: z.record(z.string(), z.number().nullable()),
      observedRt: z.number().nullable().optional(),
      predictedRt: z.record(z.string(), z.number().nullable()).optional(),
      n: z.number(),
    }),
  ),
});

/** One stored fit (one model of one run, or of the study) as GET /api/studies/<id>/fits lists it. */
export const fitRowSchema = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  model: z.string(),
  /** The fitted parameters; the flexible row also carries its run's comparison and PPC. */
  params: z.record(z.string(), z.unknown()),
  /** What the panel reads; the rest of the stored uncertainty (profiles, SEs) passes through. */
  uncertainty: z
    .looseObject({
      hessianPD: z.boolean().optional(),
      ci95: z
        .record(z.string(), z.tuple([z.number(), z.number()]))
        .nullable()
        .optional(),
      method: z.record(z.string(), z.enum(["profile", "hessian"])).optional(),
      atBound: z.array(z.string()).optional(),
      nearBound: z.array(z.string()).optional(),
    })
    .nullable(),
  logLik: z.number(),
  bic: z.number(),
  nTrials: z.number().int(),
  nParams: z.number().int(),
  /** ISO time. */
  createdAt: z.string(),
});
export type FitRow = z.infer<typeof fitRowSchema>;

/**
 * GET /api/studies/<id>/fits (…?runId=<run> adds `ppc`): lib/server/fits.ts builds it through this
 * schema, components/dashboard/fit-panel.tsx parses the body with it. The comparisons and the
 * posterior predictive summary are computed by the model code (lib/model/fit/compare.ts, ppc.ts):
 * `FitsResponse`'s parameters narrow them to its types (components/dashboard/fit/format.ts),
 * which a test holds equal to these schemas.
 */
export const fitsResponseSchema = z.object({
  fits: z.array(fitRowSchema),
  jobs: z.array(fitJobSchema),
  comparisons: z.record(z.string(), modelComparisonSchema.nullable()),
  comparison: studyComparisonSchema.nullable(),
  ppc: ppcSummarySchema.nullable().optional(),
});

export type FitsResponse<
  RunComparison = z.infer<typeof modelComparisonSchema>,
  StudyComparison = z.infer<typeof studyComparisonSchema>,
  Ppc = z.infer<typeof ppcSummarySchema>,
> = {
  fits: FitRow[];
  jobs: FitJob[];
  comparisons: Record<string, RunComparison | null>;
  comparison: StudyComparison | null;
  ppc?: Ppc | null;
};
