// Simulated participants for parameter and model recovery: the model (known θ) learns the
// curriculum, and choices are drawn from the fitting likelihood with a seeded RNG.
import { type Rng, createRng } from "@/lib/core/rng";

import type { StimulusSequence } from "../stimulus-trials";

import { type FitArch, simulateOutputsJs } from "./engine";
import { sampleChoices } from "./likelihood";
import { MODEL_PARAMS, type ModelName, type ParamName, type Theta, modelParamsFor, toU, fromU } from "./transforms";

/** Generating ranges: the prior box, narrowed where noted in docs/fitting.md (recovery design). */
export type GeneratingRanges = Partial<Record<ParamName, [number, number]>>;

/** θ drawn log-uniformly (logit-uniformly for lapse) inside `ranges` (default: the prior box). */
export function drawTheta(model: ModelName, rng: Rng, ranges: GeneratingRanges = {}): Theta {
  return Object.fromEntries(
    MODEL_PARAMS[model].map((s) => {
      const [lo, hi] = ranges[s.name] ?? [s.lo, s.hi];
      const a = toU(s, lo), b = toU(s, hi);
      return [s.name, fromU(s, a + rng.next() * (b - a))];
    }),
  );
}

export type SimulatedParticipant = { model: ModelName; theta: Theta; choices: Int8Array; outputs: Float64Array; seed: number };

/** One simulated participant: outputs from the float64 engine with model seed `seed`, choices from `choiceSeed`. */
export function simulateParticipant(arch: FitArch, seq: StimulusSequence, model: ModelName, theta: Theta, seed: number, choiceSeed: number): SimulatedParticipant {
  const outputs = simulateOutputsJs(arch, modelParamsFor(model, theta), seq, seed);
  const rng = createRng(choiceSeed);
  return { model, theta, outputs, seed, choices: sampleChoices(outputs, theta.beta!, theta.lapse!, rng.next) };
}
