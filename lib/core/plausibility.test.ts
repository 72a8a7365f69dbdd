import { minimumMainDurationMs, timingFlags } from "./plausibility";
import { studyConfigSchema } from "./study-config";

const design = (over: object = {}) => studyConfigSchema.parse(over);
const run = (mainTrials: number, tookMs: number) => ({
  mainTrials,
  startedAt: new Date(0),
  completedAt: new Date(tookMs),
});

describe("timing plausibility", () => {
  it("counts fixation, inter-trial interval and feedback only when the design shows feedback", () => {
    const timing = { fixationMs: 400, feedbackMs: 600, itiMs: 200, responseWindowMs: 2000 };
    expect(minimumMainDurationMs(design({ timing }), 10)).toBe(10 * 1200);
    expect(minimumMainDurationMs(design({ timing, feedback: "none" }), 10)).toBe(10 * 600);
  });

  it("flags 5,000 trials in 3.7 s but not a run at the design's pace", () => {
    const d = design();
    const fast = timingFlags(d, run(5000, 3700), []);
    expect(fast.map((f) => f.code)).toEqual(["too-fast"]);
    expect(fast[0].message).toContain("3.7 s");
    expect(timingFlags(d, run(5000, 5000 * 1300 + 5000 * 450), [])).toEqual([]);
  });

  it("cannot judge a design without fixed timing by duration, only by impossible response times", () => {
    const d = design({
      timing: { fixationMs: 0, feedbackMs: 0, itiMs: 0, responseWindowMs: 1000 },
    });
    expect(timingFlags(d, run(100, 1), [500, null, 1100])).toEqual([]);
    expect(timingFlags(d, run(100, 1), [500, 1101, 5000]).map((f) => f.statistic)).toEqual([2]);
  });
});
