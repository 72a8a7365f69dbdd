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
import type { PracticeEffect } from "./compare";
import type { ModelFit } from "./fit";
import type { GroupInformedEstimate } from "./hierarchical";
import { GROUP_MIN_MEMBERS } from "./hierarchical";
import { fitParticipant, groupInformedFits } from "./participant";
import { coverageOf } from "./recovery";
import { type LinkName, type Theta, uFromTheta } from "./transforms";

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
  /** NTA generators: does each 95 % interval of the generating model's fit cover the truth? */
  covered: Record<string, boolean> | null;
  verdict: {
    /** flexible | forgetful | misfit | at chance (compare.ts). */
    label: string;
    preferred: string;
    strength: string;
    deltaBic: number;
    summary: string;
    misfit: boolean;
    atChance: boolean;
    /** Lowest-BIC model of all, and BIC_bestNTA − BIC_bestBaseline. */
    best: string;
    ntaVsBaseline: number | null;
    /** The fit's model-based practice effect (γ of the practice-dependent baseline), if estimated. */
    practiceEffect: PracticeEffect | null;
  };
  wallMs: number;
  /**
   * The generating NTA model's group-informed estimate (hierarchical.ts), over the generator's
   * participants not at chance; set by groupInformZoo after every participant is fitted.
   */
  groupInformed?: GroupInformedEstimate | null;
};

function modelFit(f: ModelFit): ZooModelFit {
  return {
    bic: f.bic,
    logLik: f.logLik,
    nParams: f.nParams,
    theta: f.theta,
    intervals: f.uncertainty.ci95 ?? {},
    atBound: f.uncertainty.atBound,
  };
}

/** A zoo participant's data, regenerated from the job's seeds (deterministic). */
export function zooParticipantInputs(job: ZooJob) {
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
  const seq = curriculumToStimulusTrials(curriculum);
  const data = fitDataFor(
    seq,
    new Map(p.trials.map((t) => [t.trialIndex, t])),
    config.timing.responseWindowMs,
  );
  return { config, seeds, curriculum, p, seq, data };
}

export async function runZooParticipant(
  job: ZooJob,
  onProgress?: (fraction: number, message: string) => void,
): Promise<ZooResult> {
  const t0 = performance.now();
  const { config, seeds, curriculum, p, seq, data } = zooParticipantInputs(job);
  const quality = assessQuality(p.trials, {
    timing: config.timing,
    feedback: config.feedback,
    mainTrials: curriculum.trials.length,
  });
  const practice = participantPracticeEffect(p.trials);
  // the data-quality chance flags (overall or per half) cap the verdict at "at chance"
  const chance = quality.flags.find((f) => f.code === "chance" || f.code === "chance-half");
  const fit = await fitParticipant(stimulusPresets.flexible.arch, seq, data, {
    seed: seeds.fit,
    link: job.link,
    initSeeds: job.initSeeds,
    onProgress,
    chance: chance ? { flag: true, reason: chance.reason } : { flag: false },
  });
  const fits: Record<string, ZooModelFit> = {};
  for (const [name, f] of Object.entries(fit.fits)) if (f) fits[name] = modelFit(f);
  const c = fit.comparison;
  const truthModel = getGenerator(job.generator).truth.ntaModel;
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
    covered: truthModel && p.theta ? coverageOf(fit.fits[truthModel]!, p.theta) : null,
    verdict: {
      label: c.verdict,
      preferred: c.preferred,
      strength: c.strength,
      deltaBic: c.deltaBic,
      summary: c.summary,
      misfit: c.misfit,
      atChance: c.atChance,
      best: c.best,
      ntaVsBaseline: c.ntaVsBaseline,
      practiceEffect: c.practiceEffect,
    },
    wallMs: performance.now() - t0,
  };
}

/**
 * Group-informed estimates of each NTA generator's own model over its participants (a generator's
 * participants play one study): set on every result of the generator (null when at chance or when
 * fewer than GROUP_MIN_MEMBERS participants remain). Returns the results with the field set.
 */
export async function groupInformZoo(
  results: readonly ZooResult[],
  jobOf: (r: ZooResult) => ZooJob,
  onProgress?: (generator: string, fraction: number, message: string) => void,
): Promise<ZooResult[]> {
  const out = results.map((r) => ({ ...r, groupInformed: null as GroupInformedEstimate | null }));
  for (const generator of [...new Set(out.map((r) => r.generator))]) {
    const model = getGenerator(generator).truth.ntaModel;
    if (!model) continue;
    const members = out.filter(
      (r) => r.generator === generator && !r.verdict.atChance && r.fits[model],
    );
    if (members.length < GROUP_MIN_MEMBERS) continue;
    const job = jobOf(members[0]);
    const g = await groupInformedFits(
      stimulusPresets.flexible.arch,
      members.map((r) => {
        const { seq, data, seeds } = zooParticipantInputs(jobOf(r));
        return {
          seq,
          data,
          seed: seeds.fit,
          u: { [model]: uFromTheta(model, r.fits[model].theta, job.link) },
        };
      }),
      {
        link: job.link,
        initSeeds: job.initSeeds,
        models: [model],
        onProgress: (f, msg) => onProgress?.(generator, f, msg),
      },
    );
    members.forEach((r, i) => (r.groupInformed = g[model]!.estimates[i]));
  }
  return out;
}
