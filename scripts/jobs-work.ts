// npm run jobs:work — a standalone job worker (for PostgreSQL deployments that run the app with
// NTA_JOB_WORKER=0 and scale the queue out over processes, or to drain the queue by hand). Its CPU
// work runs in worker threads (NTA_COMPUTE_THREADS). SIGTERM / Ctrl-C put running jobs back in
// the queue and close the database.
import { closeDb } from "../lib/server/db";
import { runBeforeExit } from "../lib/server/graceful-exit";
import { startHousekeeping } from "../lib/server/housekeeping";
import { jobHandlers, jobTimeouts } from "../lib/server/job-handlers";
import { closeComputePool } from "../lib/server/job-pool";
import { startJobWorker } from "../lib/server/job-runner";

const worker = startJobWorker(jobHandlers, { timeouts: jobTimeouts });
startHousekeeping();
console.log(`job worker ${worker.workerId} polling for ${Object.keys(jobHandlers).join(", ")}`);
runBeforeExit(
  async () => {
    await worker.stop();
    await closeComputePool();
    await closeDb();
  },
  { ownSignals: true },
);
