// Worker-thread entry of the compute pool (lib/server/job-pool.ts, piscina): loads the model's
// TypeScript compute tasks (lib/model/compute.ts) through tsx's loader — the same source under
// `next dev`, `next start`, `npm run jobs:work` and the tests — and hands piscina their dispatcher.
import { register } from "tsx/esm/api";

register();
const { runComputeTask } = await import("./compute.ts");

export default runComputeTask;
