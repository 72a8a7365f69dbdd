// Task-pair registry (docs/science.md §10.1): the stimuli, the two rules, how a rule maps
// a stimulus to the left or right key, and the model's encoding. The human curriculum and the
// model curriculum are one object because both read their correct answers from here.
import type { StudyConfig } from "./study-config";

export type KeySide = "left" | "right";
export type TaskSlot = "A" | "B";
export type ResponseKeys = { left: string; right: string };

export type TaskRule = {
  /** Short id stored in every TrialRecord ("parity"). */
  id: string;
  /** Shown as the cue in cued mode and in the instructions. */
  label: string;
  /** Cue colour (CSS) in cued mode. */
  colour: string;
  /** Which side this rule maps a stimulus to. */
  sideFor(stimulus: string): KeySide;
  /** One instruction sentence per side ("odd digits"). */
  describe: Record<KeySide, string>;
};

export type TaskPair = {
  id: StudyConfig["taskPair"];
  stimuli: readonly string[];
  /** Task A and task B, in that order. */
  tasks: readonly [TaskRule, TaskRule];
  /** Model input width (one-hot over stimuli) and output width (one signed unit). */
  encoding: { dIn: number; dOut: 1 };
};

const digit = (stimulus: string) => {
  const n = Number(stimulus);
  if (!Number.isInteger(n)) throw new Error(`Not a digit stimulus: "${stimulus}"`);
  return n;
};

const parityMagnitude: TaskPair = {
  id: "parity-magnitude",
  stimuli: ["1", "2", "3", "4", "6", "7", "8", "9"],
  tasks: [
    {
      id: "parity",
      label: "ODD / EVEN",
      colour: "#1d4ed8",
      sideFor: (s) => (digit(s) % 2 === 1 ? "left" : "right"),
      describe: { left: "odd digits", right: "even digits" },
    },
    {
      id: "magnitude",
      label: "SMALL / LARGE",
      colour: "#b45309",
      sideFor: (s) => (digit(s) < 5 ? "left" : "right"),
      describe: { left: "digits smaller than 5", right: "digits larger than 5" },
    },
  ],
  encoding: { dIn: 8, dOut: 1 },
};

export const taskPairs: Record<StudyConfig["taskPair"], TaskPair> = {
  "parity-magnitude": parityMagnitude,
};

/** The registered pair with this id; throws on an unknown id. */
export function getTaskPair(id: string): TaskPair {
  const pair = (taskPairs as Record<string, TaskPair | undefined>)[id];
  if (!pair)
    throw new Error(`Unknown task pair "${id}" (known: ${Object.keys(taskPairs).join(", ")})`);
  return pair;
}

/** The rule with this task id; throws if the pair has no such task. */
export function getTask(pair: TaskPair, taskId: string): TaskRule {
  const task = pair.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`Task pair "${pair.id}" has no task "${taskId}"`);
  return task;
}

export function taskIdFor(pair: TaskPair, slot: TaskSlot): string {
  return pair.tasks[slot === "A" ? 0 : 1].id;
}

/** The other task of the pair. */
export function otherTaskId(pair: TaskPair, taskId: string): string {
  getTask(pair, taskId);
  return pair.tasks[0].id === taskId ? pair.tasks[1].id : pair.tasks[0].id;
}

/**
 * The pair as one participant meets it when key mappings are counterbalanced: each rule named in
 * `swapped` sends every stimulus to the other side (and its instructions say so). Everything that
 * judges or encodes a trial — correct key, congruency, model target — reads this pair, so the
 * participant's screen, stored trials and analyses agree on one mapping.
 */
export function withSwappedSides(pair: TaskPair, swapped: readonly string[]): TaskPair {
  if (swapped.length === 0) return pair;
  for (const id of swapped) getTask(pair, id);
  const flip = (side: KeySide): KeySide => (side === "left" ? "right" : "left");
  const tasks = pair.tasks.map((t) =>
    swapped.includes(t.id)
      ? {
          ...t,
          sideFor: (s: string) => flip(t.sideFor(s)),
          describe: { left: t.describe.right, right: t.describe.left },
        }
      : t,
  ) as unknown as TaskPair["tasks"];
  return { ...pair, tasks };
}

function assertStimulus(pair: TaskPair, stimulus: string) {
  if (!pair.stimuli.includes(stimulus)) {
    throw new Error(
      `Stimulus "${stimulus}" is not in task pair "${pair.id}" (${pair.stimuli.join(",")})`,
    );
  }
}

export function correctSide(pair: TaskPair, taskId: string, stimulus: string): KeySide {
  assertStimulus(pair, stimulus);
  return getTask(pair, taskId).sideFor(stimulus);
}

/** The key that is correct for this stimulus under the task in force. */
export function correctKey(
  pair: TaskPair,
  taskId: string,
  stimulus: string,
  keys: ResponseKeys,
): string {
  return keys[correctSide(pair, taskId, stimulus)];
}

/** Both rules of the pair map the stimulus to the same side. */
export function isCongruent(pair: TaskPair, stimulus: string): boolean {
  assertStimulus(pair, stimulus);
  return pair.tasks[0].sideFor(stimulus) === pair.tasks[1].sideFor(stimulus);
}

/** One-hot over the pair's stimuli (length encoding.dIn). */
export function encodeStimulus(pair: TaskPair, stimulus: string): number[] {
  assertStimulus(pair, stimulus);
  return pair.stimuli.map((s) => (s === stimulus ? 1 : 0));
}

/** Model target: +1 when the correct key is the right key, −1 when it is the left key. */
export function targetFor(pair: TaskPair, taskId: string, stimulus: string): 1 | -1 {
  return correctSide(pair, taskId, stimulus) === "right" ? 1 : -1;
}

/** The model's response: the right key if its output is positive, else the left key. */
export function responseForOutput(output: number, keys: ResponseKeys): string {
  return output > 0 ? keys.right : keys.left;
}

/** A rule's ±1 labels over the pair's stimuli, in stimulus order. */
export function labelVector(pair: TaskPair, taskId: string): number[] {
  return pair.stimuli.map((s) => targetFor(pair, taskId, s));
}
