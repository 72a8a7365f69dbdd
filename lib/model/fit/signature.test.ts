import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";

import { stimulusPresets } from "../presets";
import { curriculumToStimulusTrials } from "../stimulus-trials";

import { mechanismStats, showsMechanism } from "./signature";
import { modelParamsFor } from "./transforms";

describe("mechanism statistics of a generating participant", () => {
  it("the flexible stimulus preset shows the Fig. 8 signature on 480 trials; the forgetful model does not", () => {
    const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 11));
    const arch = stimulusPresets.flexible.arch;
    const flex = mechanismStats(arch, stimulusPresets.flexible.params, seq, 5);
    expect(flex.gateSeparation).toBeGreaterThan(0.5);
    expect(showsMechanism(flex)).toBe(true);
    const forg = mechanismStats(arch, modelParamsFor("forgetful", { tau: 0.12 }), seq, 5);
    expect(showsMechanism(forg)).toBe(false);
  });
});
