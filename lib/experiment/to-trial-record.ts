// The one place where jsPsych's snake_case trial data becomes a camelCase TrialRecord
// (docs/ARCHITECTURE.md §2 step 3). Pure: safe to import anywhere (no jspsych import).
import { trialRecordSchema, type TrialRecord } from "@/lib/core/trial-record";

/** Task-trial data as jsPsych stores it (plugin-task-trial data plus jsPsych's time_elapsed). */
export type TaskTrialDataRow = {
  phase: unknown;
  trial_index_in_phase: unknown;
  block_index: unknown;
  trial_in_block: unknown;
  task_id: unknown;
  stimulus: unknown;
  correct_response: unknown;
  congruent: unknown;
  response: unknown;
  correct: unknown;
  rt: unknown;
  time_elapsed?: unknown;
};

/** Map one task-trial data row to a validated TrialRecord; throws with the field on bad data. */
export function toTrialRecord(data: TaskTrialDataRow): TrialRecord {
  const result = trialRecordSchema.safeParse({
    phase: data.phase,
    trialIndex: data.trial_index_in_phase,
    blockIndex: data.block_index,
    trialInBlock: data.trial_in_block,
    task: data.task_id,
    stimulus: data.stimulus,
    correctResponse: data.correct_response,
    congruent: data.congruent,
    response:
      typeof data.response === "string" ? data.response.toLowerCase() : (data.response ?? null),
    correct: data.correct,
    rtMs: data.rt ?? null,
    timeElapsedMs: data.time_elapsed ?? null,
  });
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Task-trial data does not make a valid TrialRecord (${issues})`);
  }
  return result.data;
}
