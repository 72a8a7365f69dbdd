// Every job kind the worker knows, and the worker started inside the app server
// (instrumentation.ts) or standalone (npm run jobs:work).
import "server-only";

import type { JobHandler } from "./job-runner";
import { fitJob } from "./fits";
import { modelStreamJob } from "./model-streams";

export const jobHandlers: Record<string, JobHandler> = {
  "model-stream": modelStreamJob,
  fit: fitJob,
};
