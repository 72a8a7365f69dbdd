// Stimulus-mode trial sequences (docs/science.md §10.3; paper App. A.10 few-shot regime):
// the explicit trial sequence a participant sees, encoded for the model. Generic: any encoder that
// maps a curriculum trial to (input x ∈ R^{d_in}, target y* ∈ R^{d_out}).
import type { Curriculum, CurriculumTrial } from "@/lib/core/curriculum-schema";
import { curriculumTaskPair } from "@/lib/core/curriculum";
import { encodeStimulus, targetFor } from "@/lib/core/task-pairs";
import type { TrialRecord } from "@/lib/core/trial-record";

import { gatesPerPath } from "./config";
import type { StimulusRunResult } from "./simulate-stimulus";

export type StimulusTrial = {
  input: number[]; // x: [d_in]
  target: number[]; // y*: [d_out] (±1 for the registry's pairs: +1 ⇔ the right key is correct)
  task: string;
  blockIndex: number;
  trialInBlock: number;
  trialIndex: number;
  stimulus: string;
  correctResponse: string;
  congruent: boolean;
};

export type StimulusSequence = {
  trials: StimulusTrial[];
  /** Response keys; d_out = 1: response = right key if ŷ > 0, else left key. */
  keys: { left: string; right: string };
};

export type TrialEncoder = (trial: CurriculumTrial) => { input: number[]; target: number[] };

/** The main-phase trials of a curriculum, encoded by `encode` (one model update per trial). */
export function curriculumToStimulusTrials(
  curriculum: Curriculum,
  encode: TrialEncoder = defaultEncoder(curriculum),
): StimulusSequence {
  const trials = curriculum.trials
    .filter((t) => t.phase === "main")
    .map((t) => ({
      ...encode(t),
      task: t.task,
      blockIndex: t.blockIndex,
      trialInBlock: t.trialInBlock,
      trialIndex: t.trialIndex,
      stimulus: t.stimulus,
      correctResponse: t.correctResponse,
      congruent: t.congruent,
    }));
  return { trials, keys: curriculum.keys };
}

/** Default encoder from the task-pair registry: the pair's stimulus code, target ±1 (lib/core/task-pairs.ts). */
export function defaultEncoder(curriculum: Pick<Curriculum, "taskPair" | "swapped">): TrialEncoder {
  const pair = curriculumTaskPair(curriculum);
  return (t) => ({
    input: encodeStimulus(pair, t.stimulus),
    target: [targetFor(pair, t.task, t.stimulus)],
  });
}

export function validateSequence(seq: StimulusSequence): { dIn: number; dOut: number } {
  if (seq.trials.length === 0) throw new Error("Stimulus sequence has no trials");
  const dIn = seq.trials[0].input.length,
    dOut = seq.trials[0].target.length;
  seq.trials.forEach((t, i) => {
    if (t.input.length !== dIn)
      throw new Error(`trials[${i}].input has length ${t.input.length}, expected ${dIn}`);
    if (t.target.length !== dOut)
      throw new Error(`trials[${i}].target has length ${t.target.length}, expected ${dOut}`);
    if (![...t.input, ...t.target].every(Number.isFinite))
      throw new Error(`trials[${i}] has a non-finite input or target`);
  });
  return { dIn, dOut };
}

/** The model's trials of batch element e as TrialRecords (lib/core/trial-record.ts), phase "main". */
export function toTrialRecords(
  res: Pick<StimulusRunResult, "arch" | "output" | "loss" | "gates" | "correct">,
  seq: StimulusSequence,
  e: number,
): TrialRecord[] {
  const { dOut: O, paths: P } = res.arch;
  const Ng = gatesPerPath(res.arch);
  return seq.trials.map((tr, t) => {
    const y = res.output[e][t * O];
    return {
      phase: "main",
      trialIndex: tr.trialIndex,
      blockIndex: tr.blockIndex,
      trialInBlock: tr.trialInBlock,
      task: tr.task,
      stimulus: tr.stimulus,
      correctResponse: tr.correctResponse,
      congruent: tr.congruent,
      response: y > 0 ? seq.keys.right : seq.keys.left,
      correct: res.correct[e][t] === 1,
      rtMs: null,
      timeElapsedMs: null,
      output: y,
      loss: res.loss[e][t],
      gates: Array.from(res.gates[e].subarray(t * P * Ng, (t + 1) * P * Ng)),
    };
  });
}
