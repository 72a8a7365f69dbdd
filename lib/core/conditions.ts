// Between-participant conditions and counterbalancing, as pure decisions (docs/ARCHITECTURE.md
// §4, docs/researcher-guide.md "Conditions and counterbalancing"). lib/server/runs.ts tallies the
// study's runs and calls `assignRun` inside one database transaction that holds the study's row
// lock, so concurrent entries — on one app instance or several — are decided one after another.
import { curriculumTaskPair } from "./curriculum";
import { curriculumSchema, type Curriculum } from "./curriculum-schema";
import { createRng, deriveSeed } from "./rng";
import {
  applyCondition,
  studyConfigSchema,
  type Condition,
  type StudyConfig,
} from "./study-config";
import { getTaskPair, type TaskSlot } from "./task-pairs";

/** RNG stream of the assignment draw, derived from the participant seed (curriculum uses 1, 2). */
const ASSIGNMENT_STREAM = 3;

/**
 * Whether new runs of this study are assigned in the database (conditions or counterbalanced
 * key mappings). A study with neither creates runs exactly as before conditions existed.
 */
export function usesAssignment(config: StudyConfig): boolean {
  return config.conditions.length > 0 || config.keyMapping === "counterbalance";
}

/** The condition with this name, or undefined. */
export function findCondition(config: StudyConfig, name: string): Condition | undefined {
  return config.conditions.find((c) => c.name === name);
}

/** The config participants of a condition get (the base config for `null`), without conditions. */
export function effectiveConfig(config: StudyConfig, conditionName: string | null): StudyConfig {
  if (conditionName === null) return { ...config, conditions: [] };
  const condition = findCondition(config, conditionName);
  if (!condition) throw new Error(`The study has no condition "${conditionName}"`);
  return applyCondition(config, condition);
}

/** One counterbalancing cell: which task comes first and which rules have their keys swapped. */
export type CounterbalanceCell = { firstTask: TaskSlot; swapped: string[] };

/**
 * The counterbalancing cells of an effective config, in an order whose every prefix is as
 * balanced as it can be: first task alternates fastest; the key mappings run none, both, A only,
 * B only, so after each 2 mappings every rule has been swapped once and kept once.
 */
export function counterbalanceCells(config: StudyConfig): CounterbalanceCell[] {
  const [a, b] = getTaskPair(config.taskPair).tasks.map((t) => t.id);
  const firsts: TaskSlot[] =
    config.firstTask === "counterbalance" ? ["A", "B"] : [config.firstTask];
  const mappings = config.keyMapping === "counterbalance" ? [[], [a, b], [a], [b]] : [[]];
  return mappings.flatMap((swapped) => firsts.map((firstTask) => ({ firstTask, swapped })));
}

/** Runs that count for balance, by condition (null: a study without conditions) and cell. */
export type AssignmentTally = { condition: string | null; cell: number | null; runs: number };

export type RunAssignment = {
  /** null for a study without conditions. */
  condition: string | null;
  /** Index into counterbalanceCells(config). */
  cell: number;
  /** The run's effective config: the condition applied, first task decided, no conditions. */
  config: StudyConfig;
  /** Rules whose key sides are swapped for this run (Curriculum.swapped). */
  swapped: string[];
};

/** Indices of the smallest counts. */
function fewest(counts: number[]): number[] {
  const min = Math.min(...counts);
  return counts.flatMap((c, i) => (c === min ? [i] : []));
}

/**
 * Decide a new run's condition and counterbalancing cell from the tallies of the study's runs that
 * count (completed or in progress, pilots excluded). Balanced: a condition with the fewest runs,
 * ties broken by a draw seeded with the participant seed; random: that seeded draw among all
 * conditions. Within the condition the cell with the fewest runs, ties to the earliest in
 * `counterbalanceCells` order. `chosen` (a pilot link's condition) skips the condition decision.
 */
export function assignRun(
  config: StudyConfig,
  tallies: readonly AssignmentTally[],
  participantSeed: number,
  chosen?: string,
): RunAssignment {
  const rng = createRng(deriveSeed(participantSeed, ASSIGNMENT_STREAM));
  const count = (condition: string | null, cell?: number) =>
    tallies
      .filter((t) => t.condition === condition && (cell === undefined || t.cell === cell))
      .reduce((n, t) => n + t.runs, 0);
  let condition: string | null = null;
  if (chosen !== undefined) {
    if (!findCondition(config, chosen)) throw new Error(`The study has no condition "${chosen}"`);
    condition = chosen;
  } else if (config.conditions.length > 0) {
    const names = config.conditions.map((c) => c.name);
    const candidates =
      config.assignment === "balanced"
        ? fewest(names.map((n) => count(n))).map((i) => names[i])
        : names;
    condition = candidates[rng.int(candidates.length)];
  }
  const effective = effectiveConfig(config, condition);
  const cells = counterbalanceCells(effective);
  const cell = fewest(cells.map((_, i) => count(condition, i)))[0];
  return {
    condition,
    cell,
    config: { ...effective, firstTask: cells[cell].firstTask },
    swapped: cells[cell].swapped,
  };
}

/**
 * A curriculum's key mapping in words, one rule per part: "parity: f = odd digits, j = even
 * digits; magnitude: …" (exports, the run page).
 */
export function keyMappingLabel(curriculum: Pick<Curriculum, "taskPair" | "swapped" | "keys">) {
  const pair = curriculumTaskPair(curriculum);
  const { left, right } = curriculum.keys;
  return pair.tasks
    .map((t) => `${t.id}: ${left} = ${t.describe.left}, ${right} = ${t.describe.right}`)
    .join("; ");
}

/**
 * A stored run's export columns: its condition, key mapping in words, and its effective design as
 * JSON (the fields a condition or the counterbalancing can change, plus task pair and keys).
 */
export function runDesignColumns(run: {
  condition: string | null;
  config: unknown;
  curriculum: unknown;
}) {
  const parsedConfig = studyConfigSchema.safeParse(run.config);
  const parsedCurriculum = curriculumSchema.safeParse(run.curriculum);
  // a row that is not a full snapshot (hand-made fixtures, very old rows) still exports its trials
  if (!parsedConfig.success || !parsedCurriculum.success)
    return { condition: run.condition ?? "", keyMapping: "", runConfig: "" };
  const c = parsedConfig.data;
  const curriculum = parsedCurriculum.data;
  return {
    condition: run.condition ?? "",
    keyMapping: keyMappingLabel(curriculum),
    runConfig: JSON.stringify({
      taskPair: c.taskPair,
      blocks: c.blocks,
      trialsPerBlock: c.trialsPerBlock,
      // the task of the first main block (a "counterbalance" config is decided per run)
      firstTask: curriculum.blocks[0]?.task ?? c.firstTask,
      cueMode: c.cueMode,
      feedback: c.feedback,
      breakEveryBlocks: c.breakEveryBlocks,
      timing: c.timing,
      practiceTrials: c.practice.trials,
      keys: c.keys,
    }),
  };
}
