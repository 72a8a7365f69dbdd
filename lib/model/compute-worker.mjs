// Worker-thread entry of the compute pool (lib/server/job-pool.ts, piscina): loads the model's
// TypeScript compute tasks (lib/model/compute.ts) through tsx's loader — the same source under
// `next dev`, `next start`, `npm run jobs:work` and the tests — and hands piscina their dispatcher.
import os from "node:os";

import { register } from "tsx/esm/api";

// Background work: this thread yields the CPU to the web server's thread when both want it (on
// Linux a thread's nice value is its own; elsewhere this may apply to nothing or be refused).
try {
  os.setPriority(19);
} catch {
  // not permitted here: run at normal priority
}

register();
const { runComputeTask } = await import("./compute.ts");

export default runComputeTask;
