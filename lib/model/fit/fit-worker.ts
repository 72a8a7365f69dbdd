// Node worker_threads entry of fitParticipantThreads (threads.ts): fits the models it is given for
// one participant (fitModels), posts progress and the fits, and exits.
import { parentPort, workerData } from "node:worker_threads";

import type { ModelName } from "./transforms";
import { type ParticipantFitOptions, fitModels } from "./participant";
import type { FitArch } from "./engine";
import type { FitData } from "./likelihood";
import type { StimulusSequence } from "../stimulus-trials";

export type FitWorkerJob = {
  arch: FitArch;
  seq: StimulusSequence;
  data: FitData;
  models: ModelName[];
  opts: Omit<ParticipantFitOptions, "signal" | "onProgress">;
};

const job = workerData as FitWorkerJob;
const port = parentPort!;
try {
  const fits = await fitModels(job.arch, job.seq, job.data, job.models, {
    ...job.opts,
    onProgress: (fraction, message) => port.postMessage({ type: "progress", fraction, message }),
  });
  port.postMessage({ type: "done", fits });
} catch (e) {
  port.postMessage({
    type: "error",
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
  });
}
