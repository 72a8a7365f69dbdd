// NTA participants: the fit's own model (flexible or forgetful) learns the participant's curriculum
// (float64 engine) and answers through the drift-diffusion link, so choices and response times come
// from the likelihood the fits use (simulate.ts). θ is drawn per participant inside the recovery
// ranges of docs/fitting.md; a flexible participant is admitted only when its generating model shows
// the Fig. 8 signature on its own curriculum (else its flexibility is not in its data).
import { createRng, deriveSeed } from "@/lib/core/rng";

import { curriculumToStimulusTrials } from "../../stimulus-trials";
import { stimulusPresets } from "../../presets";
import { mechanismStats, showsMechanism } from "../signature";
import { type GeneratingRanges, drawTheta, simulateParticipant } from "../simulate";
import { type Theta, modelParamsFor } from "../transforms";

import { type Generator, type GeneratorContext, toTrialRecords } from "./types";

const RT_RANGES: GeneratingRanges = { bound: [0.8, 1.6], ndt: [0.25, 0.45] };
export const NTA_GENERATING_RANGES: Record<"flexible" | "forgetful", GeneratingRanges> = {
  flexible: {
    tauW: [0.05, 0.5],
    tauC: [0.01, 0.1],
    lambda: [0.01, 0.1],
    beta: [2, 20],
    lapse: [0.01, 0.1],
    ...RT_RANGES,
  },
  forgetful: { tau: [0.05, 0.5], beta: [2, 20], lapse: [0.01, 0.1], ...RT_RANGES },
};

/** Draws before a flexible participant without the signature is given up (it is then kept, and says so). */
const MAX_DRAWS = 200;

function ntaParticipant(ctx: GeneratorContext, model: "flexible" | "forgetful", name: string) {
  const arch = stimulusPresets.flexible.arch;
  const seq = curriculumToStimulusTrials(ctx.curriculum);
  const rng = createRng(ctx.seed),
    linkRng = createRng(deriveSeed(ctx.seed, 1));
  const genSeed = deriveSeed(ctx.seed, 2);
  let theta: Theta,
    draws = 0,
    admitted: boolean;
  do {
    draws++;
    theta = drawTheta(model, rng, NTA_GENERATING_RANGES[model], "ddm", linkRng);
    admitted =
      model === "forgetful" ||
      showsMechanism(mechanismStats(arch, modelParamsFor(model, theta), seq, genSeed));
  } while (!admitted && draws < MAX_DRAWS);
  const window = ctx.config.timing.responseWindowMs;
  const sim = simulateParticipant(arch, seq, model, theta, genSeed, deriveSeed(ctx.seed, 3), {
    link: "ddm",
    responseWindowS: window / 1000,
  });
  const { choices, rts } = sim.data;
  const responses = seq.trials.map((_, i) => {
    const ms = rts![i] * 1000;
    if (choices[i] === 0 || !(ms <= window)) return { response: null, rtMs: null };
    return { response: choices[i] > 0 ? seq.keys.right : seq.keys.left, rtMs: ms };
  });
  return {
    generator: name,
    seed: ctx.seed,
    params: { ...(theta as Record<string, number>), draws, admitted: admitted ? 1 : 0 },
    theta,
    trials: toTrialRecords(ctx, createRng(deriveSeed(ctx.seed, 4)), responses),
  };
}

export const ntaFlexible: Generator = {
  name: "nta-flexible",
  label: "NTA flexible",
  description:
    "The flexible NTA model (τ_w 0.05–0.5, τ_c 0.01–0.1, λ 0.01–0.1, β 2–20, lapse 1–10 %), signature-admitted, answering through the diffusion link (bound 0.8–1.6, T_er 0.25–0.45 s).",
  truth: { family: "nta", practice: "model", ntaModel: "flexible", shouldBeFlagged: false },
  generate: (ctx) => ntaParticipant(ctx, "flexible", "nta-flexible"),
};

export const ntaForgetful: Generator = {
  name: "nta-forgetful",
  label: "NTA forgetful",
  description:
    "The forgetful NTA model (τ_c = τ_w = τ 0.05–0.5, λ = 0, β 2–20, lapse 1–10 %) answering through the diffusion link.",
  truth: { family: "nta", practice: "model", ntaModel: "forgetful", shouldBeFlagged: false },
  generate: (ctx) => ntaParticipant(ctx, "forgetful", "nta-forgetful"),
};
