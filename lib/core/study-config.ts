// StudyConfig: everything a researcher can set about a study, with the science defaults of
// docs/science.md §10. Parsed with zod everywhere it crosses a boundary.
import { z } from "zod";

import { DURATION_PLACEHOLDER } from "./duration";

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

// ---------------------------------------------------------------------------------------------
// How the study form shows each field (components/studies/study-form.tsx generates its fields
// from this list; lib/core/study-form.ts reads values by the same paths). Every leaf of
// StudyConfig needs an entry: `StudyConfigPath` makes a missing one a type error, and
// lib/core/study-form.test.ts checks the list against the defaults. The kind of control follows
// the schema: a choice (enum) is a select, a list of choices a set of checkboxes, a boolean a
// checkbox, a number a number field, text a text field unless `control` says otherwise.

/** The form's sections, in order (each field names its own). */
export const STUDY_FORM_SECTIONS = [
  { legend: "Design" },
  { legend: "Conditions and counterbalancing" },
  { legend: "Timing" },
  { legend: "Response keys" },
  { legend: "Practice" },
  { legend: "Consent" },
  { legend: "Model" },
  {
    legend: "Recruitment",
    note: "Every code and redirect is optional. A participant sees only the code of their own outcome, with a copy button; without a code or redirect they are asked to return the study on the recruiter's site. No outcome ever gets the completion code. Pilot runs never redirect.",
  },
] as const;
export type StudyFormSection = (typeof STUDY_FORM_SECTIONS)[number]["legend"];

export type StudyFieldMeta = {
  section: StudyFormSection;
  label: string;
  /** Shown after the label in brackets: "Fixation (ms)". */
  unit?: string;
  help?: string;
  /** Text fields only: a multi-line box or a URL field. */
  control?: "textarea" | "url";
  step?: string;
  /** Spans the whole row. */
  wide?: boolean;
  /** Labels of a choice field's values (missing: the value itself); {A} and {B} are the task labels. */
  options?: Record<string, string>;
};

/** "timing.fixationMs" for every leaf of T (a list is one leaf). */
type LeafPaths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends readonly unknown[]
    ? `${P}${K}`
    : T[K] extends object
      ? LeafPaths<T[K], `${P}${K}.`>
      : `${P}${K}`;
}[keyof T & string];

/** A StudyConfig field the form shows as one control (the conditions are rows of their own). */
export type StudyConfigPath = Exclude<LeafPaths<z.infer<typeof studyConfigObject>>, "conditions">;

const outcomeCode = (label: string, when: string): StudyFieldMeta => ({
  section: "Recruitment",
  label: `${label}: code`,
  help: `Shown ${when}.`,
});
const outcomeRedirect = (label: string): StudyFieldMeta => ({
  section: "Recruitment",
  label: `${label}: redirect URL`,
  control: "url",
  help: "Optional.",
});

