// One participant's fit over several worker threads (scripts: `npm run bench:fit`, the zoo's
// single-participant runs): the models are split over the threads by their cost (the flexible
// model alone on one thread, the forgetful model and the baselines on another), each thread runs
// fitModels, and this thread compares them (assembleParticipantFit). The same fits, bit for bit,
// as fitParticipant on one thread — only the wall time differs. The web server does not use this:
// its compute pool (lib/server/job-pool.ts) keeps one core free for requests.
import type { Worker } from "node:worker_threads";

import { spawnTsWorker } from "../paper-threads";
import type { StimulusSequence } from "../stimulus-trials";

import type { FitArch } from "./engine";
import type { ModelFit } from "./fit";
import type { FitWorkerJob } from "./fit-worker";
import type { FitData } from "./likelihood";
import {
  MODEL_COST,
  type ParticipantFit,
  type ParticipantFitOptions,
  assembleParticipantFit,
  participantModels,
} from "./participant";
import type { ModelName } from "./transforms";

/** Split models over k threads, most expensive first onto the least loaded (LPT). */
export function splitModels(models: readonly ModelName[], k: number): ModelName[][] {
  const groups = Array.from({ length: Math.max(1, Math.min(k, models.length)) }, () => ({
    cost: 0,
    models: [] as ModelName[],
  }));
  for (const m of [...models].sort((a, b) => MODEL_COST(b) - MODEL_COST(a))) {
    const g = groups.reduce((a, b) => (b.cost < a.cost ? b : a));
    g.models.push(m);
    g.cost += MODEL_COST(m);
  }
  return groups.map((g) => g.models);
}

export async function fitParticipantThreads(
  arch: FitArch,
  seq: StimulusSequence,
  data: FitData,
  opts: ParticipantFitOptions & { threads: number },
): Promise<ParticipantFit> {
  const t0 = performance.now();
  const { threads, signal, onProgress, ...rest } = opts;
  const groups = splitModels(participantModels(opts), threads);
  const total = groups.flat().reduce((s, m) => s + MODEL_COST(m), 0);
  const progress = groups.map(() => 0);
  const workers: Worker[] = [];
  const onAbort = () => workers.forEach((w) => void w.terminate());
  signal?.addEventListener("abort", onAbort);
  try {
    const parts = await Promise.all(
      groups.map(
        (models, i) =>
          new Promise<Partial<Record<ModelName, ModelFit>>>((resolve, reject) => {
            const job: FitWorkerJob = { arch, seq, data, models, opts: rest };
            const w = spawnTsWorker(new URL("./fit-worker.ts", import.meta.url), job);
            workers.push(w);
            const weight = models.reduce((s, m) => s + MODEL_COST(m), 0) / total;
            w.on(
              "message",
              (
                m:
                  | { type: "progress"; fraction: number; message: string }
                  | { type: "done"; fits: Partial<Record<ModelName, ModelFit>> }
                  | { type: "error"; message: string },
              ) => {
                if (m.type === "progress") {
                  progress[i] = weight * m.fraction;
                  onProgress?.(
                    progress.reduce((a, b) => a + b, 0),
                    m.message,
                  );
                } else if (m.type === "done") resolve(m.fits);
                else reject(new Error(m.message));
              },
            );
            w.on("error", reject);
            w.on("exit", (code) => {
              if (signal?.aborted) reject(new Error("Fit cancelled"));
              else if (code !== 0) reject(new Error(`Fit worker exited with code ${code}`));
            });
          }),
      ),
    );
    return await assembleParticipantFit(arch, seq, data, Object.assign({}, ...parts), opts, t0);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
