// Simulated participants for parameter and model recovery: the model (known θ) learns the
// curriculum, and choices are drawn from the fitting likelihood with a seeded RNG.
import { type Rng, createRng } from "@/lib/core/rng";

import type { StimulusSequence } from "../stimulus-trials";

import { type FitArch, simulateOutputsJs } from "./engine";
import { type FitData, sampleChoices, sampleDdmData } from "./likelihood";
import {
  LINK_PARAMS,
  type LinkName,
  MODEL_PARAMS,
  type NtaModelName,
  type ParamName,
  type ParamSpec,
  type Theta,
  fromU,
  modelParamsFor,
  toU,
} from "./transforms";

/** Generating ranges: the prior box, narrowed where noted in docs/fitting.md (recovery design). */
export type GeneratingRanges = Partial<Record<ParamName, [number, number]>>;

/**
 * θ drawn log-uniformly (logit-uniformly for lapse) inside `ranges` (default: the prior box). The
 * model's own parameters come from `rng`; the link's extra parameters (ddm: bound, ndt) from
 * `linkRng`, so the same `rng` gives the same model θ whichever link the participant answers with
 * (paired recovery runs: keys only vs keys + response times on the same simulated people).
 */
export function drawTheta(
  model: NtaModelName,
  rng: Rng,
  ranges: GeneratingRanges = {},
  link: LinkName = "choice",
  linkRng: Rng = rng,
): Theta {
  const draw = (specs: ParamSpec[], r: Rng) =>
    specs.map((s) => {
      const [lo, hi] = ranges[s.name] ?? [s.lo, s.hi];
      const a = toU(s, lo),
        b = toU(s, hi);
      return [s.name, fromU(s, a + r.next() * (b - a))] as const;
    });
  return Object.fromEntries([
    ...draw(MODEL_PARAMS[model], rng),
    ...draw(LINK_PARAMS[link], linkRng),
  ]);
}

export type SimulatedParticipant = {
  model: NtaModelName;
  theta: Theta;
  data: FitData;
  outputs: Float64Array;
  seed: number;
};

/** Default response window of simulated participants (StudyConfig's default, 2000 ms). */
export const SIM_RESPONSE_WINDOW_S = 2;

/**
 * One simulated participant: outputs from the float64 engine with model seed `seed`, responses from
 * `choiceSeed` — choices only (link "choice"), or choices and response times from the diffusion link
 * ("ddm": θ must hold bound and ndt; no answer within the window is a missed trial).
 */
export function simulateParticipant(
  arch: FitArch,
  seq: StimulusSequence,
  model: NtaModelName,
  theta: Theta,
  seed: number,
  choiceSeed: number,
  opts: { link?: LinkName; responseWindowS?: number } = {},
): SimulatedParticipant {
  const outputs = simulateOutputsJs(arch, modelParamsFor(model, theta), seq, seed);
  const rng = createRng(choiceSeed);
  const data =
    opts.link === "ddm"
      ? sampleDdmData(outputs, theta, opts.responseWindowS ?? SIM_RESPONSE_WINDOW_S, rng.next)
      : { choices: sampleChoices(outputs, theta.beta!, theta.lapse!, rng.next) };
  return { model, theta, outputs, seed, data };
}
