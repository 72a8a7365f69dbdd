import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";

import { stimulusPresets } from "../presets";
import { curriculumToStimulusTrials } from "../stimulus-trials";

import { fitParticipant } from "./participant";
import { simulateParticipant } from "./simulate";
import { fitParticipantThreads, splitModels } from "./threads";
import { ALL_MODELS } from "./transforms";

describe("a participant fit over worker threads", () => {
  it("puts the flexible model alone on one thread and the rest on the other", () => {
    expect(splitModels(ALL_MODELS, 2)).toEqual([
      ["flexible"],
      ["forgetful", "chance", "ruleConstant", "rulePractice"],
    ]);
    expect(splitModels(ALL_MODELS, 1)).toEqual([
      ["flexible", "forgetful", "chance", "ruleConstant", "rulePractice"],
    ]);
    expect(splitModels(["flexible", "forgetful"], 8)).toHaveLength(2);
  });

  it("gives the same fits, comparison and PPC as one thread", async () => {
    const arch = stimulusPresets.flexible.arch;
    const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 3));
    const theta = { tauW: 0.2, tauC: 0.02, lambda: 0.05, prior: 0.5, beta: 8, lapse: 0.03 };
    const sim = simulateParticipant(arch, seq, "flexible", theta, 5, 6);
    const opts = { seed: 9, link: "choice" as const, designSize: 64, starts: 2, initSeeds: 2 };
    const progress: number[] = [];
    const [one, two] = await Promise.all([
      fitParticipant(arch, seq, sim.data, opts),
      fitParticipantThreads(arch, seq, sim.data, {
        ...opts,
        threads: 2,
        onProgress: (f) => progress.push(f),
      }),
    ]);
    for (const m of ALL_MODELS) {
      expect(two.fits[m]!.theta).toEqual(one.fits[m]!.theta);
      expect(two.fits[m]!.logLik).toBe(one.fits[m]!.logLik);
      expect(two.fits[m]!.uncertainty.ci95).toEqual(one.fits[m]!.uncertainty.ci95);
    }
    expect(two.comparison).toEqual(one.comparison);
    expect(two.ppc).toEqual(one.ppc);
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBeLessThanOrEqual(1);
  });
});
