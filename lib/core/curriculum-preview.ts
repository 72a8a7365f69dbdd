// What participant 0 of a design would see: the block schedule, the first trials around the first
// switch, and the estimated duration. Pure, so the study form computes it live in the browser and
// the study page on the server, with the same generateCurriculum the participant link uses.
import { generateCurriculum, participantSeedFor } from "./curriculum";
import { estimateDuration } from "./duration";
import type { StudyConfig } from "./study-config";
import { getTaskPair } from "./task-pairs";

export type CurriculumPreview = ReturnType<typeof computeCurriculumPreview>;

/**
 * What participant 0 would see: the block schedule and the first trials of the first two blocks
 * (so the switch is visible). Pure; the same generateCurriculum the participant link uses.
 */
export function computeCurriculumPreview(config: StudyConfig, trialsPerBlockShown = 6) {
  const pair = getTaskPair(config.taskPair);
  const labels = new Map(pair.tasks.map((t) => [t.id, t.label]));
  const seed = participantSeedFor(config.seed, 0);
  const curriculum = generateCurriculum(config, seed, 0);
  const examples = curriculum.trials.filter(
    (t) => t.blockIndex <= 1 && t.trialInBlock < trialsPerBlockShown,
  );
  return {
    participantIndex: 0,
    seed,
    keys: curriculum.keys,
    mainTrials: curriculum.trials.length,
    practiceTrials: curriculum.practice.length,
    blocks: curriculum.blocks.map((b) => ({ ...b, label: labels.get(b.task) ?? b.task })),
    examples: examples.map((t) => ({ ...t, label: labels.get(t.task) ?? t.task })),
    duration: estimateDuration(config),
  };
}
