import { generateCurriculum } from "@/lib/core/curriculum";
import { defaultStudyConfig } from "@/lib/core/study-config";

import { initBackend } from "../backend";
import { stimulusPresets } from "../presets";
import { curriculumToStimulusTrials } from "../stimulus-trials";

import { jsEngine, simulateOutputsJs, simulateOutputsJsGeneral, tfjsEngine } from "./engine";
import { modelParamsFor } from "./transforms";

beforeAll(async () => {
  await initBackend(["wasm"]);
});

describe("fit engines", () => {
  it("the float64 engine follows the batched TF.js runStimulus trajectory on a real curriculum", async () => {
    const full = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 4));
    const seq = { ...full, trials: full.trials.slice(0, 144) }; // 6 blocks, 5 switches
    const arch = stimulusPresets.flexible.arch;
    const params = [
      stimulusPresets.flexible.params,
      modelParamsFor("flexible", { tauW: 0.3, tauC: 0.01, lambda: 0.05 }),
      modelParamsFor("forgetful", { tau: 0.08 }),
      { ...stimulusPresets.flexible.params, lambdaL2: 0.05, lambdaW: 0.01 },
    ];
    const [js, tf] = [await jsEngine(arch, seq, 9)(params), await tfjsEngine(arch, seq, 9)(params)];
    for (let e = 0; e < params.length; e++) {
      const maxDiff = js[e].reduce((m, v, t) => Math.max(m, Math.abs(v - tf[e][t])), 0);
      expect(maxDiff).toBeLessThan(1e-4);
      expect(Math.max(...js[e].map(Math.abs))).toBeGreaterThan(0.3); // it learned something
    }
    // a different model seed changes the (tiny) init, hence the early outputs
    const other = await jsEngine(arch, seq, 10)([params[0]]);
    expect(other[0][1]).not.toBe(js[0][1]);
  });

  it("the one-hot two-path fast path gives bit-identical outputs to the general loop", () => {
    const seq = curriculumToStimulusTrials(generateCurriculum(defaultStudyConfig(), 5));
    const arch = stimulusPresets.flexible.arch;
    for (const p of [
      stimulusPresets.flexible.params,
      modelParamsFor("flexible", { tauW: 0.05, tauC: 0.03, lambda: 0.3 }),
      modelParamsFor("forgetful", { tau: 0.5 }),
    ]) {
      for (const seedIndex of [0, 3]) {
        const fast = simulateOutputsJs(arch, p, seq, 21, seedIndex);
        const general = simulateOutputsJsGeneral(arch, p, seq, 21, seedIndex);
        expect(Array.from(fast)).toEqual(Array.from(general));
        expect(Math.max(...fast.map(Math.abs))).toBeGreaterThan(0.1);
      }
    }
  });
});
