// Curriculum = f(StudyConfig, participant seed): pure and deterministic (docs/ARCHITECTURE.md
// §4). Main blocks alternate the two tasks; each block is balanced over stimuli and over
// congruent/incongruent trials and avoids immediate stimulus repeats (also across block edges).
// Practice is two mini-blocks, one per task, so participants meet both rules before the switch.
import { createRng, deriveSeed, shuffled, type Rng } from "./rng";
import type { Curriculum, CurriculumTrial } from "./curriculum-schema";
import type { StudyConfig } from "./study-config";
import {
  correctKey,
  getTaskPair,
  isCongruent,
  otherTaskId,
  taskIdFor,
  withSwappedSides,
  type TaskPair,
  type TaskSlot,
} from "./task-pairs";

/** Independent RNG streams derived from the participant seed. */
const STREAM = { practice: 1, main: 2 } as const;

/** A participant's seed: the study seed mixed with the participant index (0-based). */
export function participantSeedFor(studySeed: number, participantIndex: number): number {
  if (!Number.isInteger(participantIndex) || participantIndex < 0) {
    throw new Error(`participantIndex must be a non-negative integer, got ${participantIndex}`);
  }
  return deriveSeed(studySeed, participantIndex);
}

/** Task slot of the first main block; "counterbalance" alternates by participant index parity. */
export function firstTaskSlot(
  config: Pick<StudyConfig, "firstTask">,
  participantIndex = 0,
): TaskSlot {
  if (config.firstTask === "counterbalance") return participantIndex % 2 === 0 ? "A" : "B";
  return config.firstTask;
}

/**
 * The stimulus multiset of one block of n trials: every stimulus ⌊n/S⌋ times, and the remainder
 * drawn half from congruent and half from incongruent stimuli (the odd one out chosen at random).
 */
export function blockStimulusCounts(pair: TaskPair, n: number, rng: Rng): Map<string, number> {
  const counts = new Map(pair.stimuli.map((s) => [s, Math.floor(n / pair.stimuli.length)]));
  let rest = n % pair.stimuli.length;
  if (rest > 0) {
    const congruent = shuffled(
      pair.stimuli.filter((s) => isCongruent(pair, s)),
      rng,
    );
    const incongruent = shuffled(
      pair.stimuli.filter((s) => !isCongruent(pair, s)),
      rng,
    );
    const extraToCongruent = rest % 2 === 1 && rng.next() < 0.5 ? 1 : 0;
    const nCongruent = Math.floor(rest / 2) + extraToCongruent;
    for (const s of congruent.slice(0, nCongruent)) counts.set(s, counts.get(s)! + 1);
    rest -= nCongruent;
    for (const s of incongruent.slice(0, rest)) counts.set(s, counts.get(s)! + 1);
  }
  return counts;
}

/**
 * Random order of a multiset with no two equal neighbours (and not starting with `previous`)
 * whenever that is possible: each step draws a remaining item, weighted by its count, among those
 * after which the rest can still be arranged without repeats.
 */
export function orderWithoutRepeats(
  counts: Map<string, number>,
  rng: Rng,
  previous: string | null = null,
): string[] {
  const left = new Map(counts);
  let total = [...left.values()].reduce((a, b) => a + b, 0);
  const out: string[] = [];
  let prev = previous;
  while (total > 0) {
    const live = [...left.entries()].filter(([, c]) => c > 0);
    let candidates = live.filter(([s]) => s !== prev && canFinish(left, s, total - 1));
    if (candidates.length === 0) candidates = live.filter(([s]) => s !== prev);
    if (candidates.length === 0) candidates = live; // unavoidable repeat
    const weight = candidates.reduce((a, [, c]) => a + c, 0);
    let r = rng.next() * weight;
    let pick = candidates[candidates.length - 1][0];
    for (const [s, c] of candidates) {
      if (r < c) {
        pick = s;
        break;
      }
      r -= c;
    }
    out.push(pick);
    left.set(pick, left.get(pick)! - 1);
    total -= 1;
    prev = pick;
  }
  return out;
}

