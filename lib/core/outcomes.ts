// How a participant's run ends, and what each ending earns on the recruiter's side (a code to
// paste, a redirect). The study config holds one code and redirect per outcome
// (recruitment.completionCode/redirectUrl for "completed", recruitment.outcomes.* for the others);
// the server stores the outcome of a returned run as Run.statusReason and is the only place a code
// leaves (POST /complete, POST /return). Pure: shared by the server, the participant's screens, the
// monitor and the study page.
import { z } from "zod";

import type { StudyConfig } from "./study-config";

/** Ways a run ends early, each with its own (optional) code and redirect. */
export const EARLY_OUTCOMES = ["consent-declined", "screened-out", "practice-failed"] as const;
export type EarlyOutcome = (typeof EARLY_OUTCOMES)[number];

/**
 * Why a run is "returned" (Run.statusReason): an early outcome, or "withdrawn" (the participant
 * left by other means: no code).
 */
export const RETURN_REASONS = [...EARLY_OUTCOMES, "withdrawn"] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** A stored Run.statusReason as a reason (runs returned before reasons were stored: withdrawn). */
export function returnReasonOf(value: string | null): ReturnReason {
  return (RETURN_REASONS as readonly string[]).includes(value ?? "")
    ? (value as ReturnReason)
    : "withdrawn";
}

/** Every outcome a participant can be shown. */
export type RunOutcome = "completed" | ReturnReason;

/** POST /api/runs/<token>/return body: the reason (none = "withdrawn"). */
export const returnRequestSchema = z
  .object({ reason: z.enum(RETURN_REASONS, { error: "Unknown reason" }).optional() })
  .strict();

/** Config key of each early outcome under recruitment.outcomes. */
export const OUTCOME_CONFIG_KEY = {
  "consent-declined": "consentDeclined",
  "screened-out": "screenedOut",
  "practice-failed": "practiceFailed",
} as const satisfies Record<EarlyOutcome, string>;

/** Words for researchers (monitor, study page, exports). */
export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  completed: "completed",
  "consent-declined": "declined consent",
  "screened-out": "screened out (no keyboard / phone or tablet)",
  "practice-failed": "failed practice",
  withdrawn: "withdrew / returned on the recruiter",
};

export type OutcomeReward = { completionCode: string; redirectUrl: string };

/**
 * The code and redirect an outcome earns. Fallbacks: "practice-failed" without a code and a
 * redirect of its own uses "screened-out"'s (Prolific's screen-out code covers both); nothing ever
 * falls back to the completion code, and "withdrawn" earns nothing.
 */
export function outcomeReward(
  recruitment: StudyConfig["recruitment"],
  outcome: RunOutcome,
): OutcomeReward {
  if (outcome === "completed")
    return { completionCode: recruitment.completionCode, redirectUrl: recruitment.redirectUrl };
  if (outcome === "withdrawn") return { completionCode: "", redirectUrl: "" };
  const own = recruitment.outcomes[OUTCOME_CONFIG_KEY[outcome]];
  if (outcome === "practice-failed" && own.code === "" && own.redirectUrl === "")
    return outcomeReward(recruitment, "screened-out");
  return { completionCode: own.code, redirectUrl: own.redirectUrl };
}

/** What the participant reads on the end screen for each outcome. */
export const OUTCOME_MESSAGES: Record<RunOutcome, { title: string; body: string }> = {
  completed: { title: "Thank you, you are done!", body: "All your answers are saved." },
  "consent-declined": {
    title: "Thank you",
    body: "You chose not to take part. Nothing from the task was recorded.",
  },
  "screened-out": {
    title: "Sorry",
    body: "This study needs a computer with a physical keyboard. Please open the link on a desktop or laptop.",
  },
  "practice-failed": {
    title: "Thank you",
    body: "The study ends here, because the practice was not passed. Thank you for your time.",
  },
  withdrawn: { title: "Thank you", body: "This session is finished." },
};

/** Without a code or a redirect: how to leave on the recruiter's side. */
export const NO_CODE_HINT: Record<RunOutcome, string> = {
  completed: "This study has no completion code.",
  "consent-declined":
    "There is no code for this. If you came from Prolific, please return the submission there.",
  "screened-out":
    "There is no code for this. If you came from Prolific, please return the submission there.",
  "practice-failed":
    "There is no code for this. If you came from Prolific, please return the submission there.",
  withdrawn: "If you came from Prolific, please return the submission there.",
};
