// The study option model.runInParticipantBrowser: the NTA model learns this participant's
// curriculum in a Web Worker (never on the main thread, so stimulus and response timing are
// untouched) and its trials go to the server through the same idempotent save queue as the
// human trials (one queue per preset, each with its own storage key).
import type { Curriculum } from "@/lib/core/curriculum-schema";
import { createSaveQueue, type SaveQueue } from "@/lib/experiment/save-queue";
import { modelSeedFor, type StreamPreset } from "@/lib/model/seeds";
import { curriculumToStimulusTrials, toTrialRecords } from "@/lib/model/stimulus-trials";

export type ParticipantModel = {
  /** Resolves when every preset's stream is computed and confirmed by the server (or failed). */
  whenDone(): Promise<void>;
  stop(): void;
};

export function startParticipantModel(
  token: string,
  curriculum: Curriculum,
  presets: StreamPreset[],
): ParticipantModel {
  const abort = new AbortController();
  const queues: SaveQueue[] = [];
  const sequence = curriculumToStimulusTrials(curriculum);
  const done = (async () => {
    const { runInWorker } = await import("@/lib/model/worker-client");
    for (const preset of presets) {
      const seed = modelSeedFor(curriculum.seed, preset);
      const queue = createSaveQueue({
        token,
        endpoint: `/api/runs/${encodeURIComponent(token)}/model-stream`,
        storageKey: `nta:model-queue:${token}:${preset}`,
        bodyFields: { preset, seed },
        batchSize: 100,
      });
      queues.push(queue);
      const response = await runInWorker(
        { mode: "stimulus", sequence, presets: [preset], seeds: 1, seed },
        { signal: abort.signal },
      );
      if (response.mode !== "stimulus") throw new Error("unexpected model response");
      for (const record of toTrialRecords(response.result, sequence, 0)) queue.enqueue(record);
    }
    await Promise.all(queues.map((q) => q.whenDrained()));
  })().catch((err: unknown) => {
    // The server also computes every stream after completion: a failure here loses nothing.
    if (!abort.signal.aborted) console.warn("[model] participant-browser model stream failed", err);
  });
  return {
    whenDone: () => done,
    stop() {
      abort.abort();
      queues.forEach((q) => q.dispose());
    },
  };
}
