// StudyConfig: everything a researcher can set about a study, with the science defaults of
// docs/science.md §10. Parsed with zod everywhere it crosses a boundary.
import { z } from "zod";

// Every field carries messages a researcher understands (the study form shows them as they are).
const key = z
  .string({ error: "Enter one lower-case letter or digit" })
  .regex(/^[a-z0-9]$/, "Enter one lower-case letter or digit");

/** A whole number between min and max, e.g. whole("Blocks", 2, 100). */
const whole = (label: string, min: number, max: number, unit = "") => {
  const range = unit
    ? `${label} must be a whole number from ${min} to ${max} ${unit}`
    : `${label} must be a whole number from ${min} to ${max}`;
  return z.number({ error: range }).int(range).min(min, range).max(max, range);
};
const ms = (min: number, max: number, label: string) => whole(label, min, max, "ms");
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: `Choose ${what}` });

export const timingSchema = z.object({
  fixationMs: ms(0, 5000, "Fixation").default(500),
  responseWindowMs: ms(200, 10_000, "Response window").default(2000),
  feedbackMs: ms(0, 5000, "Feedback").default(500),
  itiMs: ms(0, 5000, "Inter-trial interval").default(300),
});

export const practiceSchema = z.object({
  trials: whole("Practice trials", 0, 64).default(16),
  minAccuracy: z
    .number({ error: "Minimum accuracy must be a proportion from 0 to 1, e.g. 0.75" })
    .min(0, "Minimum accuracy must be a proportion from 0 to 1, e.g. 0.75")
    .max(1, "Minimum accuracy must be a proportion from 0 to 1, e.g. 0.75")
    .default(0.75),
  maxAttempts: whole("Attempts", 1, 5).default(3),
  /** What happens when the last attempt is still below minAccuracy. */
  onFail: oneOf(["continue", "end"], "what happens after the last failed attempt").default(
    "continue",
  ),
});

const completionCode = z
  .string({ error: "Enter a completion code (letters, digits, - and _)" })
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9_-]*$/, "Letters, digits, - and _ only")
  .default("");
const redirectUrl = z
  .union(
    [z.literal(""), z.url({ protocol: /^https?$/, error: "Redirect must be an http(s) URL" })],
    { error: "Redirect must be an http(s) URL, or empty" },
  )
  .default("");
/** Code and redirect of one early outcome (lib/core/outcomes.ts); both optional. */
const outcomeRewardSchema = z.object({ code: completionCode, redirectUrl }).prefault({});

export const recruitmentSchema = z.object({
  /** Shown on the last screen of a completed run (e.g. a Prolific completion code). */
  completionCode,
  /** Where to send the participant after the last save; empty = stay on the end screen. */
  redirectUrl,
  /**
   * Per early outcome (lib/core/outcomes.ts outcomeReward): empty = no code / no redirect; a
   * failed practice without its own falls back to the screen-out's; never to the completion code.
   */
  outcomes: z
    .object({
      consentDeclined: outcomeRewardSchema,
      screenedOut: outcomeRewardSchema,
      practiceFailed: outcomeRewardSchema,
    })
    .prefault({}),
});

export const modelOptionsSchema = z.object({
  /** Presets that learn each completed run's curriculum on the server. */
  presets: z
    .array(oneOf(["flexible", "forgetful"], "flexible and/or forgetful"), {
      error: "Choose flexible and/or forgetful",
    })
    .max(2, "Each preset once")
    .refine((p) => new Set(p).size === p.length, "Each preset once")
    .default(["flexible", "forgetful"]),
  /** Also run the model in the participant's browser (Web Worker) alongside the experiment. */
  runInParticipantBrowser: z.boolean({ error: "Tick or untick the box" }).default(false),
});

/** The task pairs of the registry (lib/core/task-pairs.ts; docs/researcher-guide.md "Task pairs"). */
export const TASK_PAIR_IDS = ["parity-magnitude", "letter-number", "colour-shape"] as const;
export type TaskPairId = (typeof TASK_PAIR_IDS)[number];
const taskPair = oneOf(TASK_PAIR_IDS, "a task pair");

