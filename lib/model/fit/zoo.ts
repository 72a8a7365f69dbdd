// One participant of the zoo report (docs/generators.md, `npm run fit:recovery -- --zoo`): generate
// on the app's curriculum for that participant, run the data-quality checks and the practice-effect
// estimate, fit every model, and keep what the report needs. Pure apart from the fit's CPU time;
// run in worker threads by scripts/fit-zoo.ts.
import { generateCurriculum, participantSeedFor } from "@/lib/core/curriculum";
import { type SlopeEstimate, participantPracticeEffect } from "@/lib/core/group-stats";
import { type QualityCode, assessQuality } from "@/lib/core/quality";
import { deriveSeed } from "@/lib/core/rng";
import { defaultStudyConfig } from "@/lib/core/study-config";

import { stimulusPresets } from "../presets";
import { curriculumToStimulusTrials } from "../stimulus-trials";

import { getGenerator } from "./generators";
import { fitDataFor } from "./likelihood";
import { fitParticipant } from "./participant";
import type { LinkName, Theta } from "./transforms";

export type ZooJob = {
  generator: string;
  /** Participant index within its generator (also the curriculum's participant index). */
  index: number;
  /** Run seed; every stream of the participant derives from (seed, generator position, index). */
  seed: number;
  generatorPosition: number;
  link: LinkName;
  initSeeds?: number;
};

export type ZooModelFit = {
  bic: number;
  logLik: number;
  nParams: number;
  theta: Theta;
  /** 95 % intervals the fit reports (profile likelihood where available, else Hessian). */
  intervals: Record<string, [number, number]>;
  atBound: string[];
};

export type ZooResult = {
  generator: string;
  index: number;
  seeds: { curriculum: number; generator: number; fit: number };
  accuracy: number;
  params: Record<string, number>;
  theta: Theta | null;
  quality: { flagged: boolean; codes: QualityCode[]; reasons: string[] };
  practice: { error: SlopeEstimate | null; rt: SlopeEstimate | null; notEstimable: string | null };
  fits: Record<string, ZooModelFit>;
  verdict: {
    /** flexible | forgetful | misfit | at chance (the latter two once the fit code reports them). */
    label: string;
    preferred: string;
    strength: string;
    deltaBic: number;
    summary: string;
    misfit: boolean | null;
    atChance: boolean | null;
    /** The fit's own model-based practice effect (rule-knower baseline), when it reports one. */
    practiceEffect: { estimate: number; lo: number; hi: number; estimable: boolean } | null;
  };
  wallMs: number;
};

/** What the zoo reads from a participant fit (fields beyond flexible/forgetful are optional). */
type FitLike = {
  flexible: FitModelLike;
  forgetful: FitModelLike;
  fits?: Record<string, FitModelLike | undefined>;
  comparison: {
    preferred: string;
    strength: string;
    deltaBic: number;
    verdict?: string;
    summary?: string;
    misfit?: boolean;
    atChance?: boolean;
    practiceEffect?: ZooResult["verdict"]["practiceEffect"];
  };
};
type FitModelLike = {
  bic: number;
  logLik: number;
  nParams: number;
  theta: Theta;
  uncertainty: {
    ci95: Partial<Record<string, [number, number]>> | null;
    atBound: string[];
    profile?: Record<string, { lo: number; hi: number }>;
  };
};

function modelFit(f: FitModelLike): ZooModelFit {
  const intervals: Record<string, [number, number]> = {};
  for (const [k, v] of Object.entries(f.uncertainty.ci95 ?? {})) if (v) intervals[k] = v;
  for (const [k, v] of Object.entries(f.uncertainty.profile ?? {})) intervals[k] = [v.lo, v.hi];
  return {
    bic: f.bic,
    logLik: f.logLik,
    nParams: f.nParams,
    theta: f.theta,
    intervals,
    atBound: f.uncertainty.atBound,
  };
}

export async function runZooParticipant(
  job: ZooJob,
  onProgress?: (fraction: number, message: string) => void,
): Promise<ZooResult> {
  const t0 = performance.now();
  const config = defaultStudyConfig();
  const stream = (k: number) =>
    deriveSeed(job.seed, 1_000_000 * job.generatorPosition + 10 * job.index + k);
  const seeds = {
    curriculum: participantSeedFor(stream(0), job.index),
    generator: stream(1),
    fit: stream(2),
  };
  const curriculum = generateCurriculum(config, seeds.curriculum, job.index);
  const p = getGenerator(job.generator).generate({ config, curriculum, seed: seeds.generator });
  const quality = assessQuality(p.trials, {
    timing: config.timing,
    feedback: config.feedback,
    mainTrials: curriculum.trials.length,
  });
  const practice = participantPracticeEffect(p.trials);
  const seq = curriculumToStimulusTrials(curriculum);
  const data = fitDataFor(
    seq,
    new Map(p.trials.map((t) => [t.trialIndex, t])),
    config.timing.responseWindowMs,
  );
  const chance = quality.flags.find((f) => f.code === "chance" || f.code === "chance-half");
  const fit = (await fitParticipant(stimulusPresets.flexible.arch, seq, data, {
    seed: seeds.fit,
    link: job.link,
    initSeeds: job.initSeeds,
    onProgress,
    // the data-quality chance flag, for fit code that caps verdicts at chance (ignored otherwise)
    ...({ chance: chance ? { flag: true, reason: chance.reason } : { flag: false } } as object),
  })) as unknown as FitLike;
  const all = fit.fits ?? { flexible: fit.flexible, forgetful: fit.forgetful };
  const fits: Record<string, ZooModelFit> = {};
  for (const [name, f] of Object.entries(all)) if (f) fits[name] = modelFit(f);
  const c = fit.comparison;
  return {
    generator: job.generator,
    index: job.index,
    seeds,
    accuracy: quality.accuracy ?? 0,
    params: p.params,
    theta: p.theta ?? null,
    quality: {
      flagged: quality.flagged,
      codes: quality.flags.map((f) => f.code),
      reasons: quality.flags.map((f) => f.reason),
    },
    practice: { error: practice.error, rt: practice.rt, notEstimable: practice.notEstimable },
    fits,
    verdict: {
      label: c.verdict ?? c.preferred,
      preferred: c.preferred,
      strength: c.strength,
      deltaBic: c.deltaBic,
      summary: c.summary ?? `${c.preferred} (${c.strength})`,
      misfit: c.misfit ?? null,
      atChance: c.atChance ?? null,
      practiceEffect: c.practiceEffect ?? null,
    },
    wallMs: performance.now() - t0,
  };
}
