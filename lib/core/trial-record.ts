// TrialRecord: one shape for a human trial and a model trial (docs/ARCHITECTURE.md §4).
// Humans produce it through lib/experiment/to-trial-record.ts, the model through lib/model's
// stimulus mode, so lib/core/analysis runs unchanged on either stream.
import { z } from "zod";

export const trialPhaseSchema = z.enum(["practice", "main"]);

/** Short identifiers only: task ids, stimuli and keys are never free text. */
const token = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.:+-]+$/, "only letters, digits and _ . : + -");

/** Model outputs, losses and gates are small numbers; anything beyond ±1e6 is not the model's. */
export const MODEL_VALUE_BOUND = 1e6;
const modelValue = z.number().min(-MODEL_VALUE_BOUND).max(MODEL_VALUE_BOUND);

export const trialRecordSchema = z.object({
  phase: trialPhaseSchema.default("main"),
  /** 0-based index within the phase (main trials: position in the curriculum). */
  trialIndex: z.number().int().min(0).max(100_000),
  /** 0-based block index; block k ≥ 1 starts right after switch k. */
  blockIndex: z.number().int().min(0).max(10_000),
  /** 0-based position in the block: 0 is the first trial after a switch. */
  trialInBlock: z.number().int().min(0).max(100_000),
  task: token(32),
  stimulus: token(64),
  correctResponse: token(32),
  congruent: z.boolean(),
  /** Key pressed (lower case), or null when the response window ran out. */
  response: token(32).nullable(),
  correct: z.boolean(),
  /** Response time from stimulus onset, browser high-resolution clock; null if no response. */
  rtMs: z.number().min(0).max(600_000).nullable(),
  /** Time since the experiment started (jsPsych time_elapsed). */
  timeElapsedMs: z.number().min(0).max(86_400_000).nullable().default(null),
  /** Model only: scalar output ŷ, task loss on this trial before the update, and gates c. */
  output: modelValue.nullable().default(null),
  loss: modelValue.min(0).nullable().default(null),
  gates: z.array(modelValue).max(64).nullable().default(null),
});

export type TrialRecord = z.infer<typeof trialRecordSchema>;
export type TrialRecordInput = z.input<typeof trialRecordSchema>;

/** The fields a stored human Trial and a stored ModelTrial share, as TrialRecord has them. */
export type StoredTrialFields = Pick<
  TrialRecord,
  | "trialIndex"
  | "blockIndex"
  | "trialInBlock"
  | "task"
  | "stimulus"
  | "correctResponse"
  | "congruent"
  | "response"
  | "correct"
>;

/** Those shared fields of a stored row (Trial or ModelTrial), for records and exports alike. */
export function storedTrialFields(t: StoredTrialFields): StoredTrialFields {
  const { trialIndex, blockIndex, trialInBlock, task, stimulus, correctResponse } = t;
  return {
    trialIndex,
    blockIndex,
    trialInBlock,
    task,
    stimulus,
    correctResponse,
    congruent: t.congruent,
    response: t.response,
    correct: t.correct,
  };
}
