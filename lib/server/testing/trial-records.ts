// Tests: the TrialRecord a participant would send for a curriculum trial.
import type { CurriculumTrial } from "@/lib/core/curriculum-schema";
import type { TrialRecordInput } from "@/lib/core/trial-record";

export function trialRecordFor(
  t: CurriculumTrial,
  response: string | null = t.correctResponse,
  rtMs: number | null = 512.25,
): TrialRecordInput {
  return {
    phase: t.phase,
    trialIndex: t.trialIndex,
    blockIndex: t.blockIndex,
    trialInBlock: t.trialInBlock,
    task: t.task,
    stimulus: t.stimulus,
    correctResponse: t.correctResponse,
    congruent: t.congruent,
    response,
    correct: response === t.correctResponse,
    rtMs: response === null ? null : rtMs,
    timeElapsedMs: 1000,
  };
}
