// Simulated participants for parameter and model recovery: the model (known θ) learns the
// curriculum, and choices are drawn from the fitting likelihood with a seeded RNG.
import { type Rng, createRng } from "@/lib/core/rng";

import type { StimulusSequence } from "../stimulus-trials";

import { type FitArch, simulateOutputsJs } from "./engine";
import { type FitData, sampleChoices, sampleDdmData } from "./likelihood";
import { type LinkName, type ModelName, type ParamName, type Theta, fromU, modelParamsFor, paramSpecs, toU } from "./transforms";

/** Generating ranges: the prior box, narrowed where noted in docs/fitting.md (recovery design). */
export type GeneratingRanges = Partial<Record<ParamName, [number, number]>>;

/** θ drawn log-uniformly (logit-uniformly for lapse) inside `ranges` (default: the prior box). */
export function drawTheta(model: ModelName, rng: Rng, ranges: GeneratingRanges = {}, link: LinkName = "choice"): Theta {
  return Object.fromEntries(
    paramSpecs(model, link).map((s) => {
      const [lo, hi] = ranges[s.name] ?? [s.lo, s.hi];
      const a = toU(s, lo), b = toU(s, hi);
      return [s.name, fromU(s, a + rng.next() * (b - a))];
    }),
  );
}

export type SimulatedParticipant = { model: ModelName; theta: Theta; data: FitData; outputs: Float64Array; seed: number };

/** Default response window of simulated participants (StudyConfig's default, 2000 ms). */
export const SIM_RESPONSE_WINDOW_S = 2;

/**
 * One simulated participant: outputs from the float64 engine with model seed `seed`, responses from
 * `choiceSeed` — choices only (link "choice"), or choices and response times from the diffusion link
 * ("ddm": θ must hold bound and ndt; no answer within the window is a missed trial).
 */
export function simulateParticipant(
  arch: FitArch, seq: StimulusSequence, model: ModelName, theta: Theta, seed: number, choiceSeed: number,
  opts: { link?: LinkName; responseWindowS?: number } = {},
): SimulatedParticipant {
  const outputs = simulateOutputsJs(arch, modelParamsFor(model, theta), seq, seed);
  const rng = createRng(choiceSeed);
  const data = opts.link === "ddm"
    ? sampleDdmData(outputs, theta, opts.responseWindowS ?? SIM_RESPONSE_WINDOW_S, rng.next)
    : { choices: sampleChoices(outputs, theta.beta!, theta.lapse!, rng.next) };
  return { model, theta, outputs, seed, data };
}