/** Label, unit, help and option labels of every StudyConfig field, in the form's order. */
export const STUDY_FORM_FIELDS: Record<StudyConfigPath, StudyFieldMeta> = {
  // option labels: the pairs' titles (lib/core/task-pairs.ts), added by the form
  taskPair: {
    section: "Design",
    label: "Task pair",
    help: "The two rules participants switch between; a condition may use another pair.",
  },
  blocks: {
    section: "Design",
    label: "Blocks",
    help: "Tasks alternate every block; blocks − 1 switches.",
  },
  trialsPerBlock: { section: "Design", label: "Trials per block" },
  firstTask: {
    section: "Design",
    label: "First task",
    options: {
      A: "{A} first",
      B: "{B} first",
      counterbalance: "Counterbalanced across participants",
    },
  },
  cueMode: {
    section: "Design",
    label: "Cue",
    help: "Uncued: participants notice a switch from feedback, like the model.",
    options: { none: "Uncued", cued: "Cued (colour + label)" },
  },
  feedback: {
    section: "Design",
    label: "Feedback",
    options: { trial: "After every trial", none: "None" },
  },
  breakEveryBlocks: { section: "Design", label: "Break every … blocks", help: "0 = no breaks." },
  seed: {
    section: "Design",
    label: "Study seed",
    help: "Each participant's curriculum is derived from it.",
  },
  assignment: {
    section: "Conditions and counterbalancing",
    label: "Assignment to conditions",
    help: "Balanced: each new participant joins a condition with the fewest completed or running participants.",
    options: { balanced: "Balanced", random: "Random (seeded)" },
  },
  keyMapping: {
    section: "Conditions and counterbalancing",
    label: "Key mapping",
    help: "Counterbalanced: which key means what is balanced per rule across participants (within each condition).",
    options: {
      fixed: "Fixed (as in the instructions)",
      counterbalance: "Counterbalanced across participants",
    },
  },
  "timing.fixationMs": { section: "Timing", label: "Fixation", unit: "ms" },
  "timing.responseWindowMs": { section: "Timing", label: "Response window", unit: "ms" },
  "timing.feedbackMs": { section: "Timing", label: "Feedback display", unit: "ms" },
  "timing.itiMs": { section: "Timing", label: "Inter-trial interval", unit: "ms" },
  "keys.left": {
    section: "Response keys",
    label: "Left key",
    help: "One lower-case letter or digit.",
  },
  "keys.right": { section: "Response keys", label: "Right key" },
  "practice.trials": {
    section: "Practice",
    label: "Practice trials",
    help: "Half per task; 0 = no practice.",
  },
  "practice.minAccuracy": {
    section: "Practice",
    label: "Minimum accuracy",
    step: "0.05",
    help: "Proportion 0–1 needed to pass.",
  },
  "practice.maxAttempts": { section: "Practice", label: "Attempts" },
  "practice.onFail": {
    section: "Practice",
    label: "After the last failed attempt",
    options: { continue: "Continue to the main task", end: "End the study" },
  },
  consentText: {
    section: "Consent",
    label: "Consent text",
    control: "textarea",
    wide: true,
    help: `Shown before the experiment starts. ${DURATION_PLACEHOLDER} is replaced by the estimated duration shown in the preview below.`,
  },
  "model.presets": {
    section: "Model",
    label: "NTA presets to run on each completed participant's curriculum",
    wide: true,
  },
  "model.runInParticipantBrowser": {
    section: "Model",
    label: "Also run the model in the participant's browser (background worker)",
  },
  "recruitment.completionCode": {
    section: "Recruitment",
    label: "Completion code",
    help: "Shown on the last screen, e.g. a Prolific code.",
  },
  "recruitment.redirectUrl": {
    section: "Recruitment",
    label: "Redirect URL",
    control: "url",
    help: "Where to send participants after the last save (optional).",
  },
  "recruitment.outcomes.consentDeclined.code": outcomeCode(
    "Declined consent",
    "when a participant does not agree (e.g. Prolific's no-consent code)",
  ),
  "recruitment.outcomes.consentDeclined.redirectUrl": outcomeRedirect("Declined consent"),
  "recruitment.outcomes.screenedOut.code": outcomeCode(
    "Screened out",
    "for a phone or tablet, turned away before consent",
  ),
  "recruitment.outcomes.screenedOut.redirectUrl": outcomeRedirect("Screened out"),
  "recruitment.outcomes.practiceFailed.code": outcomeCode(
    "Failed practice",
    "when practice ends the study; empty = the screened-out code and redirect",
  ),
  "recruitment.outcomes.practiceFailed.redirectUrl": outcomeRedirect("Failed practice"),
};

/** A field's label as the form shows it, unit included ("Fixation (ms)"). */
export const fieldLabel = (meta: StudyFieldMeta) =>
  meta.unit ? `${meta.label} (${meta.unit})` : meta.label;
