// Task-pair registry (docs/science.md §10.1): the stimuli, the two rules, how a rule maps
// a stimulus to the left or right key, and the model's encoding. The human curriculum and the
// model curriculum are one object because both read their correct answers from here.
import { escapeHtml } from "./html";
import type { TaskPairId } from "./study-config";

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

/** What the participant sees for one stimulus: text as it is, or a filled shape. */
export type StimulusView =
  | { kind: "text"; text: string }
  | { kind: "shape"; shape: "circle" | "square"; fill: string; name: string };

export type TaskPair = {
  id: TaskPairId;
  /** The pair's name for researchers (the study form, docs). */
  title: string;
  stimuli: readonly string[];
  /** Task A and task B, in that order. */
  tasks: readonly [TaskRule, TaskRule];
  /** What one stimulus is called in the instructions ("digit", "shape"). */
  noun: string;
  /** The instructions' first sentence, before the rules ("You will see one digit at a time …"). */
  intro: string;
  view(stimulus: string): StimulusView;
  /**
   * The model's input for a stimulus (unit length; docs/science.md §10.1) and the widths:
   * input d_in, output one signed unit. Each rule's ±1 labels must be a linear read-out of it.
   */
  encode(stimulus: string): number[];
  encoding: { dIn: number; dOut: 1 };
};

const digit = (stimulus: string) => {
  const n = Number(stimulus);
  if (!Number.isInteger(n)) throw new Error(`Not a digit stimulus: "${stimulus}"`);
  return n;
};

const oneHot = (values: readonly string[], value: string) =>
  values.map((v) => (v === value ? 1 : 0));

/** Two one-hot codes side by side, scaled to unit length (each part has length 1/√2). */
const factorCode = (a: readonly string[], av: string, b: readonly string[], bv: string) =>
  [...oneHot(a, av), ...oneHot(b, bv)].map((x) => x / Math.SQRT2);

const parityMagnitude: TaskPair = {
  id: "parity-magnitude",
  title: "Parity / magnitude (digits)",
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
  noun: "digit",
  intro:
    "You will see one digit at a time (1–9, never 5) and sort it with two keys, using one of two rules:",
  view: (s) => ({ kind: "text", text: s }),
  encode: (s) => oneHot(parityMagnitude.stimuli, s),
  encoding: { dIn: 8, dOut: 1 },
};

// Letter/number (Rogers & Monsell, 1995): a letter–digit pair such as "G7"; one rule judges the
// letter (vowel or consonant), the other the digit (even or odd). Two letters and two digits of
// each class give 16 pairs, half of them congruent.
const LETTERS = ["A", "E", "G", "K"] as const;
const DIGITS = ["2", "4", "7", "9"] as const;
const VOWELS = new Set(["A", "E"]);
const letterDigit = (s: string) => {
  const [letter, d] = [s.slice(0, 1), s.slice(1)];
  if (s.length !== 2 || !(LETTERS as readonly string[]).includes(letter) || !/^\d$/.test(d))
    throw new Error(`Not a letter–digit stimulus: "${s}"`);
  return { letter, digit: d };
};

const letterNumber: TaskPair = {
  id: "letter-number",
  title: "Letter / number (vowel–consonant, odd–even; Rogers & Monsell 1995)",
  stimuli: LETTERS.flatMap((l) => DIGITS.map((d) => `${l}${d}`)),
  tasks: [
    {
      id: "letter",
      label: "LETTER: VOWEL / CONSONANT",
      colour: "#1d4ed8",
      sideFor: (s) => (VOWELS.has(letterDigit(s).letter) ? "left" : "right"),
      describe: { left: "a vowel (A, E)", right: "a consonant (G, K)" },
    },
    {
      id: "digit",
      label: "DIGIT: EVEN / ODD",
      colour: "#b45309",
      sideFor: (s) => (digit(letterDigit(s).digit) % 2 === 0 ? "left" : "right"),
      describe: { left: "an even digit (2, 4)", right: "an odd digit (7, 9)" },
    },
  ],
  noun: "letter–digit pair",
  intro:
    "You will see a letter and a digit side by side (such as G7) and sort the pair with two keys, using one of two rules — one looks only at the letter, the other only at the digit:",
  view: (s) => ({ kind: "text", text: s }),
  encode: (s) => {
    const { letter, digit: d } = letterDigit(s);
    return factorCode(LETTERS, letter, DIGITS, d);
  },
  encoding: { dIn: LETTERS.length + DIGITS.length, dOut: 1 },
};

