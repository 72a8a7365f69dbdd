// StudyConfig: everything a researcher can set about a study, with the science defaults of
// docs/science.md §10. Parsed with zod everywhere it crosses a boundary.
import { z } from "zod";

const key = z.string().regex(/^[a-z0-9]$/, "a single lower-case letter or digit");

const ms = (min: number, max: number, label: string) =>
  z
    .number({ error: `${label} must be a number of milliseconds` })
    .int(`${label} must be a whole number of milliseconds`)
    .min(min, `${label} must be at least ${min} ms`)
    .max(max, `${label} must be at most ${max} ms`);

export const timingSchema = z.object({
  fixationMs: ms(0, 5000, "Fixation").default(500),
  responseWindowMs: ms(200, 10_000, "Response window").default(2000),
  feedbackMs: ms(0, 5000, "Feedback").default(500),
  itiMs: ms(0, 5000, "Inter-trial interval").default(300),
});

export const practiceSchema = z.object({
  trials: z
    .number()
    .int()
    .min(0, "Practice trials cannot be negative")
    .max(64, "At most 64 practice trials")
    .default(16),
  minAccuracy: z
    .number()
    .min(0)
    .max(1, "Minimum accuracy is a proportion between 0 and 1")
    .default(0.75),
  maxAttempts: z.number().int().min(1).max(5, "At most 5 practice attempts").default(3),
  /** What happens when the last attempt is still below minAccuracy. */
  onFail: z.enum(["continue", "end"]).default("continue"),
});

export const recruitmentSchema = z.object({
  /** Shown on the last screen (e.g. a Prolific completion code). */
  completionCode: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/, "letters, digits, - and _ only")
    .default(""),
  /** Where to send the participant after the last save; empty = stay on the end screen. */
  redirectUrl: z
    .union([
      z.literal(""),
      z.url({ protocol: /^https?$/, error: "Redirect must be an http(s) URL" }),
    ])
    .default(""),
});

export const modelOptionsSchema = z.object({
  /** Presets that learn each completed run's curriculum on the server. */
  presets: z.array(z.enum(["flexible", "forgetful"])).default(["flexible", "forgetful"]),
  /** Also run the model in the participant's browser (Web Worker) alongside the experiment. */
  runInParticipantBrowser: z.boolean().default(false),
});

export const studyConfigSchema = z.object({
  taskPair: z.enum(["parity-magnitude"]).default("parity-magnitude"),
  blocks: z
    .number()
    .int()
    .min(2, "At least 2 blocks (one switch)")
    .max(100, "At most 100 blocks")
    .default(20),
  trialsPerBlock: z
    .number()
    .int()
    .min(4, "At least 4 trials per block")
    .max(200, "At most 200 trials per block")
    .default(24),
  /** Which task the first block uses: "A", "B", or counterbalanced by participant index. */
  firstTask: z.enum(["A", "B", "counterbalance"]).default("A"),
  /** Uncued block switches by default: participants discover switches from feedback. */
  cueMode: z.enum(["none", "cued"]).default("none"),
  feedback: z.enum(["trial", "none"]).default("trial"),
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
  breakEveryBlocks: z.number().int().min(0).max(100).default(5),
  /** Study seed; each participant's seed is derived from it and the participant index. */
  seed: z.number().int().min(0).max(2_147_483_647).default(1),
  consentText: z
    .string()
    .max(20_000)
    .default(
      "You are invited to take part in a study of how people switch between two simple rules. " +
        "It takes about 20 minutes. Your responses are stored without your name. " +
        "You may stop at any time by closing the window.",
    ),
  model: modelOptionsSchema.prefault({}),
  recruitment: recruitmentSchema.prefault({}),
});

export type StudyConfig = z.infer<typeof studyConfigSchema>;
export type StudyConfigInput = z.input<typeof studyConfigSchema>;

/** The default config (every field at its science default). */
export function defaultStudyConfig(): StudyConfig {
  return studyConfigSchema.parse({});
}

/** Parse and return readable issues ("timing.fixationMs: Fixation must be at most 5000 ms"). */
export function parseStudyConfig(
  input: unknown,
): { ok: true; config: StudyConfig } | { ok: false; issues: { path: string; message: string }[] } {
  const r = studyConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  };
}
