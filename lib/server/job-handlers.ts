// Every job kind the worker knows, with its time limit, and the worker started inside the app
// server (instrumentation.ts) or standalone (npm run jobs:work).
import "server-only";

import type { JobHandler } from "./job-runner";
import { fitJob } from "./fits";
import { modelStreamJob } from "./model-streams";
import { predictionJob } from "./predictions";

export const jobHandlers: Record<string, JobHandler> = {
  "model-stream": modelStreamJob,
  fit: fitJob,
  prediction: predictionJob,
};

/** Time limit per job kind: one model stream takes seconds; a study-wide fit, seconds per run; a
 * prediction, seconds per condition. */
export const jobTimeouts: Record<string, number> = {
  "model-stream": 10 * 60_000,
  fit: 2 * 60 * 60_000,
  prediction: 10 * 60_000,
};
