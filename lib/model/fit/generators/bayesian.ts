// Bayesian rule inference: a person who knows both rules but not which one is in force, and infers
// it from feedback (a hidden-Markov observer; e.g. the switch-detection models of Collins & Koechlin
// 2012 reduced to two known rules). Belief b = P(rule A in force); after each trial the feedback
// reveals the correct key, whose likelihood under each rule is 1 − ε (the rule gives that key) or
// ε (assumed noise); between trials the rule may switch with hazard h. The rule is chosen by a
// sharpened probability match P(A) = b^γ / (b^γ + (1 − b)^γ); RTs slow with the belief's entropy.
// Only incongruent digits are informative, so switches are detected after 1–3 trials; the switch
// cost does not change with practice (h is fixed).
import { createRng } from "@/lib/core/rng";
import { curriculumTaskPair } from "@/lib/core/curriculum";
import { correctKey } from "@/lib/core/task-pairs";

import { drawExGaussian, sampleExGaussian } from "./rt";
import { type Generator, toTrialRecords, uniform } from "./types";

export const bayesianRuleInference: Generator = {
  name: "bayesian",
  label: "Bayesian rule inference",
  description:
    "Infers the rule in force from feedback (hazard 0.02–0.12, assumed noise 0.02–0.1, choice sharpness 2–6); RT slowing 100–300 ms × belief entropy (bits).",
  truth: { family: "bayesian", practice: "constant", shouldBeFlagged: false },
  generate(ctx) {
    const rng = createRng(ctx.seed);
    const rt = drawExGaussian(rng);
    const params = {
      hazard: uniform(rng, 0.02, 0.12),
      noise: uniform(rng, 0.02, 0.1),
      sharpness: uniform(rng, 2, 6),
      lapse: uniform(rng, 0.005, 0.02),
      uncertaintyMs: uniform(rng, 100, 300),
      ...rt,
    };
    const { curriculum, config } = ctx;
    const pair = curriculumTaskPair(curriculum);
    const [A, B] = [pair.tasks[0].id, pair.tasks[1].id];
    // the instructions and practice start with the first block's rule
    let b = curriculum.trials[0]?.task === A ? 0.9 : 0.1;
    const responses = curriculum.trials.map((t) => {
      const wa = b ** params.sharpness,
        wb = (1 - b) ** params.sharpness;
      const rule = rng.next() < wa / (wa + wb) ? A : B;
      const key =
        rng.next() < params.lapse
          ? rng.next() < 0.5
            ? curriculum.keys.left
            : curriculum.keys.right
          : correctKey(pair, rule, t.stimulus, curriculum.keys);
      const h = b > 0 && b < 1 ? -(b * Math.log2(b) + (1 - b) * Math.log2(1 - b)) : 0;
      const ms = sampleExGaussian(rt, rng, params.uncertaintyMs * h);
      // feedback shows the correct key (when the study gives feedback)
      if (config.feedback === "trial") {
        const la = correctKey(pair, A, t.stimulus, curriculum.keys) === t.correctResponse;
        const lb = correctKey(pair, B, t.stimulus, curriculum.keys) === t.correctResponse;
        const pa = b * (la ? 1 - params.noise : params.noise),
          pb = (1 - b) * (lb ? 1 - params.noise : params.noise);
        b = pa / (pa + pb);
      }
      b = b * (1 - params.hazard) + (1 - b) * params.hazard;
      return ms > config.timing.responseWindowMs
        ? { response: null, rtMs: null }
        : { response: key, rtMs: ms };
    });
    return {
      generator: "bayesian",
      seed: ctx.seed,
      params,
      trials: toTrialRecords(ctx, rng, responses),
    };
  },
};
