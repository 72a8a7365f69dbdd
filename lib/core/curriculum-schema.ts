// The Curriculum contract: what one participant sees, in order, generated purely and
// deterministically from (StudyConfig, participant seed) by lib/core/curriculum.ts and stored
// with the run. The model learns exactly these trials (docs/science.md §10.3).
import { z } from "zod";

export const curriculumTrialSchema = z.object({
  phase: z.enum(["practice", "main"]),
  /** 0-based index within the phase. Practice attempt a, trial i has index a·practiceLength + i. */
  trialIndex: z.number().int().min(0),
  blockIndex: z.number().int().min(0),
  trialInBlock: z.number().int().min(0),
  /** Task id from the task-pair registry (e.g. "parity", "magnitude"). */
  task: z.string(),
  stimulus: z.string(),
  /** Key that is correct under the task in force. */
  correctResponse: z.string(),
  /** Both tasks map the stimulus to the same key. */
  congruent: z.boolean(),
});
export type CurriculumTrial = z.infer<typeof curriculumTrialSchema>;

export const curriculumSchema = z.object({
  version: z.literal(1),
  taskPair: z.string(),
  /** Participant seed the curriculum was generated from. */
  seed: z.number().int(),
  keys: z.object({ left: z.string(), right: z.string() }),
  /**
   * Rules whose key sides are swapped for this participant (key-mapping counterbalancing,
   * lib/core/conditions.ts); absent = every rule as the task-pair registry states it.
   */
  swapped: z.array(z.string()).optional(),
  /** Task of each main block, in order (blockIndex = position). */
  blocks: z.array(z.object({ blockIndex: z.number().int(), task: z.string() })),
  /** One practice attempt's trials (repeated attempts reuse them, re-indexed). */
  practice: z.array(curriculumTrialSchema),
  trials: z.array(curriculumTrialSchema),
});
export type Curriculum = z.infer<typeof curriculumSchema>;

/** Fields a stored trial must copy from the curriculum trial at its index. */
export const CURRICULUM_FIELDS = [
  "phase",
  "blockIndex",
  "trialInBlock",
  "task",
  "stimulus",
  "correctResponse",
  "congruent",
] as const;

/**
 * Why a record cannot be the curriculum trial it claims to be (or null when it can): a copied
 * field differs, or "correct" disagrees with the response. Used for human and model records alike.
 */
export function curriculumMismatch(
  expected: CurriculumTrial,
  rec: Pick<CurriculumTrial, (typeof CURRICULUM_FIELDS)[number]> & {
    trialIndex: number;
    response: string | null;
    correct: boolean;
  },
): string | null {
  for (const f of CURRICULUM_FIELDS) {
    if (expected[f] !== rec[f])
      return `${f} is ${JSON.stringify(rec[f])} but the curriculum says ${JSON.stringify(expected[f])}`;
  }
  if (rec.correct !== (rec.response === rec.correctResponse))
    return `"correct" does not agree with response and correctResponse`;
  return null;
}
