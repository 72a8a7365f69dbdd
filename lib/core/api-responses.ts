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
