// npm run jobs:work — a standalone job worker (for PostgreSQL deployments that run the app with
// NTA_JOB_WORKER=0, or to drain the queue by hand). Ctrl-C stops it.
import { startHousekeeping } from "../lib/server/housekeeping";
import { jobHandlers } from "../lib/server/job-handlers";
import { startJobWorker } from "../lib/server/job-runner";

const worker = startJobWorker(jobHandlers);
startHousekeeping();
console.log(`job worker ${worker.workerId} polling for ${Object.keys(jobHandlers).join(", ")}`);
process.on("SIGINT", () => {
  worker.stop();
  process.exit(0);
});
