// NTA participants: the fit's own model (flexible or forgetful) learns the participant's curriculum
// (float64 engine) and answers through the drift-diffusion link, so choices and response times come
// from the likelihood the fits use (simulate.ts). θ is drawn per participant inside the recovery
// ranges of docs/fitting.md; a flexible participant is admitted only when its generating model shows
// the Fig. 8 signature on its own curriculum (else its flexibility is not in its data). Without prior
// knowledge the students start untrained (κ at the box floor 0.005, as in the paper) and reach
// 0.7–0.88 accuracy; with prior knowledge κ (students start partly aligned to the two rules'
// teachers) they reach human-level accuracy.
import { createRng, deriveSeed } from "@/lib/core/rng";

import { curriculumToStimulusTrials } from "../../stimulus-trials";
import { stimulusPresets } from "../../presets";
import { mechanismStats, showsMechanism } from "../signature";
import { type GeneratingRanges, drawTheta, simulateParticipant } from "../simulate";
import { type Theta, modelParamsFor } from "../transforms";

import { type Generator, type GeneratorContext, toTrialRecords } from "./types";

const RT_RANGES: GeneratingRanges = { bound: [0.8, 1.6], ndt: [0.25, 0.45] };
/** Recovery ranges (docs/fitting.md "Recovery"), no prior knowledge. */
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
const NO_PRIOR: GeneratingRanges = { prior: [0.005, 0.005] };
/** Human-level participants are also attentive: β 5–20, lapse 1–4 %. */
const ENGAGED: GeneratingRanges = { beta: [5, 20], lapse: [0.01, 0.04] };
/** With prior knowledge: ranges where each variant reaches human-level accuracy (fit-models' note:
 * flexible κ ≈ 0.3 → 0.96; forgetful needs κ ≳ 0.9 and τ ≈ 0.1–0.3). */
export const NTA_PRIOR_RANGES: Record<"flexible" | "forgetful", GeneratingRanges> = {
  flexible: { ...NTA_GENERATING_RANGES.flexible, ...ENGAGED, prior: [0.2, 0.6] },
  forgetful: {
    ...NTA_GENERATING_RANGES.forgetful,
    ...ENGAGED,
    tau: [0.1, 0.3],
    prior: [0.9, 0.98],
  },
};

/** Draws before a flexible participant without the signature is given up (it is then kept, and says so). */
const MAX_DRAWS = 200;

function ntaParticipant(
  ctx: GeneratorContext,
  model: "flexible" | "forgetful",
  name: string,
  ranges: GeneratingRanges,
) {
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
    theta = drawTheta(model, rng, ranges, "ddm", linkRng);
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

const RANGE_TEXT = "answering through the diffusion link (bound 0.8–1.6, T_er 0.25–0.45 s)";

function ntaGenerator(model: "flexible" | "forgetful", withPrior: boolean): Generator {
  const name = `nta-${model}${withPrior ? "-prior" : ""}`;
  const ranges = withPrior
    ? NTA_PRIOR_RANGES[model]
    : { ...NTA_GENERATING_RANGES[model], ...NO_PRIOR };
  const params =
    model === "flexible"
      ? "τ_w 0.05–0.5, τ_c 0.01–0.1, λ 0.01–0.1, signature-admitted"
      : `τ_c = τ_w = τ ${withPrior ? "0.1–0.3" : "0.05–0.5"}, λ = 0`;
  const engagement = withPrior ? "β 5–20, lapse 1–4 %" : "β 2–20, lapse 1–10 %";
  return {
    name,
    label: `NTA ${model}${withPrior ? " with prior knowledge" : ""}`,
    description: `The ${model} NTA model (${params}, ${engagement}; ${withPrior ? `prior knowledge κ ${ranges.prior!.join("–")}` : "no prior knowledge"}) ${RANGE_TEXT}.`,
    truth: { family: "nta", practice: "model", ntaModel: model, shouldBeFlagged: false },
    generate: (ctx) => ntaParticipant(ctx, model, name, ranges),
  };
}

export const ntaFlexible = ntaGenerator("flexible", false);
export const ntaForgetful = ntaGenerator("forgetful", false);
export const ntaFlexiblePrior = ntaGenerator("flexible", true);
export const ntaForgetfulPrior = ntaGenerator("forgetful", true);
