// Fit both models to one participant on their own curriculum and compare them (docs/science.md
// §10.5). The model learns the participant's exact main-phase sequence (same stimuli, targets
// by the rule in force); the choice link scores the participant's key presses.
import type { StimulusSequence } from "../stimulus-trials";

import { type Comparison, compareFits } from "./compare";
import { type FitArch, jsEngine, tfjsEngine } from "./engine";
import { type FitOptions, type ModelFit, fitModel } from "./fit";
import type { FitData } from "./likelihood";
import type { ModelName } from "./transforms";

/** Default number of model initialisations marginalised in the likelihood (docs/fitting.md). */
export const INIT_SEEDS = 8;

export type ParticipantFit = {
  flexible: ModelFit;
  forgetful: ModelFit;
  comparison: Comparison;
  wallMs: number;
};

export type ParticipantFitOptions = Omit<FitOptions, "designEngine" | "onProgress"> & {
  /** "js" (default): float64 engine throughout (sparse one-hot inputs: 256 sets × 8 initialisations ≈ 0.1 s);
   * "tfjs": the multi-start design is one batched TF.js runStimulus call (≈ 1.7 s for the same batch). */
  designEngine?: "tfjs" | "js";
  models?: ModelName[];
  /** Initialisations (seed indices 0…S−1 of `seed`) the likelihood marginalises over (default INIT_SEEDS). */
  initSeeds?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
};

export async function fitParticipant(
  arch: FitArch,
  seq: StimulusSequence,
  data: FitData,
  opts: ParticipantFitOptions,
): Promise<ParticipantFit> {
  const t0 = performance.now();
  const S = opts.initSeeds ?? INIT_SEEDS;
  const refine = jsEngine(arch, seq, opts.seed, S);
  const design =
    opts.designEngine === "tfjs" ? tfjsEngine(arch, seq, opts.seed, opts.signal, S) : refine;
  const models: ModelName[] = ["flexible", "forgetful"];
  const fits = {} as Record<ModelName, ModelFit>;
  for (const [i, model] of models.entries()) {
    if (opts.signal?.aborted) throw new Error("Fit cancelled");
    fits[model] = await fitModel(model, refine, data, {
      ...opts,
      designEngine: design,
      onProgress: (f, msg) => opts.onProgress?.((i + f) / models.length, `${model}: ${msg}`),
    });
  }
  return {
    ...fits,
    comparison: compareFits(fits.flexible, fits.forgetful),
    wallMs: performance.now() - t0,
  };
}
