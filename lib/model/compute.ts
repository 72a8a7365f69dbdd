// The model's CPU-heavy entry points as pure tasks: structured-clonable input in, structured-clonable
// result out, progress through a callback. The server runs them in worker threads
// (lib/server/job-pool.ts → compute-worker.mjs), never on the web server's event loop; scripts and
// tests may call them directly. Each task calls the model's own top-level function and nothing
// below it, so the fitting and simulation code can change freely behind it.
import { type Curriculum, curriculumSchema } from "@/lib/core/curriculum-schema";
import {
  type PredictedParticipant,
  type PredictedSums,
  PREDICTION_PRESETS,
  addTrial,
  emptySums,
} from "@/lib/core/predictions";
import type { TrialRecord } from "@/lib/core/trial-record";

import { initBackend } from "./backend";
import { type FitArch, jsEngine } from "./fit/engine";
import type { FitData } from "./fit/likelihood";
import {
  type GroupInformed,
  type GroupParticipant,
  type ParticipantFit,
  type ParticipantFitOptions,
  fitParticipant,
  groupInformedFits,
} from "./fit/participant";
import type { LinkName, NtaModelName } from "./fit/transforms";
import { stimulusPresets } from "./presets";
import { runStimulus, toTrialRecords } from "./simulate-stimulus";
import { type StimulusSequence, curriculumToStimulusTrials } from "./stimulus-trials";

export type Progress = (fraction: number, message: string) => void;

/** Options of a participant fit that can cross a thread boundary (no callbacks, no signal). */
export type FitParticipantOptions = Omit<ParticipantFitOptions, "signal" | "onProgress">;

export const computeTasks = {
  /** Fit both models to one participant (lib/model/fit/participant.ts fitParticipant). */
  async fitParticipant(
    input: {
      arch: FitArch;
      sequence: StimulusSequence;
      data: FitData;
      options: FitParticipantOptions;
    },
    onProgress: Progress,
  ): Promise<ParticipantFit> {
    await initBackend();
    return fitParticipant(input.arch, input.sequence, input.data, { ...input.options, onProgress });
  },

  /** Group-informed estimates of the NTA models over a study's participants (fit/hierarchical.ts). */
  async groupInformedFits(
    input: { arch: FitArch; participants: GroupParticipant[]; link: LinkName },
    onProgress: Progress,
  ): Promise<Partial<Record<NtaModelName, GroupInformed>>> {
    return groupInformedFits(input.arch, input.participants, { link: input.link, onProgress });
  },

  /** A stimulus preset learning one run's curriculum: the model's trial records, in order. */
  async modelStream(
    input: { curriculum: Curriculum | unknown; preset: string; seed: number },
    onProgress: Progress,
  ): Promise<TrialRecord[]> {
    const sequence = curriculumToStimulusTrials(curriculumSchema.parse(input.curriculum));
    const p = stimulusPresets[input.preset];
    if (!p) throw new Error(`Unknown model preset "${input.preset}"`);
    await initBackend();
    const result = await runStimulus(
      { arch: p.arch, params: [p.params], sequence },
      {
        seeds: 1,
        seed: input.seed,
        onProgress: (done, total) => onProgress(done / total, `trial ${done}/${total}`),
      },
    );
    return toTrialRecords(result, sequence, 0);
  },

  /**
   * Predictions before data (lib/core/predictions.ts): both stimulus presets learn each predicted
   * participant's curriculum from `modelSeeds` initialisations — the float64 engine of the fits
   * (lib/model/fit/engine.ts jsEngine: runStimulus' initial weights, the same update in float64,
   * far faster than TF.js for one output) — reduced to per-participant sums per preset.
   */
  async predictParticipants(
    input: { participants: PredictedParticipant[]; modelSeeds: number },
    onProgress: Progress,
  ): Promise<Record<(typeof PREDICTION_PRESETS)[number], PredictedSums[]>> {
    const presets = PREDICTION_PRESETS.map((name) => stimulusPresets[name]);
    if (new Set(presets.map((p) => JSON.stringify(p.arch))).size !== 1)
      throw new Error("Predictions batch the presets: they must share one architecture");
    const out = { flexible: [] as PredictedSums[], forgetful: [] as PredictedSums[] };
    for (const [i, p] of input.participants.entries()) {
      const sequence = curriculumToStimulusTrials(curriculumSchema.parse(p.curriculum));
      const engine = jsEngine(presets[0].arch, sequence, p.modelSeed, input.modelSeeds);
      // parameter-major: preset 0 × seeds 0…M−1, then preset 1 × seeds 0…M−1
      const outputs = await engine(presets.map((q) => q.params));
      PREDICTION_PRESETS.forEach((name, pi) => {
        const sums = emptySums(p, sequence.trials, input.modelSeeds);
        for (let m = 0; m < input.modelSeeds; m++) {
          const y = outputs[pi * input.modelSeeds + m];
          sequence.trials.forEach((t, k) => {
            const target = t.target[0];
            // response = sign(ŷ); L_task = ½ (y* − ŷ)² (docs/science.md (E2)), as runStimulus logs them
            addTrial(sums, t, y[k] > 0 === target > 0, 0.5 * (target - y[k]) ** 2);
          });
        }
        out[name].push(sums);
      });
      onProgress(
        (i + 1) / input.participants.length,
        `participant ${i + 1}/${input.participants.length}`,
      );
    }
    return out;
  },
};

export type ComputeTasks = typeof computeTasks;
export type ComputeTaskName = keyof ComputeTasks;
export type ComputeInput<N extends ComputeTaskName> = Parameters<ComputeTasks[N]>[0];
export type ComputeOutput<N extends ComputeTaskName> = Awaited<ReturnType<ComputeTasks[N]>>;

/** A task as it crosses into a worker thread; progress goes back through `port`. */
export type ComputeMessage = {
  name: ComputeTaskName;
  input: unknown;
  port?: { postMessage(value: unknown): void };
};

/** Run one named task (the worker thread's handler). */
export function runComputeTask({ name, input, port }: ComputeMessage): Promise<unknown> {
  const task = computeTasks[name] as (input: unknown, onProgress: Progress) => Promise<unknown>;
  if (!task) throw new Error(`Unknown compute task "${String(name)}"`);
  return task(input, (fraction, message) => port?.postMessage({ fraction, message }));
}