// Colour/shape: a filled circle or square in one of two Okabe–Ito colours (blue #0072B2 and
// orange #E69F00, told apart with every common colour-vision deficiency and in greyscale). The
// shapes differ in outline alone, so the shape rule never needs colour; a dark edge keeps both
// colours' outlines visible on white.
export const SHAPE_COLOURS = { blue: "#0072B2", orange: "#E69F00" } as const;
const COLOURS = ["blue", "orange"] as const;
const SHAPES = ["circle", "square"] as const;
const colourShape = (s: string) => {
  const [colour, shape] = s.split("-");
  if (
    !(COLOURS as readonly string[]).includes(colour) ||
    !(SHAPES as readonly string[]).includes(shape)
  )
    throw new Error(`Not a colour–shape stimulus: "${s}"`);
  return { colour: colour as (typeof COLOURS)[number], shape: shape as (typeof SHAPES)[number] };
};

const colourShapePair: TaskPair = {
  id: "colour-shape",
  title: "Colour / shape (blue–orange, circle–square)",
  stimuli: COLOURS.flatMap((c) => SHAPES.map((sh) => `${c}-${sh}`)),
  tasks: [
    {
      id: "colour",
      label: "COLOUR",
      colour: "#111827",
      sideFor: (s) => (colourShape(s).colour === "blue" ? "left" : "right"),
      describe: { left: "blue shapes", right: "orange shapes" },
    },
    {
      id: "shape",
      label: "SHAPE",
      colour: "#6d28d9",
      sideFor: (s) => (colourShape(s).shape === "circle" ? "left" : "right"),
      describe: { left: "circles", right: "squares" },
    },
  ],
  noun: "shape",
  intro:
    "You will see one shape at a time — a circle or a square, coloured blue or orange — and sort it with two keys, using one of two rules:",
  view: (s) => {
    const { colour, shape } = colourShape(s);
    return { kind: "shape", shape, fill: SHAPE_COLOURS[colour], name: `${colour} ${shape}` };
  },
  encode: (s) => {
    const { colour, shape } = colourShape(s);
    return factorCode(COLOURS, colour, SHAPES, shape);
  },
  encoding: { dIn: COLOURS.length + SHAPES.length, dOut: 1 },
};

export const taskPairs: Record<TaskPairId, TaskPair> = {
  "parity-magnitude": parityMagnitude,
  "letter-number": letterNumber,
  "colour-shape": colourShapePair,
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

/** The model's input for a stimulus (length encoding.dIn; the pair's own code). */
export function encodeStimulus(pair: TaskPair, stimulus: string): number[] {
  assertStimulus(pair, stimulus);
  return pair.encode(stimulus);
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

/**
 * A stimulus as the participant sees it, when it is not plain text: a filled circle or square of
 * about equal area (so size never tells the shapes apart), with a dark edge. null = show the text.
 */
export function stimulusViewHtml(view: StimulusView): string | null {
  if (view.kind === "text") return null;
  const fill = escapeHtml(view.fill);
  const edge = `fill="${fill}" stroke="#1f2937" stroke-width="4"`;
  const body =
    view.shape === "circle"
      ? `<circle cx="60" cy="60" r="50" ${edge}/>`
      : `<rect x="16" y="16" width="88" height="88" ${edge}/>`;
  return `<svg role="img" aria-label="${escapeHtml(view.name)}" width="120" height="120" viewBox="0 0 120 120" style="display:block">${body}</svg>`;
}
