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

/** One stored fit (one model of one run, or of the study) as GET /api/studies/<id>/fits lists it. */
export type FitRow = {
  id: string;
  runId: string | null;
  model: string;
  /** The fitted parameters; the flexible row also carries its run's comparison and PPC. */
  params: Record<string, unknown>;
  uncertainty: {
    hessianPD?: boolean;
    ci95?: Record<string, [number, number]> | null;
    method?: Record<string, "profile" | "hessian">;
    atBound?: string[];
    nearBound?: string[];
  } | null;
  logLik: number;
  bic: number;
  nTrials: number;
  nParams: number;
  /** ISO time. */
  createdAt: string;
};

/**
 * GET /api/studies/<id>/fits (…?runId=<run> adds `ppc`). The comparisons and the posterior
 * predictive summary are computed by the model code (lib/model/fit/compare.ts, ppc.ts), which
 * lib/core cannot import: their types are the parameters (components/dashboard/fit/format.ts
 * instantiates them).
 */
export type FitsResponse<RunComparison = unknown, StudyComparison = unknown, Ppc = unknown> = {
  fits: FitRow[];
  jobs: FitJob[];
  comparisons: Record<string, RunComparison | null>;
  comparison: StudyComparison | null;
  ppc?: Ppc | null;
};
