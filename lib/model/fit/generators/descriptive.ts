// Rule-knowers: people who know both rules from the instructions and apply the rule in force,
// except right after a switch, when they apply the previous rule with a probability that decays
// within the block (errors therefore fall on incongruent digits only), plus a small lapse rate
// (random key). Response times: ex-Gaussian + a post-switch slowing that decays the same way + a
// small congruency cost. How the post-switch cost changes across switches is what tells them
// apart: it falls with practice, stays the same, or there is none.
import { createRng } from "@/lib/core/rng";
import { curriculumTaskPair } from "@/lib/core/curriculum";
import { otherTaskId, correctKey } from "@/lib/core/task-pairs";

import { drawExGaussian, sampleExGaussian } from "./rt";
import { type Generator, type GeneratorContext, toTrialRecords, uniform } from "./types";

type RuleKnowerShape = {
  /** P(previous rule) on the first trial after switch k (k = 1…), given the participant's draw. */
  perseveration: (k: number, p: Record<string, number>) => number;
  /** Post-switch RT slowing (ms) on the first trial after switch k. */
  slowing: (k: number, p: Record<string, number>) => number;
};

/** Draws common to all rule-knowers; `extra` adds the generator's own. */
function ruleKnower(
  ctx: GeneratorContext,
  name: string,
  shape: RuleKnowerShape,
  extra: (rng: ReturnType<typeof createRng>) => Record<string, number>,
  recovery: [number, number] = [0.6, 1.5],
) {
  const rng = createRng(ctx.seed);
  const rt = drawExGaussian(rng);
  const params: Record<string, number> = {
    lapse: uniform(rng, 0.005, 0.03),
    /** Trials for the post-switch cost to fall by 1/e within a block. */
    recovery: uniform(rng, recovery[0], recovery[1]),
    congruencyMs: uniform(rng, 10, 40),
    ...rt,
    ...extra(rng),
  };
  const { curriculum, config } = ctx;
  const pair = curriculumTaskPair(curriculum);
  const responses = curriculum.trials.map((t) => {
    const k = t.blockIndex;
    const decay = Math.exp(-t.trialInBlock / params.recovery);
    const pOld = k >= 1 ? shape.perseveration(k, params) * decay : 0;
    const slow = k >= 1 ? shape.slowing(k, params) * decay : 0;
    let key: string;
    if (rng.next() < params.lapse)
      key = rng.next() < 0.5 ? curriculum.keys.left : curriculum.keys.right;
    else {
      const rule = rng.next() < pOld ? otherTaskId(pair, t.task) : t.task;
      key = correctKey(pair, rule, t.stimulus, curriculum.keys);
    }
    const ms = sampleExGaussian(rt, rng, slow + (t.congruent ? 0 : params.congruencyMs));
    return ms > config.timing.responseWindowMs
      ? { response: null, rtMs: null }
      : { response: key, rtMs: ms };
  });
  return { generator: name, seed: ctx.seed, params, trials: toTrialRecords(ctx, rng, responses) };
}

export const practiceReduced: Generator = {
  name: "practice-reduced",
  label: "Switch cost falls with practice",
  description:
    "Rule-knower whose post-switch perseveration (0.5–0.8 on the first switch) and slowing (200–400 ms) decay across switches with a time constant of 3–8 switches (to ≈ 10–25 % of the start by switch 19).",
  truth: { family: "descriptive", practice: "falls", shouldBeFlagged: false },
  generate: (ctx) =>
    ruleKnower(
      ctx,
      "practice-reduced",
      {
        perseveration: (k, p) => p.firstPerseveration * Math.exp(-(k - 1) / p.practiceSwitches),
        slowing: (k, p) => p.firstSlowingMs * Math.exp(-(k - 1) / p.practiceSwitches),
      },
      (rng) => ({
        firstPerseveration: uniform(rng, 0.5, 0.8),
        firstSlowingMs: uniform(rng, 200, 400),
        practiceSwitches: uniform(rng, 3, 8),
      }),
    ),
};

export const constantCost: Generator = {
  name: "constant-cost",
  label: "Constant switch cost",
  description:
    "Rule-knower with the same post-switch perseveration (0.3–0.6) and slowing (150–350 ms) at every switch.",
  truth: { family: "descriptive", practice: "constant", shouldBeFlagged: false },
  generate: (ctx) =>
    ruleKnower(
      ctx,
      "constant-cost",
      { perseveration: (_k, p) => p.perseveration, slowing: (_k, p) => p.slowingMs },
      (rng) => ({ perseveration: uniform(rng, 0.3, 0.6), slowingMs: uniform(rng, 150, 350) }),
    ),
};

export const noSwitchCost: Generator = {
  name: "no-switch-cost",
  label: "No switch cost",
  description:
    "Rule-knower who switches at once: no post-switch errors or slowing beyond the lapse rate.",
  truth: { family: "descriptive", practice: "none", shouldBeFlagged: false },
  generate: (ctx) =>
    ruleKnower(ctx, "no-switch-cost", { perseveration: () => 0, slowing: () => 0 }, () => ({})),
};

export const slowPerseveration: Generator = {
  name: "perseveration",
  label: "Perseveration, slow recovery",
  description:
    "Keeps applying the old rule after a switch (P 0.85–1 on the first trial) and recovers slowly within the block (1/e in 4–10 trials), the same at every switch; slowing 100–300 ms with the same recovery.",
  truth: { family: "descriptive", practice: "constant", shouldBeFlagged: false },
  generate: (ctx) =>
    ruleKnower(
      ctx,
      "perseveration",
      { perseveration: (_k, p) => p.perseveration, slowing: (_k, p) => p.slowingMs },
      (rng) => ({ perseveration: uniform(rng, 0.85, 1), slowingMs: uniform(rng, 100, 300) }),
      [4, 10],
    ),
};

export const chanceResponder: Generator = {
  name: "chance",
  label: "Chance responder",
  description:
    "Presses a random key (P(right) 0.4–0.6) whatever the digit, with human-like response times and 0–5 % misses.",
  truth: { family: "chance", practice: "none", shouldBeFlagged: true },
  generate(ctx) {
    const rng = createRng(ctx.seed);
    const rt = drawExGaussian(rng);
    const params = { pRight: uniform(rng, 0.4, 0.6), miss: uniform(rng, 0, 0.05), ...rt };
    const { keys } = ctx.curriculum;
    const responses = ctx.curriculum.trials.map(() => {
      if (rng.next() < params.miss) return { response: null, rtMs: null };
      const ms = sampleExGaussian(rt, rng);
      if (ms > ctx.config.timing.responseWindowMs) return { response: null, rtMs: null };
      return { response: rng.next() < params.pRight ? keys.right : keys.left, rtMs: ms };
    });
    return {
      generator: "chance",
      seed: ctx.seed,
      params,
      trials: toTrialRecords(ctx, rng, responses),
    };
  },
};
