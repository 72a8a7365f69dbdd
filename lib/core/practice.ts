// Where a participant stands in the practice phase, from the practice trials already saved.
// Practice attempt a, trial i has trialIndex a·n + i (lib/core/curriculum-schema.ts).
import type { StudyConfig } from "./study-config";

export type PracticeStatus = {
  /** Practice trials saved so far (a resumed practice continues at the next unused attempt). */
  practiceTrialsSaved: number;
  /** Complete attempts so far. */
  attemptsCompleted: number;
  /** Practice is over: an attempt reached the accuracy criterion, or the last attempt ended with onFail "continue". */
  practiceDone: boolean;
};

export function computePracticeStatus(
  saved: readonly { trialIndex: number; correct: boolean }[],
  practiceLength: number,
  practice: StudyConfig["practice"],
): PracticeStatus {
  if (practiceLength === 0)
    return { practiceTrialsSaved: saved.length, attemptsCompleted: 0, practiceDone: true };
  const byAttempt = new Map<number, { n: number; correct: number }>();
  for (const t of saved) {
    const a = Math.floor(t.trialIndex / practiceLength);
    const s = byAttempt.get(a) ?? { n: 0, correct: 0 };
    s.n++;
    if (t.correct) s.correct++;
    byAttempt.set(a, s);
  }
  const complete = [...byAttempt.values()].filter((s) => s.n === practiceLength);
  const passed = complete.some((s) => s.correct / practiceLength >= practice.minAccuracy);
  const exhausted = complete.length >= practice.maxAttempts && practice.onFail === "continue";
  return {
    practiceTrialsSaved: saved.length,
    attemptsCompleted: complete.length,
    practiceDone: passed || exhausted,
  };
}