/** After taking `s`, can the remaining `rest` items be ordered with no repeats and not start with `s`? */
function canFinish(left: Map<string, number>, s: string, rest: number): boolean {
  for (const [t, c] of left) {
    const after = t === s ? c - 1 : c;
    const limit = t === s ? Math.floor(rest / 2) : Math.ceil(rest / 2);
    if (after > limit) return false;
  }
  return true;
}

type BlockPlan = { blockIndex: number; task: string; length: number };

function buildTrials(
  phase: CurriculumTrial["phase"],
  plan: BlockPlan[],
  pair: TaskPair,
  keys: StudyConfig["keys"],
  rng: Rng,
): CurriculumTrial[] {
  const trials: CurriculumTrial[] = [];
  let previous: string | null = null;
  for (const block of plan) {
    const order = orderWithoutRepeats(blockStimulusCounts(pair, block.length, rng), rng, previous);
    order.forEach((stimulus, trialInBlock) => {
      trials.push({
        phase,
        trialIndex: trials.length,
        blockIndex: block.blockIndex,
        trialInBlock,
        task: block.task,
        stimulus,
        correctResponse: correctKey(pair, block.task, stimulus, keys),
        congruent: isCongruent(pair, stimulus),
      });
    });
    previous = order[order.length - 1] ?? previous;
  }
  return trials;
}

/**
 * The task pair as this curriculum's participant meets it (with the run's key mapping): what
 * every reader of a curriculum uses to judge, describe or encode its trials.
 */
export function curriculumTaskPair(curriculum: Pick<Curriculum, "taskPair" | "swapped">): TaskPair {
  return withSwappedSides(getTaskPair(curriculum.taskPair), curriculum.swapped ?? []);
}

/**
 * The curriculum of one participant. `participantSeed` drives every random choice;
 * `participantIndex` only decides the first task when config.firstTask is "counterbalance";
 * `swapped` names the rules whose key sides this participant has swapped (lib/core/conditions.ts).
 */
export function generateCurriculum(
  config: StudyConfig,
  participantSeed: number,
  participantIndex = 0,
  swapped: readonly string[] = [],
): Curriculum {
  if (!Number.isInteger(participantSeed))
    throw new Error(`participantSeed must be an integer, got ${participantSeed}`);
  const pair = curriculumTaskPair({ taskPair: config.taskPair, swapped: [...swapped] });
  const first = taskIdFor(pair, firstTaskSlot(config, participantIndex));
  const second = otherTaskId(pair, first);

  const blocks = Array.from({ length: config.blocks }, (_, blockIndex) => ({
    blockIndex,
    task: blockIndex % 2 === 0 ? first : second,
  }));
  const mainPlan = blocks.map((b) => ({ ...b, length: config.trialsPerBlock }));

  const nPractice = config.practice.trials;
  const practicePlan = [
    { blockIndex: 0, task: first, length: Math.ceil(nPractice / 2) },
    { blockIndex: 1, task: second, length: Math.floor(nPractice / 2) },
  ].filter((b) => b.length > 0);

  return {
    version: 1,
    taskPair: pair.id,
    seed: participantSeed,
    keys: { left: config.keys.left, right: config.keys.right },
    ...(swapped.length > 0 ? { swapped: [...swapped] } : {}),
    blocks,
    practice: buildTrials(
      "practice",
      practicePlan,
      pair,
      config.keys,
      createRng(deriveSeed(participantSeed, STREAM.practice)),
    ),
    trials: buildTrials(
      "main",
      mainPlan,
      pair,
      config.keys,
      createRng(deriveSeed(participantSeed, STREAM.main)),
    ),
  };
}

/** Practice attempt `attempt` (0-based) re-indexed: trialIndex = attempt·practiceLength + i. */
export function practiceAttemptTrials(curriculum: Curriculum, attempt: number): CurriculumTrial[] {
  const n = curriculum.practice.length;
  return curriculum.practice.map((t, i) => ({ ...t, trialIndex: attempt * n + i }));
}
