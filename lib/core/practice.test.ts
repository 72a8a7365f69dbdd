import { computePracticeStatus } from "./practice";
import { defaultStudyConfig } from "./study-config";

const practice = { ...defaultStudyConfig().practice, minAccuracy: 0.75, maxAttempts: 2 };
const attempt = (a: number, correct: boolean[]) =>
  correct.map((c, i) => ({ trialIndex: a * 4 + i, correct: c }));

describe("computePracticeStatus", () => {
  it("is not done while the first attempt is incomplete", () => {
    expect(computePracticeStatus(attempt(0, [true, true]), 4, practice)).toEqual({
      practiceTrialsSaved: 2,
      attemptsCompleted: 0,
      practiceDone: false,
    });
  });

  it("is done after an attempt that reaches the criterion", () => {
    expect(
      computePracticeStatus(attempt(0, [true, true, true, false]), 4, practice).practiceDone,
    ).toBe(true);
  });

  it("needs another attempt below the criterion, and continues after the last one when onFail is continue", () => {
    const first = attempt(0, [true, false, false, false]);
    expect(computePracticeStatus(first, 4, practice).practiceDone).toBe(false);
    const both = [...first, ...attempt(1, [false, false, true, false])];
    expect(computePracticeStatus(both, 4, practice)).toEqual({
      practiceTrialsSaved: 8,
      attemptsCompleted: 2,
      practiceDone: true,
    });
    expect(computePracticeStatus(both, 4, { ...practice, onFail: "end" }).practiceDone).toBe(false);
  });

  it("treats a study without practice as done", () => {
    expect(computePracticeStatus([], 0, practice).practiceDone).toBe(true);
  });
});
