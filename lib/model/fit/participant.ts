// Fit both models to one participant on their own curriculum and compare them (DESIGN.md science
// decision 5). The model learns the participant's exact main-phase sequence (same stimuli, targets
// by the rule in force); the choice link scores the participant's key presses.
import type { StimulusSequence } from "../stimulus-trials";

import { type Comparison, compareFits } from "./compare";
import { type FitArch, jsEngine, tfjsEngine } from "./engine";
import { type FitOptions, type ModelFit, fitModel } from "./fit";
import type { ModelName } from "./transforms";

export type ParticipantFit = { flexible: ModelFit; forgetful: ModelFit; comparison: Comparison; wallMs: number };

export type ParticipantFitOptions = Omit<FitOptions, "designEngine" | "onProgress"> & {
  /** "tfjs" (default): the multi-start design is one batched TF.js runStimulus call; "js": float64 engine throughout. */
  designEngine?: "tfjs" | "js";
  models?: ModelName[];
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
};

export async function fitParticipant(arch: FitArch, seq: StimulusSequence, choices: Int8Array, opts: ParticipantFitOptions): Promise<ParticipantFit> {
  const t0 = performance.now();
  const refine = jsEngine(arch, seq, opts.seed);
  const design = opts.designEngine === "js" ? refine : tfjsEngine(arch, seq, opts.seed, opts.signal);
  const models: ModelName[] = ["flexible", "forgetful"];
  const fits = {} as Record<ModelName, ModelFit>;
  for (const [i, model] of models.entries()) {
    if (opts.signal?.aborted) throw new Error("Fit cancelled");
    fits[model] = await fitModel(model, refine, choices, {
      ...opts, designEngine: design,
      onProgress: (f, msg) => opts.onProgress?.((i + f) / models.length, `${model}: ${msg}`),
    });
  }
  return { ...fits, comparison: compareFits(fits.flexible, fits.forgetful), wallMs: performance.now() - t0 };
}
