// The generator zoo (docs/generators.md): simulated participants that are NOT all the NTA model,
// answering the app's own curricula and producing the TrialRecords the app stores, so fits, flags
// and group statistics can be checked against a known truth. Every generator is seeded: the same
// (config, curriculum, seed) gives the same participant.
import type { Curriculum, CurriculumTrial } from "@/lib/core/curriculum-schema";
import type { Rng } from "@/lib/core/rng";
import type { StudyConfig } from "@/lib/core/study-config";
import type { TrialRecord } from "@/lib/core/trial-record";

import type { Theta } from "../transforms";

export type GeneratorFamily = "descriptive" | "chance" | "bayesian" | "nta";

/** What a generator's data should show (the report checks fits and flags against it). */
export type GeneratorTruth = {
  family: GeneratorFamily;
  /** How the switch cost changes with practice: falls, stays constant, or there is none. */
  practice: "falls" | "constant" | "none" | "model";
  /** NTA generators: the generating model. */
  ntaModel?: "flexible" | "forgetful";
  /** Should the data-quality flags catch this participant? */
  shouldBeFlagged: boolean;
};

export type GeneratedParticipant = {
  generator: string;
  seed: number;
  /** Per-participant parameters drawn by the generator (ms for times, probabilities otherwise). */
  params: Record<string, number>;
  /** NTA generators: θ in the fit's parameterisation (with bound/ndt of the ddm link). */
  theta?: Theta;
  /** Main-phase trials, as the app stores them. */
  trials: TrialRecord[];
};

export type GeneratorContext = { config: StudyConfig; curriculum: Curriculum; seed: number };

export type Generator = {
  name: string;
  label: string;
  description: string;
  truth: GeneratorTruth;
  generate(ctx: GeneratorContext): GeneratedParticipant;
};

/** Uniform draw in [lo, hi]. */
export const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/**
 * Turns per-trial responses into stored TrialRecords with a clock that follows the design: each
 * trial ends inter-trial gap + fixation + response time (the window on a miss) + feedback after the
 * previous one; the main phase starts after instructions and practice; breaks add 15–45 s.
 */
export function toTrialRecords(
  ctx: GeneratorContext,
  rng: Rng,
  responses: readonly { response: string | null; rtMs: number | null }[],
): TrialRecord[] {
  const { config, curriculum } = ctx;
  const { fixationMs, responseWindowMs, feedbackMs, itiMs } = config.timing;
  const feedback = config.feedback === "trial" ? feedbackMs : 0;
  let clock = 60_000 + uniform(rng, 0, 60_000);
  return curriculum.trials.map((t: CurriculumTrial, i) => {
    const { response, rtMs } = responses[i];
    if (
      i > 0 &&
      config.breakEveryBlocks > 0 &&
      t.trialInBlock === 0 &&
      t.blockIndex % config.breakEveryBlocks === 0
    )
      clock += uniform(rng, 15_000, 45_000);
    clock += itiMs + fixationMs + (rtMs ?? responseWindowMs) + feedback;
    return {
      ...t,
      phase: "main",
      response,
      correct: response === t.correctResponse,
      rtMs: rtMs === null ? null : Math.round(rtMs * 10) / 10,
      timeElapsedMs: Math.round(clock),
      output: null,
      loss: null,
      gates: null,
    };
  });
}