/** The base fields a condition may override (docs/researcher-guide.md, "Conditions"). */
export const CONDITION_FIELDS = [
  "taskPair",
  "blocks",
  "trialsPerBlock",
  "firstTask",
  "cueMode",
  "feedback",
  "breakEveryBlocks",
  "timing.fixationMs",
  "timing.responseWindowMs",
  "timing.feedbackMs",
  "timing.itiMs",
  "practice.trials",
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

const conditionName = z
  .string({ error: "Name the condition (letters, digits, - and _)" })
  .min(1, "Name the condition (letters, digits, - and _)")
  .max(32, "At most 32 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Letters, digits, - and _ only (it appears in links and exports)");

/**
 * One between-participant condition: a name and a partial override of the base config. A field
 * left out takes the base value; `effectiveConfig` (lib/core/conditions.ts) merges the two.
 */
export const conditionSchema = z.strictObject(
  {
    name: conditionName,
    taskPair: taskPair.optional(),
    blocks: whole("Blocks", 2, 100).optional(),
    trialsPerBlock: whole("Trials per block", 4, 200).optional(),
    firstTask: oneOf(["A", "B", "counterbalance"], "which task comes first").optional(),
    cueMode: oneOf(["none", "cued"], "uncued or cued").optional(),
    feedback: oneOf(["trial", "none"], "feedback after every trial or none").optional(),
    breakEveryBlocks: whole("Break every … blocks", 0, 100).optional(),
    timing: z
      .strictObject({
        fixationMs: ms(0, 5000, "Fixation").optional(),
        responseWindowMs: ms(200, 10_000, "Response window").optional(),
        feedbackMs: ms(0, 5000, "Feedback").optional(),
        itiMs: ms(0, 5000, "Inter-trial interval").optional(),
      })
      .optional(),
    practice: z.strictObject({ trials: whole("Practice trials", 0, 64).optional() }).optional(),
  },
  { error: "Unknown condition setting" },
);
export type Condition = z.infer<typeof conditionSchema>;

const studyConfigObject = z.object({
  taskPair: taskPair.default("parity-magnitude"),
  /** At least 2 blocks: one switch. */
  blocks: whole("Blocks", 2, 100).default(20),
  trialsPerBlock: whole("Trials per block", 4, 200).default(24),
  /** Which task the first block uses: "A", "B", or counterbalanced by participant index. */
  firstTask: oneOf(["A", "B", "counterbalance"], "which task comes first").default("A"),
  /** Uncued block switches by default: participants discover switches from feedback. */
  cueMode: oneOf(["none", "cued"], "uncued or cued").default("none"),
  feedback: oneOf(["trial", "none"], "feedback after every trial or none").default("trial"),
  timing: timingSchema.prefault({}),
  keys: z
    .object({ left: key.default("f"), right: key.default("j") })
    .refine((k) => k.left !== k.right, {
      message: "The two response keys must differ",
      path: ["right"],
    })
    .prefault({}),
  practice: practiceSchema.prefault({}),
  /** A break screen with progress after every N blocks (0 = no breaks). */
  breakEveryBlocks: whole("Break every … blocks", 0, 100).default(5),
  /** Study seed; each participant's seed is derived from it and the participant index. */
  seed: whole("Study seed", 0, 2_147_483_647).default(1),
  /** Shown before the experiment; "{duration}" is replaced by the design's estimate (lib/core/duration.ts). */
  consentText: z
    .string({ error: "Enter the consent text" })
    .max(20_000, "At most 20,000 characters")
    .default(
      "You are invited to take part in a study of how people switch between two simple rules. " +
        "It takes {duration}. Your responses are stored without your name. " +
        "You may stop at any time by closing the window.",
    ),
  model: modelOptionsSchema.prefault({}),
  recruitment: recruitmentSchema.prefault({}),
  /** Between-participant conditions (none: every participant gets this config, as before). */
  conditions: z
    .array(conditionSchema, { error: "Conditions must be a list" })
    .max(8, "At most 8 conditions")
    .default([]),
  /** How a new participant's condition is chosen (lib/core/conditions.ts). */
  assignment: oneOf(["balanced", "random"], "balanced or random assignment").default("balanced"),
  /** "counterbalance": which key means what, per rule, is balanced across participants. */
  keyMapping: oneOf(["fixed", "counterbalance"], "fixed or counterbalanced key mapping").default(
    "fixed",
  ),
});

/** A condition applied to a base config (no conditions of its own left in the result). */
export function applyCondition<C extends z.infer<typeof studyConfigObject>>(
  base: C,
  condition: Condition,
): C {
  const { name: _name, timing, practice, ...top } = condition;
  return {
    ...base,
    ...defined(top),
    timing: { ...base.timing, ...defined(timing ?? {}) },
    practice: { ...base.practice, ...defined(practice ?? {}) },
    conditions: [],
  };
}

/** The entries of `o` that are set (an explicit undefined must not erase a base value). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const studyConfigSchema = studyConfigObject.superRefine((config, ctx) => {
  const seen = new Set<string>();
  config.conditions.forEach((condition, i) => {
    if (seen.has(condition.name))
      ctx.addIssue({
        code: "custom",
        path: ["conditions", i, "name"],
        message: `Two conditions are called "${condition.name}"`,
      });
    seen.add(condition.name);
    // Each condition's effective config must be a valid config in its own right.
    const r = studyConfigObject.safeParse(applyCondition(config, condition));
    for (const issue of r.success ? [] : r.error.issues)
      ctx.addIssue({
        code: "custom",
        path: ["conditions", i, ...issue.path],
        message: issue.message,
      });
  });
});

export type StudyConfig = z.infer<typeof studyConfigSchema>;
export type StudyConfigInput = z.input<typeof studyConfigSchema>;

/** The default config (every field at its science default). */
export function defaultStudyConfig(): StudyConfig {
  return studyConfigSchema.parse({});
}
