import { breakCount, consentTextFor, durationText, estimateDuration } from "./duration";
import { defaultStudyConfig, studyConfigSchema } from "./study-config";

describe("estimateDuration", () => {
  it("adds up timing × trials, practice, breaks and the setup screens", () => {
    // 20 blocks × 24 trials × (500 + 900 + 500 + 300 ms) = 1056 s; practice 16 × 2.2 s = 35.2 s;
    // 3 breaks × 30 s; setup 120 s → 1301.2 s ≈ 21.7 → 22 minutes.
    const e = estimateDuration(defaultStudyConfig());
    expect(e).toMatchObject({ minutes: 22, mainTrials: 480, practiceTrials: 16, breaks: 3 });
    // every practice attempt used: + 2 × 35.2 s
    expect(e.maxMinutes).toBe(23);
  });

  it("uses the response window when it is shorter than a typical response, and no feedback time without feedback", () => {
    const c = studyConfigSchema.parse({
      blocks: 10,
      trialsPerBlock: 60,
      feedback: "none",
      practice: { trials: 0 },
      breakEveryBlocks: 0,
      timing: { fixationMs: 0, responseWindowMs: 400, feedbackMs: 5000, itiMs: 0 },
    });
    // 600 × 0.4 s = 240 s + 120 s setup = 6 minutes
    expect(estimateDuration(c).minutes).toBe(6);
  });

  it("counts breaks after every N blocks but never after the last", () => {
    expect(breakCount({ blocks: 20, breakEveryBlocks: 5 })).toBe(3);
    expect(breakCount({ blocks: 21, breakEveryBlocks: 5 })).toBe(4);
    expect(breakCount({ blocks: 3, breakEveryBlocks: 0 })).toBe(0);
  });

  it("puts the estimate into the consent text where {duration} stands", () => {
    const c = defaultStudyConfig();
    expect(durationText(c)).toBe("about 22 minutes");
    expect(consentTextFor(c)).toContain("It takes about 22 minutes.");
    expect(consentTextFor({ ...c, consentText: "No placeholder here." })).toBe(
      "No placeholder here.",
    );
  });
});
