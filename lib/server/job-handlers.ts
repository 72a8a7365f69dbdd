// Every job kind the worker knows, with its time limit, and the worker started inside the app
// server (instrumentation.ts) or standalone (npm run jobs:work).
import "server-only";

import type { JobHandler } from "./job-runner";
import { fitJob } from "./fits";
import { modelStreamJob } from "./model-streams";

export const jobHandlers: Record<string, JobHandler> = {
  "model-stream": modelStreamJob,
  fit: fitJob,
};

/** Time limit per job kind: one model stream takes seconds; a study-wide fit, seconds per run. */
export const jobTimeouts: Record<string, number> = {
  "model-stream": 10 * 60_000,
  fit: 2 * 60 * 60_000,
};
